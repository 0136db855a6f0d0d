package suggest

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/textfold"
	"github.com/edas92/passerelle/internal/vocab"
)

// Searcher is what suggestions need of the directory; *search.Index satisfies it.
type Searcher interface {
	Search(q domain.SearchQuery) domain.SearchResult
}

// Profile is what is known of the person for ranking.
type Profile struct {
	Commune string    // INSEE code of the usager's commune; "" or domain.CommuneOther when unknown/outside
	Publics []string  // data·inclusion publics the person belongs to (PublicsOf)
	Now     time.Time // today, for « ouvert mardi »; the zero time means time.Now()
}

// Options tunes a computation; the zero value gives the defaults.
type Options struct {
	Limit  int     // total suggestions, DefaultLimit when 0 or less
	NearKm float64 // radius around the commune, domain.DefaultNearKm when 0 or less
}

// DefaultLimit is the number of suggestions when Options.Limit is not set.
const DefaultLimit = 12

// Candidate pools (see the package comment).
const (
	denseKm   = 0.5 // a need is well served close by when …
	poolDense = 50  // … this many on-site services answer it within denseKm: the nearest are enough
	poolAll   = 500 // otherwise every match, up to the index's largest page
	// Without a commune nothing orders the candidates but their name, so a larger pool would
	// cost time without choosing better.
	poolNoPlace = 150
	poolRemote  = 100 // remote-only services, by name order, per kind of query
)

// Weights of the score (see the package comment).
const (
	weightNeed      = 12.0 // per need answered: more than all the other factors together (10.5)
	weightNear      = 4.0  // at the door; halved at nearHalfKm
	nearHalfKm      = 1.5
	remoteNearness  = 1.6 // a remote-only service: as if 2.25 km away
	weightFree      = 1.5
	weightOpen      = 2.0  // open today; minus openDecay per day to wait
	openDecay       = 0.15 // so open in 6 days (1.1) still beats « certains jours » (≤ 1)
	weightSometimes = 1.0  // open some weeks; minus sometimesDecay per day to wait
	sometimesDecay  = 0.05
	weightUnknown   = 0.5 // hours not known: it may be open
	weightFresh     = 1.0 // × the data·inclusion freshness score (0…1)
	weightGive      = 2.0 // a place to give, on a give need
)

// candidate is a directory service found for some need, with what ranks it.
type candidate struct {
	hit   *domain.Hit // in the query's result
	key   string      // folded name, for ties; computed when first needed
	needs []int       // indexes of the needs it answers, ascending (grid order)
	give  bool
	score float64
	taken bool
}

// Suggest ranks directory services for the needs of an interview: the best of each need first,
// in the needs' order, then the rest by score, Options.Limit at most, each service once. It is
// deterministic for the same inputs (and the same directory) and never fails: no need, or no
// match, gives an empty slice.
func Suggest(s Searcher, needs []domain.Need, p Profile, opt Options) []domain.Suggestion {
	var active []domain.Need
	for _, n := range needs {
		if n.HasNeed() {
			active = append(active, n)
		}
	}
	if len(active) == 0 || s == nil {
		return []domain.Suggestion{}
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	km := opt.NearKm
	if km <= 0 {
		km = domain.DefaultNearKm
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}

	base := baseQuery(p, km)
	return rank(gather(s, active, base), active, limit, weekdayIndex(now), base.Near != "")
}

// rank scores the candidates found for the needs and picks the suggestions.
func rank(cands []*candidate, needs []domain.Need, limit, today int, near bool) []domain.Suggestion {
	for _, c := range cands {
		c.needs = c.needs[:0]
		for i := range needs {
			if answers(&needs[i], c.hit) {
				c.needs = append(c.needs, i)
				c.give = c.give || (needs[i].Give && c.hit.PeutDonner)
			}
		}
		c.score = score(c, today, near)
	}
	// A candidate answers at least the need whose query found it; the filter guards against a
	// searcher that returns more than was asked.
	cands = slices.DeleteFunc(cands, func(c *candidate) bool { return len(c.needs) == 0 })
	slices.SortFunc(cands, better)

	out := []domain.Suggestion{}
	for _, c := range pick(cands, len(needs), limit) {
		out = append(out, domain.Suggestion{
			Hit:     *c.hit,
			Domains: domainsOf(c, needs),
			Give:    c.give,
			Score:   c.score,
			Why:     why(c, needs, today),
		})
	}
	return out
}

// baseQuery holds the filters every query shares: the person's publics (and services for
// everyone), and, when the commune is one of the 36, proximity and eligibility.
func baseQuery(p Profile, km float64) domain.SearchQuery {
	publics := make([]string, 0, len(p.Publics)+1)
	publics = append(publics, p.Publics...)
	if !slices.Contains(publics, "tous-publics") {
		// Alone, it keeps only the services for everyone: a person whose publics are not known
		// is not sent to a service reserved to some public.
		publics = append(publics, "tous-publics")
	}
	q := domain.SearchQuery{Publics: publics}
	if _, ok := geo.ByInsee(p.Commune); ok {
		q.Near, q.Km, q.EligibleFor = p.Commune, km, p.Commune
	}
	return q
}

// gather runs the queries of every need and merges their hits: each service once, in the order
// of the queries. The queries run on every processor (a Searcher is safe for concurrent use);
// the merge does not depend on which finishes first.
func gather(s Searcher, needs []domain.Need, base domain.SearchQuery) []*candidate {
	jobs := plan(needs, base)
	results := make([][]domain.Hit, len(jobs))
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(len(jobs), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(jobs); i = int(next.Add(1)) - 1 {
				if jobs[i].remote {
					results[i] = fetchRemote(s, jobs[i].q)
				} else {
					results[i] = fetch(s, jobs[i].q)
				}
			}
		})
	}
	wg.Wait()

	n := 0
	for _, hits := range results {
		n += len(hits)
	}
	block := make([]candidate, 0, n)
	seen := make(map[string]bool, n) // service UUIDs
	for _, hits := range results {
		for i := range hits {
			if h := &hits[i]; !seen[h.ServiceUUID] {
				seen[h.ServiceUUID] = true
				block = append(block, candidate{hit: h})
			}
		}
	}
	cands := make([]*candidate, len(block))
	for i := range block {
		cands[i] = &block[i]
	}
	return cands
}

// job is one query to run: for the nearest services, or for remote-only ones.
type job struct {
	q      domain.SearchQuery
	remote bool
}

// plan returns the queries for the needs. Per need, in their order: its thématiques; its local
// categories that share no thématique with it (the thématique query already finds all services
// of the others, a service's thématiques including its category's); places to give for a give
// need — the index ANDs its filters, so these are separate queries. Queries repeated by another
// need are run once. With a known commune, the remote-only services of all the needs come from
// three more queries (thématiques, categories, giving), by name order.
func plan(needs []domain.Need, base domain.SearchQuery) []job {
	var out []job
	asked := map[string]bool{}
	var themes, cats []string
	give := false
	add := func(q domain.SearchQuery) {
		if k := queryKey(&q); !asked[k] {
			asked[k] = true
			out = append(out, job{q: q})
		}
	}
	for _, n := range needs {
		if len(n.Thematiques) > 0 {
			q := base
			q.Themes = n.Thematiques
			add(q)
			themes = appendNew(themes, n.Thematiques...)
		}
		var own []string
		for _, c := range n.Categories {
			if !covered(c, n.Thematiques) {
				own = append(own, c)
			}
		}
		if len(own) > 0 {
			q := base
			q.Categories = own
			add(q)
			cats = appendNew(cats, own...)
		}
		if n.Give {
			q := base
			q.CanGive = true
			add(q)
			give = true
		}
	}
	if base.Near == "" {
		return out // no distance order: remote-only services are in the pages already
	}
	remote := base
	remote.Mode, remote.Km, remote.Limit = "a-distance", pointKm, poolRemote
	if len(themes) > 0 {
		q := remote
		q.Themes = themes
		out = append(out, job{q: q, remote: true})
	}
	if len(cats) > 0 {
		q := remote
		q.Categories = cats
		out = append(out, job{q: q, remote: true})
	}
	if give {
		q := remote
		q.CanGive = true
		out = append(out, job{q: q, remote: true})
	}
	return out
}

func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// covered reports whether every service of local category c matches one of the thématiques.
func covered(c string, themes []string) bool {
	cat, ok := vocab.CategoryByCode(c)
	if !ok {
		return false
	}
	for _, t := range themes {
		if themeMatch(t, [2][]string{cat.Thematiques}) != "" {
			return true
		}
	}
	return false
}

// pointKm is the radius of the queries for remote-only services: the index lists them after the
// on-site services within the radius, and within a point there are none but those placed
// exactly at the centre.
const pointKm = 1e-6

// fetch runs one query of a need. With a known commune it first asks for the poolDense nearest
// within denseKm: when there are that many, the need is well served close by and they are its
// pool (the nearest of the whole radius too, found at a fraction of the cost: the index computes
// fewer distances in a small radius). Otherwise the pool is every match, up to poolAll; without a
// commune, up to poolNoPlace.
func fetch(s Searcher, q domain.SearchQuery) []domain.Hit {
	if q.Near == "" {
		q.Limit = poolNoPlace
		return s.Search(q).Hits
	}
	if full := q.Km; q.Near != "" && full > denseKm {
		q.Km, q.Limit = denseKm, poolDense
		if res := s.Search(q); res.Total-res.Remote >= poolDense {
			return res.Hits
		}
		q.Km = full
	}
	q.Limit = poolAll
	return s.Search(q).Hits
}

// fetchRemote runs a query for remote-only services (Mode a-distance within pointKm) and keeps
// them. Hybrid services placed at the centre come first: when they took places on a full page,
// the query is run again past them.
func fetchRemote(s Searcher, q domain.SearchQuery) []domain.Hit {
	res := s.Search(q)
	if skip := res.Total - res.Remote; skip > 0 && len(res.Hits) == q.Limit {
		q.Offset = skip
		res = s.Search(q)
	}
	return slices.DeleteFunc(res.Hits, func(h domain.Hit) bool { return !h.Remote })
}

func queryKey(q *domain.SearchQuery) string {
	var b strings.Builder
	for _, t := range q.Themes {
		b.WriteString(t)
		b.WriteByte(',')
	}
	b.WriteByte('|')
	for _, c := range q.Categories {
		b.WriteString(c)
		b.WriteByte(',')
	}
	if q.CanGive {
		b.WriteString("|give")
	}
	return b.String()
}

// themesOf returns the two lists of thématiques the index matches a service on: its own and
// those of its local category (kept apart: no allocation for every candidate).
func themesOf(h *domain.Hit) [2][]string {
	c, _ := vocab.CategoryByCode(h.Categorie)
	return [2][]string{h.Thematiques, c.Thematiques}
}

// themeMatch returns the service's thématique that answers the need's thématique t ("" when
// none): t itself, or for a category code ("sante") the first of its sub-themes the service has.
func themeMatch(t string, eff [2][]string) string {
	sub := strings.Contains(t, "--")
	for _, list := range eff {
		for _, x := range list {
			if x == t || (!sub && vocab.ThemeCategory(x) == t) {
				return x
			}
		}
	}
	return ""
}

// answers reports whether a hit answers a need, by the rules of the index's filters: one of the
// need's thématiques, one of its categories, or a place to give for a give need. The profile's
// filters (proximity, eligibility, publics) are the same for every need.
func answers(n *domain.Need, h *domain.Hit) bool {
	if n.Give && h.PeutDonner {
		return true
	}
	if h.Categorie != "" && slices.Contains(n.Categories, h.Categorie) {
		return true
	}
	if len(n.Thematiques) == 0 {
		return false
	}
	eff := themesOf(h)
	for _, t := range n.Thematiques {
		if themeMatch(t, eff) != "" {
			return true
		}
	}
	return false
}

// score applies the formula of the package comment.
func score(c *candidate, today int, near bool) float64 {
	h := c.hit
	s := weightNeed * float64(len(c.needs))
	if near {
		s += nearness(h)
	}
	if h.Frais == "gratuit" {
		s += weightFree
	}
	s += openBonus(h.Week, today)
	s += weightFresh * h.Freshness.Score
	if c.give {
		s += weightGive
	}
	return math.Round(s*1000) / 1000
}

// nearness decays with the distance: weightNear at the door, half of it at nearHalfKm, a
// quarter at 3 × nearHalfKm; a remote-only service counts as moderately near.
func nearness(h *domain.Hit) float64 {
	switch {
	case h.Remote:
		return remoteNearness
	case h.DistanceKm == nil: // not placed: a proximity search does not return it
		return 0
	}
	return weightNear / (1 + *h.DistanceKm/nearHalfKm)
}

// better orders candidates: higher score, then name order (folded name, ID, UUID).
func better(a, b *candidate) int {
	if a.score != b.score {
		return cmp.Compare(b.score, a.score)
	}
	for _, c := range [2]*candidate{a, b} {
		if c.key == "" {
			c.key = textfold.Key(c.hit.Nom)
		}
	}
	return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.hit.ID, b.hit.ID),
		cmp.Compare(a.hit.ServiceUUID, b.hit.ServiceUUID))
}

// pick chooses up to limit candidates (sorted best first): round-robin over the needs in their
// order, each taking its best untaken candidate, for as many rounds as the fair share; then the
// best of the rest. A need that a pick answered in passing has had its turn for that round.
func pick(cands []*candidate, needs, limit int) []*candidate {
	var out []*candidate
	take := func(c *candidate, count []int) {
		c.taken = true
		out = append(out, c)
		for _, i := range c.needs {
			count[i]++
		}
	}
	byNeed := make([][]*candidate, needs)
	served := 0
	for _, c := range cands {
		for _, i := range c.needs {
			if len(byNeed[i]) == 0 {
				served++
			}
			byNeed[i] = append(byNeed[i], c)
		}
	}
	if served == 0 {
		return nil
	}
	share := max(1, limit/(2*served))
	count := make([]int, needs)
	next := make([]int, needs) // position of each need's best untaken candidate
	for round := 0; round < share; round++ {
		for i := range needs {
			if len(out) == limit {
				return out
			}
			if count[i] > round {
				continue
			}
			list := byNeed[i]
			for next[i] < len(list) && list[next[i]].taken {
				next[i]++
			}
			if next[i] < len(list) {
				take(list[next[i]], count)
			}
		}
	}
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		if !c.taken {
			take(c, count)
		}
	}
	return out
}

func domainsOf(c *candidate, needs []domain.Need) []string {
	out := make([]string, 0, len(c.needs))
	for _, i := range c.needs {
		if d := needs[i].Domain; !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}
