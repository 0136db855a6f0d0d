package search

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/textfold"
)

// Page sizes.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// Facet dimensions: one bit each, to tell in one pass which filters a service fails.
const (
	dimCategory = 1 << iota
	dimTheme
	dimPublic
	dimFrais
	dimMode
	dimCommune
	dimDay
	dimGive
)

// scratch is the working memory of one search, reused through a pool. Per-slot arrays are
// stamped with a generation number instead of being cleared.
type scratch struct {
	gen   uint32
	stamp []uint32   // per slot: generation of the last token round the slot matched
	best  []int32    // per slot: best score of the current token
	total []int32    // per slot: score of the tokens so far
	why   [][]uint32 // per query token, per slot: term id<<5 | kind<<3 | field of its best match
	cand  []int32

	tgen   uint32
	tstamp []uint32 // per sorted term position
	tkind  []uint8
	tpos   []int32
	rows   []int32
	terms  [maxTokens][]termMatch

	heap []match

	cats, themeSets, publicSets, frais, communes []int32
	modes                                        [4]int32
	days                                         [128]int32
	give                                         int32
	pass                                         []bool
}

// match is a service that passed every filter, with its sort keys.
type match struct {
	slot   int32
	rank   int32 // name order
	score  int32
	day    int32 // date_maj, for freshness
	remote bool
	dist   float64
}

// maxFree is how many scratches are kept: one per processor that may search at once.
var maxFree = max(2, runtime.GOMAXPROCS(0))

func (ix *Index) getScratch(slots int) *scratch {
	var sc *scratch
	ix.freeMu.Lock()
	if n := len(ix.free); n > 0 {
		sc = ix.free[n-1]
		ix.free = ix.free[:n-1]
	}
	ix.freeMu.Unlock()
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.stamp) < slots {
		n := slots + slots/8
		sc.stamp, sc.best, sc.total = make([]uint32, n), make([]int32, n), make([]int32, n)
		sc.why = sc.why[:0]
		sc.gen = 0
	}
	return sc
}

func (ix *Index) putScratch(sc *scratch) {
	ix.freeMu.Lock()
	if len(ix.free) < maxFree {
		ix.free = append(ix.free, sc)
	}
	ix.freeMu.Unlock()
}

// nextGen reserves n+1 consecutive generation numbers and returns the first.
func (sc *scratch) nextGen(n int) uint32 {
	if sc.gen > math.MaxUint32-uint32(n)-2 {
		clear(sc.stamp)
		sc.gen = 0
	}
	base := sc.gen
	sc.gen += uint32(n) + 1
	return base
}

// nextTermGen prepares the per-term arrays for one token.
func (sc *scratch) nextTermGen(terms int) {
	if len(sc.tstamp) < terms {
		n := terms + terms/8 + 64
		sc.tstamp, sc.tkind = make([]uint32, n), make([]uint8, n)
		sc.tgen = 0
	}
	if sc.tgen == math.MaxUint32 {
		clear(sc.tstamp)
		sc.tgen = 0
	}
	sc.tgen++
	sc.tpos = sc.tpos[:0]
}

func (sc *scratch) whyRow(i, slots int) []uint32 {
	for len(sc.why) <= i {
		sc.why = append(sc.why, nil)
	}
	if len(sc.why[i]) < slots {
		sc.why[i] = make([]uint32, len(sc.stamp))
	}
	return sc.why[i]
}

func resetCounts(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Search runs a query: the services matching the text and every filter, ranked, one page of
// them, and the facet counts. It never fails: an unknown code in a filter matches nothing.
func (ix *Index) Search(q domain.SearchQuery) domain.SearchResult {
	now := ix.now()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.getScratch(len(ix.st.docs))
	defer ix.putScratch(sc)
	return ix.st.search(&q, now, sc)
}

// token is one word of the query.
type token struct {
	text  string
	pos   int // position in the query, for the order of reasons
	terms []termMatch
	cost  int
}

func (s *state) search(q *domain.SearchQuery, now time.Time, sc *scratch) domain.SearchResult {
	// Text: the candidates and their scores.
	var toks []token
	for _, t := range textfold.Tokens(q.Text) {
		if len(toks) < maxTokens && !slices.ContainsFunc(toks, func(x token) bool { return x.text == t }) {
			toks = append(toks, token{text: t, pos: len(toks)})
		}
	}
	hasText := len(toks) > 0
	empty := false
	for i := range toks {
		toks[i].terms, toks[i].cost = s.dict.matchTerms(toks[i].text, sc, sc.terms[i][:0])
		sc.terms[i] = toks[i].terms
		if len(toks[i].terms) == 0 {
			empty = true
		}
	}
	if hasText && !empty {
		s.scoreText(toks, sc)
	}

	f := s.compile(q)
	offset := max(q.Offset, 0)
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	sel := selector{h: sc.heap[:0], k: offset + limit, near: f.near, text: hasText}
	if hasText {
		sel.fresh = newFreshTable(now)
	}
	sc.cats = resetCounts(sc.cats, len(s.cats.codes)+1) // index 0: none
	sc.themeSets = resetCounts(sc.themeSets, len(s.themeSets))
	sc.publicSets = resetCounts(sc.publicSets, len(s.publicSets))
	sc.frais = resetCounts(sc.frais, len(s.frais.codes)+1)
	sc.communes = resetCounts(sc.communes, len(s.communes.codes)+1)
	sc.modes, sc.days, sc.give = [4]int32{}, [128]int32{}, 0

	switch {
	case !hasText:
		s.scan(nil, nil, f, sc, &sel)
	case !empty:
		s.scan(sc.cand, sc.total, f, sc, &sel)
	}

	res := domain.SearchResult{Total: sel.total, Remote: sel.remote, Facets: s.facets(sc)}
	page := sel.sorted()
	sc.heap = page
	if offset < len(page) {
		page = page[offset:min(len(page), offset+limit)]
		res.Hits = make([]domain.Hit, len(page))
		for i := range page {
			res.Hits[i] = s.hit(&page[i], q, f, toks, sc, now)
		}
	} else {
		res.Hits = []domain.Hit{}
	}
	return res
}

// scoreText scatters the postings of each token's terms, the cheapest token first, keeping the
// slots that matched every token so far, with the best score each token gives them.
func (s *state) scoreText(toks []token, sc *scratch) {
	order := make([]int, len(toks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return toks[a].cost - toks[b].cost })
	base := sc.nextGen(len(toks))
	sc.cand = sc.cand[:0]
	for round, ti := range order {
		cur, prev := base+uint32(round)+1, base+uint32(round)
		why := sc.whyRow(toks[ti].pos, len(s.docs))
		for _, tm := range toks[ti].terms {
			q := kindQuality[tm.kind]
			for _, p := range s.dict.postings[tm.id] {
				slot := p >> fieldBits
				mask := p & (1<<fieldBits - 1)
				field := bestField[mask]
				score := q * fieldWeight[field]
				switch st := sc.stamp[slot]; {
				case st == cur:
					if score > sc.best[slot] {
						sc.best[slot] = score
						why[slot] = uint32(tm.id)<<5 | uint32(tm.kind)<<3 | uint32(field)
					}
				case round == 0 || st == prev:
					sc.stamp[slot] = cur
					sc.best[slot] = score
					why[slot] = uint32(tm.id)<<5 | uint32(tm.kind)<<3 | uint32(field)
					if round == 0 {
						sc.cand = append(sc.cand, int32(slot))
					}
				}
			}
		}
		kept := sc.cand[:0]
		for _, slot := range sc.cand {
			if sc.stamp[slot] != cur {
				continue
			}
			if round == 0 {
				sc.total[slot] = sc.best[slot]
			} else {
				sc.total[slot] += sc.best[slot]
			}
			kept = append(kept, slot)
		}
		sc.cand = kept
	}
}

// bestField gives, for a field mask, the heaviest field in it.
var bestField = func() (t [1 << numFields]uint8) {
	for m := range t {
		for f := numFields - 1; f >= 0; f-- {
			if m>>f&1 != 0 {
				t[m] = uint8(f)
			}
		}
	}
	return t
}()

// filters is a query compiled against one state: the facet filters as lookup tables, nil when
// the filter is not set.
type filters struct {
	cats, themeSets, publicSets, frais, communes, zoneSets []bool
	modes                                                  uint8 // required mode bit; 0 = any
	modeSet                                                bool
	day                                                    int // 0 = any; else ISO weekday
	give                                                   bool

	near         bool
	centre       geo.Commune
	centreOK     bool
	km           float64
	dLat, dLon   float64 // bounding box half-sides, degrees
	lonScale     float64 // cos(centre latitude): degrees of longitude to degrees of arc
	eligible     bool
	eligibleFor  string
	eligibleDept string
	eligibleEPT  string
}

func (s *state) compile(q *domain.SearchQuery) *filters {
	f := &filters{}
	if len(q.Categories) > 0 {
		f.cats = make([]bool, len(s.cats.codes)+1)
		for _, c := range q.Categories {
			if id, ok := s.cats.lookup(c); ok {
				f.cats[id+1] = true
			}
		}
	}
	if len(q.Themes) > 0 {
		want := make([]bool, len(s.themes.codes))
		for _, t := range q.Themes {
			if strings.Contains(t, "--") {
				if id, ok := s.themes.lookup(t); ok {
					want[id] = true
				}
				continue
			}
			for id, code := range s.themes.codes { // a category: all its sub-themes
				if strings.HasPrefix(code, t+"--") {
					want[id] = true
				}
			}
		}
		f.themeSets = make([]bool, len(s.themeSets))
		for i, ts := range s.themeSets {
			f.themeSets[i] = slices.ContainsFunc(ts.themes, func(t uint16) bool { return want[t] })
		}
	}
	if len(q.Publics) > 0 {
		want := make([]bool, len(s.publics.codes))
		for _, p := range q.Publics {
			if id, ok := s.publics.lookup(p); ok {
				want[id] = true
			}
		}
		f.publicSets = make([]bool, len(s.publicSets))
		for i, ps := range s.publicSets {
			f.publicSets[i] = ps.universal || slices.ContainsFunc(ps.publics, func(p uint16) bool { return want[p] })
		}
	}
	if q.FreeOnly {
		f.frais = make([]bool, len(s.frais.codes)+1)
		if id, ok := s.frais.lookup("gratuit"); ok {
			f.frais[id+1] = true
		}
	}
	switch q.Mode {
	case "":
	case "en-presentiel":
		f.modes, f.modeSet = modeOnSite, true
	case "a-distance":
		f.modes, f.modeSet = modeRemote, true
	default:
		f.modes, f.modeSet = 0x80, true // no service has it
	}
	if q.Commune != "" {
		f.communes = make([]bool, len(s.communes.codes)+1)
		if id, ok := s.communes.lookup(q.Commune); ok {
			f.communes[id+1] = true
		}
	}
	if q.OpenOn >= 1 && q.OpenOn <= 7 {
		f.day = q.OpenOn
	}
	f.give = q.CanGive
	if q.Near != "" {
		f.near = true
		f.km = q.Km
		if f.km <= 0 {
			f.km = domain.DefaultNearKm
		}
		f.centre, f.centreOK = geo.ByInsee(q.Near)
		// A box a little larger than the circle rejects most services before the exact distance.
		f.dLat = f.km/111.0 + 0.001
		f.lonScale = math.Cos(f.centre.Lat * math.Pi / 180)
		f.dLon = f.dLat / f.lonScale
	}
	if q.EligibleFor != "" {
		f.eligible = true
		f.eligibleFor = q.EligibleFor
		f.eligibleDept = departement(q.EligibleFor)
		if c, ok := geo.ByInsee(q.EligibleFor); ok {
			f.eligibleEPT = c.EPTCode
		}
		f.zoneSets = make([]bool, len(s.zoneSets))
		for i, z := range s.zoneSets {
			f.zoneSets[i] = f.eligibleBy(z) != ""
		}
	}
	return f
}

// departement returns the département code of an INSEE commune code ("92", "2A", "971").
func departement(insee string) string {
	if len(insee) < 3 {
		return insee
	}
	if strings.HasPrefix(insee, "97") || strings.HasPrefix(insee, "98") {
		return insee[:3]
	}
	return insee[:2]
}

// eligibleBy returns the code of the zone that makes the usager eligible ("*" for no zone), or
// "" when not eligible.
func (f *filters) eligibleBy(zone []string) string {
	if len(zone) == 0 {
		return "*"
	}
	for _, want := range [...]string{f.eligibleFor, f.eligibleEPT, f.eligibleDept, "france", "99100"} {
		if want != "" && slices.Contains(zone, want) {
			return want
		}
	}
	return ""
}

// kmPerDegree is the length of one degree of arc on the mean Earth radius (geo.DistanceKm's).
const kmPerDegree = 6371.0088 * math.Pi / 180

// scan applies the filters to the candidate slots (every slot when cand is nil): a match is kept
// and counted in every facet; a slot failing exactly one facet filter is counted in that facet
// only (disjunctive faceting); the others are dropped. This loop is the cost of a search without
// text: the filters are lookup tables and the doc array is read in order.
func (s *state) scan(cand []int32, scores []int32, f *filters, sc *scratch, sel *selector) {
	n := len(s.docs)
	if cand != nil {
		n = len(cand)
	}
	docs := s.docs
	cats, themeSets, publicSets, frais, communes, days := sc.cats, sc.themeSets, sc.publicSets, sc.frais, sc.communes, &sc.days
	fCats, fThemes, fPublics, fFrais, fCommunes, fZones := f.cats, f.themeSets, f.publicSets, f.frais, f.communes, f.zoneSets
	modeSet, modeBit, give := f.modeSet, f.modes, f.give
	var dayBit uint8
	if f.day != 0 {
		dayBit = 1 << (f.day - 1)
	}
	near, centreOK, clat, clon, dLat, dLon, km := f.near, f.centreOK, f.centre.Lat, f.centre.Lon, f.dLat, f.dLon, f.km
	lonScale := f.lonScale
	for i := 0; i < n; i++ {
		slot := int32(i)
		if cand != nil {
			slot = cand[i]
		}
		d := &docs[slot]
		if d.flags&flagAlive == 0 {
			continue
		}
		remote := d.flags&flagRemote != 0
		var dist float64
		if near && !remote {
			if !centreOK || d.flags&flagPlaced == 0 || math.Abs(d.lat-clat) > dLat || math.Abs(d.lon-clon) > dLon {
				continue
			}
			// The flat-earth distance: within a radius of a few tens of km it differs from the
			// great-circle one by less than a metre, at a tenth of the cost of the trigonometry.
			dy, dx := d.lat-clat, (d.lon-clon)*lonScale
			dist = kmPerDegree * math.Sqrt(dy*dy+dx*dx)
			if dist > km {
				continue
			}
		}
		if fZones != nil && !fZones[d.zoneSet] {
			continue
		}
		var fail uint
		if fCats != nil && !fCats[d.cat] {
			fail |= dimCategory
		}
		if fThemes != nil && !fThemes[d.themeSet] {
			fail |= dimTheme
		}
		if fPublics != nil && !fPublics[d.publicSet] {
			fail |= dimPublic
		}
		if fFrais != nil && !fFrais[d.frais] {
			fail |= dimFrais
		}
		if modeSet && d.modes&modeBit == 0 {
			fail |= dimMode
		}
		if fCommunes != nil && !fCommunes[d.commune] {
			fail |= dimCommune
		}
		if d.notClosed&dayBit != dayBit {
			fail |= dimDay
		}
		if give && d.flags&flagGive == 0 {
			fail |= dimGive
		}
		switch fail {
		case 0:
			cats[d.cat]++
			themeSets[d.themeSet]++
			publicSets[d.publicSet]++
			frais[d.frais]++
			sc.modes[d.modes&3]++
			communes[d.commune]++
			days[d.notClosed&127]++
			sc.give += int32(d.flags&flagGive) / flagGive
			sel.total++
			if remote {
				sel.remote++
			}
			m := match{slot: slot, rank: d.rank, remote: remote, dist: dist}
			if scores != nil {
				m.score, m.day = scores[slot], d.day
			}
			if len(sel.h) < sel.k || sel.less(&m, &sel.h[0]) {
				sel.offer(m)
			}
		case dimCategory:
			cats[d.cat]++
		case dimTheme:
			themeSets[d.themeSet]++
		case dimPublic:
			publicSets[d.publicSet]++
		case dimFrais:
			frais[d.frais]++
		case dimMode:
			sc.modes[d.modes&3]++
		case dimCommune:
			communes[d.commune]++
		case dimDay:
			days[d.notClosed&127]++
		case dimGive:
			sc.give += int32(d.flags&flagGive) / flagGive
		}
	}
}

// facets turns the counts into the result's maps. Only values with a count are listed, except the
// seven weekdays, always there.
func (s *state) facets(sc *scratch) domain.Facets {
	f := domain.Facets{
		Categories: map[string]int{}, Themes: map[string]int{}, Publics: map[string]int{},
		Frais: map[string]int{}, Modes: map[string]int{}, Communes: map[string]int{},
		OpenDays: map[int]int{}, CanGive: int(sc.give),
	}
	for id, n := range sc.cats[1:] {
		if n > 0 {
			f.Categories[s.cats.codes[id]] = int(n)
		}
	}
	themes := make([]int32, len(s.themes.codes))
	cats := make([]int32, len(s.themeCats.codes))
	var universal int32
	publics := make([]int32, len(s.publics.codes))
	for i, n := range sc.themeSets {
		if n == 0 {
			continue
		}
		for _, t := range s.themeSets[i].themes {
			themes[t] += n
		}
		for _, c := range s.themeSets[i].cats {
			cats[c] += n
		}
	}
	for i, n := range sc.publicSets {
		if n == 0 {
			continue
		}
		if s.publicSets[i].universal {
			universal += n // would match whichever public is chosen
			continue
		}
		for _, p := range s.publicSets[i].publics {
			publics[p] += n
		}
	}
	for id, n := range themes {
		if n > 0 {
			f.Themes[s.themes.codes[id]] = int(n)
		}
	}
	for id, n := range cats {
		if n > 0 {
			f.Themes[s.themeCats.codes[id]] = int(n)
		}
	}
	for id, n := range publics {
		if n+universal > 0 {
			f.Publics[s.publics.codes[id]] = int(n + universal)
		}
	}
	if universal > 0 {
		for _, t := range vocabPublics() {
			if _, ok := f.Publics[t]; !ok {
				f.Publics[t] = int(universal)
			}
		}
	}
	for id, n := range sc.frais[1:] {
		if n > 0 {
			f.Frais[s.frais.codes[id]] = int(n)
		}
	}
	if n := sc.modes[modeOnSite] + sc.modes[modeOnSite|modeRemote]; n > 0 {
		f.Modes["en-presentiel"] = int(n)
	}
	if n := sc.modes[modeRemote] + sc.modes[modeOnSite|modeRemote]; n > 0 {
		f.Modes["a-distance"] = int(n)
	}
	for id, n := range sc.communes[1:] {
		if n > 0 {
			f.Communes[s.communes.codes[id]] = int(n)
		}
	}
	for d := 1; d <= 7; d++ {
		f.OpenDays[d] = 0
	}
	for mask, n := range sc.days {
		if n == 0 {
			continue
		}
		for d := range 7 {
			if mask>>d&1 != 0 {
				f.OpenDays[d+1] += int(n)
			}
		}
	}
	return f
}

// freshTable gives, for one query, the freshness score (× 100) of a date_maj stored as days. The
// score comes from domain.FreshnessOf, the one rule; the table only spares calling it for every
// match: dates younger than 150 days are up to date (score 1) and dates older than 800 days
// stale (score 0) whatever the calendar, and the days in between are computed the first time a
// comparison needs them.
type freshTable struct {
	now   time.Time
	lo    int32   // first day computed on demand; older days score 0
	score []int16 // -1 until computed
}

const (
	freshYoung = 150 // days: surely under 6 months
	freshOld   = 800 // days: surely over 2 years
)

func newFreshTable(now time.Time) *freshTable {
	today := int32(now.Unix() / 86400)
	ft := &freshTable{now: now, lo: today - freshOld, score: make([]int16, freshOld-freshYoung+1)}
	for i := range ft.score {
		ft.score[i] = -1
	}
	return ft
}

func (ft *freshTable) at(day int32) int16 {
	i := int64(day) - int64(ft.lo)
	switch {
	case day == noDay || i < 0:
		return 0
	case i >= int64(len(ft.score)):
		return 100
	}
	if ft.score[i] < 0 {
		date := time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
		ft.score[i] = int16(math.Round(domain.FreshnessOf(date, ft.now).Score * 100))
	}
	return ft.score[i]
}

// selector keeps the k best matches in a bounded max-heap (h[0] is the worst kept) and counts
// them all.
type selector struct {
	h             []match
	k             int
	near, text    bool
	fresh         *freshTable // with text
	total, remote int
}

// less orders matches: on-site before remote-only in a proximity search; then score (with text);
// distance (proximity); freshness (with text); name order (folded name, ID, UUID).
func (sel *selector) less(a, b *match) bool {
	if sel.near && a.remote != b.remote {
		return !a.remote
	}
	if sel.text && a.score != b.score {
		return a.score > b.score
	}
	if sel.near && a.dist != b.dist {
		return a.dist < b.dist
	}
	if sel.text && a.day != b.day {
		if fa, fb := sel.fresh.at(a.day), sel.fresh.at(b.day); fa != fb {
			return fa > fb
		}
	}
	return a.rank < b.rank
}

// offer adds a match that belongs among the k best.
func (sel *selector) offer(m match) {
	h := sel.h
	if len(h) < sel.k {
		h = append(h, m)
		for i := len(h) - 1; i > 0; { // up
			p := (i - 1) / 2
			if !sel.less(&h[p], &h[i]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		sel.h = h
		return
	}
	h[0] = m
	for i := 0; ; { // down
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		c := l
		if r := l + 1; r < len(h) && sel.less(&h[l], &h[r]) {
			c = r
		}
		if !sel.less(&h[i], &h[c]) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// sorted returns the kept matches, best first.
func (sel *selector) sorted() []match {
	slices.SortFunc(sel.h, func(a, b match) int {
		switch {
		case sel.less(&a, &b):
			return -1
		case sel.less(&b, &a):
			return 1
		}
		return 0
	})
	return sel.h
}
