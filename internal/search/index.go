package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/openinghours"
	"github.com/edas92/passerelle/internal/textfold"
	"github.com/edas92/passerelle/internal/vocab"
)

// Options configures an Index.
type Options struct {
	// Now gives the time freshness is measured from, at query time; nil → time.Now.
	Now func() time.Time
}

// Index is the in-memory search index of the directory. Build it with Replace, keep it up to date
// with Upsert and Remove after each write to storage, query it with Search. Every method is safe
// for concurrent use; searches run while a write is applied (see the package comment).
//
// The index keeps the records it is given (a copy of the fields it uses; the strings and slices
// inside are shared, so callers must not modify them afterwards).
type Index struct {
	now func() time.Time

	// wmu serialises writers and guards rec; a long rebuild holds it, never mu.
	wmu sync.Mutex
	rec records

	// mu guards st: Search holds it for reading; a writer holds it for writing only while it
	// swaps a rebuilt state in or applies a small change in place.
	mu sync.RWMutex
	st *state

	// Working memory of searches, kept between them. Not a sync.Pool: a pool is emptied at every
	// garbage collection, and re-making megabytes of per-slot arrays then costs milliseconds.
	freeMu sync.Mutex
	free   []*scratch
}

// New returns an empty index.
func New(opt Options) *Index {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Index{now: opt.Now, rec: newRecords(), st: build(newRecords())}
}

// Replace rebuilds the index from a whole directory: every live structure and service (records
// with Meta.DeletedAt set are skipped). Searches keep answering from the previous index while the
// new one is built.
func (ix *Index) Replace(sts []domain.Structure, svs []domain.Service) {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	rec := newRecords()
	rec.apply(sts, svs)
	ix.rec = rec
	ix.swap(build(rec))
}

// Upsert adds or replaces structures and services, matched by UUID. A service or structure with
// Meta.DeletedAt set is removed instead. An updated structure updates the services that inherit
// from it (structure name, location, hours), whether or not they are in the batch; a service
// whose structure is not known is indexed without it.
func (ix *Index) Upsert(sts []domain.Structure, svs []domain.Service) {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	affected := ix.rec.apply(sts, svs)
	ix.reindex(affected)
}

// Remove drops services from the index by UUID; unknown UUIDs are ignored.
func (ix *Index) Remove(serviceUUIDs ...string) {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	affected := make([]string, 0, len(serviceUUIDs))
	for _, u := range serviceUUIDs {
		if ix.rec.removeService(u) {
			affected = append(affected, u)
		}
	}
	ix.reindex(affected)
}

// Len returns the number of services in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.st.slots)
}

func (ix *Index) swap(st *state) {
	ix.mu.Lock()
	ix.st = st
	ix.mu.Unlock()
}

// Thresholds of in-place updates. Changing a service in place holds the write lock for tens of
// microseconds at 100,000 services (the name order is an array); a larger batch is rebuilt
// outside the read lock instead, so that searches never wait for more than a fraction of a
// second. Replaced or removed services leave dead slots that searches skip; once they are many,
// the index is rebuilt to reclaim them.
const (
	inPlaceMax  = 1000 // services changed in one call
	deadMin     = 1024 // dead slots tolerated whatever the size
	deadMaxPart = 4    // … or up to 1/4 of the live slots
)

// reindex brings the state in line with ix.rec for the given services (sorted for determinism).
// Called with wmu held.
func (ix *Index) reindex(affected []string) {
	if len(affected) == 0 {
		return
	}
	if len(affected) > inPlaceMax {
		ix.swap(build(ix.rec))
		return
	}
	slices.Sort(affected)
	ix.mu.Lock()
	st := ix.st
	for _, u := range affected {
		st.kill(u)
		if sv := ix.rec.services[u]; sv != nil {
			st.insert(sv, ix.rec.structures[sv.link])
		}
	}
	st.renumber()
	compact := st.dead > deadMin && st.dead*deadMaxPart > len(st.slots)
	ix.mu.Unlock()
	if compact {
		ix.swap(build(ix.rec))
	}
}

// records are the live records the index was given, kept to rebuild it and to re-index the
// services of an updated structure.
type records struct {
	services    map[string]*svcRec   // by UUID
	structures  map[string]*stRec    // by UUID
	byStructure map[string][]*svcRec // structure UUID → the services pointing to it
}

func newRecords() records {
	return records{services: map[string]*svcRec{}, structures: map[string]*stRec{},
		byStructure: map[string][]*svcRec{}}
}

// apply stores the batch (structures first, so that services of the batch find theirs) and
// returns the UUIDs of the services whose index entry must be redone.
func (r *records) apply(sts []domain.Structure, svs []domain.Service) []string {
	affected := map[string]struct{}{}
	for i := range sts {
		st := &sts[i]
		u := st.UUID
		if u == "" {
			u = domain.RecordUUID(domain.KindStructure, st.Source, st.ID)
		}
		if st.DeletedAt != nil {
			delete(r.structures, u)
		} else {
			r.structures[u] = newStRec(st)
		}
		for _, sv := range r.byStructure[u] {
			affected[sv.uuid] = struct{}{}
		}
	}
	links := map[[2]string]string{} // (source, structure_id) → structure UUID: one SHA-1 per structure
	for i := range svs {
		sv := &svs[i]
		u := sv.UUID
		if u == "" {
			u = domain.RecordUUID(domain.KindService, sv.Source, sv.ID)
		}
		r.removeService(u)
		affected[u] = struct{}{}
		if sv.DeletedAt != nil {
			continue
		}
		rec := newSvcRec(sv, u, links)
		r.services[u] = rec
		r.byStructure[rec.link] = append(r.byStructure[rec.link], rec)
	}
	out := make([]string, 0, len(affected))
	for u := range affected {
		out = append(out, u)
	}
	return out
}

// removeService forgets a service; it reports whether it was known.
func (r *records) removeService(u string) bool {
	rec, ok := r.services[u]
	if !ok {
		return false
	}
	delete(r.services, u)
	list := r.byStructure[rec.link]
	if i := slices.Index(list, rec); i >= 0 {
		list = slices.Delete(list, i, i+1)
	}
	if len(list) == 0 {
		delete(r.byStructure, rec.link)
	} else {
		r.byStructure[rec.link] = list
	}
	return true
}

// svcRec is what the index keeps of a service: the fields it reads, not the contacts and other
// texts of the caller's record (the strings are shared with it, not copied).
type svcRec struct {
	uuid, link, nameKey                                string // link: UUID of its structure
	id, source, structureID, nom, description, dateMaj string
	categorie                                          string
	origin                                             domain.Origin
	thematiques, publics, modes, zone                  []string
	frais, adresse, complement, codePostal             *string
	codeInsee, commune, hours                          *string
	lat, lon                                           *float64
	peutDonner                                         bool
}

func newSvcRec(sv *domain.Service, u string, links map[[2]string]string) *svcRec {
	k := [2]string{sv.Source, sv.StructureID}
	link, ok := links[k]
	if !ok {
		link = domain.RecordUUID(domain.KindStructure, sv.Source, sv.StructureID)
		links[k] = link
	}
	return &svcRec{
		uuid: u, link: link,
		nameKey: textfold.Key(sv.Nom),
		id:      sv.ID, source: sv.Source, structureID: sv.StructureID, nom: sv.Nom,
		description: sv.Description, dateMaj: sv.DateMaj, categorie: sv.Categorie, origin: sv.Origin,
		thematiques: sv.Thematiques, publics: sv.Publics, modes: sv.ModesAccueil, zone: sv.ZoneEligibilite,
		frais: sv.Frais, adresse: sv.Adresse, complement: sv.ComplementAdresse, codePostal: sv.CodePostal,
		codeInsee: sv.CodeInsee, commune: sv.Commune, hours: sv.HorairesAccueil,
		lat: sv.Latitude, lon: sv.Longitude, peutDonner: sv.PeutDonner,
	}
}

// service gives back a domain.Service with the kept fields, for the domain's rules
// (EffectiveLocation, EffectiveHours, IsRemoteOnly).
func (r *svcRec) service() domain.Service {
	return domain.Service{
		Meta: domain.Meta{UUID: r.uuid, Origin: r.origin},
		ID:   r.id, Source: r.source, StructureID: r.structureID, Nom: r.nom, Description: r.description,
		DateMaj: r.dateMaj, Thematiques: r.thematiques, Frais: r.frais, Publics: r.publics,
		ModesAccueil: r.modes, ZoneEligibilite: r.zone, Adresse: r.adresse, ComplementAdresse: r.complement,
		CodePostal: r.codePostal, CodeInsee: r.codeInsee, Commune: r.commune, Latitude: r.lat,
		Longitude: r.lon, HorairesAccueil: r.hours, Categorie: r.categorie, PeutDonner: r.peutDonner,
	}
}

// stRec is what the index keeps of a structure: what its services may inherit.
type stRec struct {
	nom                                    string
	hours, adresse, complement, codePostal *string
	codeInsee, commune                     *string
	lat, lon                               *float64
}

func newStRec(st *domain.Structure) *stRec {
	return &stRec{nom: st.Nom, hours: st.HorairesAccueil, adresse: st.Adresse, complement: st.ComplementAdresse,
		codePostal: st.CodePostal, codeInsee: st.CodeInsee, commune: st.Commune, lat: st.Latitude, lon: st.Longitude}
}

func (r *stRec) structure() *domain.Structure {
	if r == nil {
		return nil
	}
	return &domain.Structure{Nom: r.nom, HorairesAccueil: r.hours, Adresse: r.adresse,
		ComplementAdresse: r.complement, CodePostal: r.codePostal, CodeInsee: r.codeInsee,
		Commune: r.commune, Latitude: r.lat, Longitude: r.lon}
}

// Text fields, from the heaviest.
const (
	fieldNom = iota
	fieldStructure
	fieldCommune
	fieldDescription
	fieldLabels
	numFields
)

// fieldWeight is how much a match in each field counts.
var fieldWeight = [numFields]int32{10, 6, 5, 2, 1}

// fieldBits is the width of the field mask packed under the slot number in a posting.
const fieldBits = numFields

// doc is the part of a service a search scans: small, fixed-size, one per slot, so that the scan
// over every service stays in cache. Multi-valued attributes are interned sets (see state).
type doc struct {
	lat, lon  float64 // position: own or structure's coordinates, else the commune's centroid
	rank      int32   // position in name order (folded name, then ID, then UUID)
	day       int32   // date_maj in days since 1970-01-01, noDay when unreadable
	themeSet  uint32
	publicSet uint32
	zoneSet   uint32
	week      uint16 // 2 bits per weekday (Monday lowest): see dayUnknown…dayClosed
	cat       uint16 // local category id + 1, 0 for none
	commune   uint16 // effective INSEE code id + 1, 0 for none
	frais     uint16 // frais id + 1, 0 for none
	modes     uint8  // modeOnSite | modeRemote (effective)
	notClosed uint8  // bit d-1 set when not closed on ISO weekday d
	flags     uint8
}

const (
	flagAlive  = 1 << iota
	flagGive   // peut donner
	flagRemote // offered only at a distance
	flagPlaced // position known
)

const (
	modeOnSite = 1 << iota
	modeRemote
)

const noDay = -1 << 31

// Week states, 2 bits each.
const (
	dayUnknown = iota
	dayOpen
	daySometimes
	dayClosed
)

// info is what a hit shows: read only for the page of results.
type info struct {
	sv           *svcRec
	structNom    string
	commune      string // display name of the effective commune
	communeText  string // the record's own commune text, when it differs
	codeInsee    string
	themes       []string // effective thématiques
	modes        []string // effective modes d'accueil
	categorie    string
	categorieLbl string
}

// themeSet is an interned set of effective thématiques with their categories.
type themeSet struct {
	themes []uint16
	cats   []uint16
}

// publicSet is an interned set of publics; universal when it is empty or holds tous-publics.
type publicSet struct {
	publics   []uint16
	universal bool
}

// interner numbers the values of one attribute.
type interner struct {
	ids   map[string]int
	codes []string
}

func newInterner() interner { return interner{ids: map[string]int{}} }

func (in *interner) id(code string) int {
	if i, ok := in.ids[code]; ok {
		return i
	}
	in.ids[code] = len(in.codes)
	in.codes = append(in.codes, code)
	return len(in.codes) - 1
}

func (in *interner) lookup(code string) (int, bool) {
	i, ok := in.ids[code]
	return i, ok
}

// setInterner numbers sets of small ids, keyed by their sorted content.
type setInterner struct {
	ids map[string]uint32
	key []byte
}

func (si *setInterner) id(sorted []uint16, add func() uint32) uint32 {
	si.key = si.key[:0]
	for _, v := range sorted {
		si.key = append(si.key, byte(v), byte(v>>8))
	}
	if i, ok := si.ids[string(si.key)]; ok {
		return i
	}
	i := add()
	si.ids[string(si.key)] = i
	return i
}

// state is one version of the index. A rebuild makes a new one; small changes are applied in
// place under the write lock.
type state struct {
	docs  []doc
	info  []info
	order []int32          // live slots in name order
	slots map[string]int32 // service UUID → live slot
	dead  int

	dict dictionary

	themes, themeCats, publics, cats, communes, frais interner
	themeSets                                         []themeSet
	publicSets                                        []publicSet
	zoneSets                                          [][]string
	themeSetIDs, publicSetIDs, zoneSetIDs             setInterner
	zoneCodes                                         interner
	weeks                                             map[string]uint16   // hours → week code
	themeLists                                        map[string][]string // interned info.themes

	// scratch of add
	pairs []uint64
	toks  []string
	ids   []uint16
	key   []byte
}

func newState() *state {
	s := &state{
		slots: map[string]int32{}, dict: newDictionary(),
		themes: newInterner(), themeCats: newInterner(), publics: newInterner(), cats: newInterner(),
		communes: newInterner(), frais: newInterner(), zoneCodes: newInterner(),
		themeSetIDs: setInterner{ids: map[string]uint32{}}, publicSetIDs: setInterner{ids: map[string]uint32{}},
		zoneSetIDs: setInterner{ids: map[string]uint32{}}, weeks: map[string]uint16{},
		themeLists: map[string][]string{},
	}
	// Known vocabularies first, so that ids are stable and facets list them in a fixed order.
	for _, t := range vocab.Thematiques.Terms {
		s.themeID(t.Value)
	}
	for _, c := range vocab.Categories {
		s.cats.id(c.Code)
	}
	for _, c := range geo.Communes() {
		s.communes.id(c.CodeInsee)
	}
	return s
}

// themeID numbers a thématique and its category.
func (s *state) themeID(code string) uint16 {
	if i, ok := s.themes.lookup(code); ok {
		return uint16(i)
	}
	s.themeCats.id(vocab.ThemeCategory(code))
	return uint16(s.themes.id(code))
}

// build makes a state from records: services in name order, so that a search without text walks
// them in display order.
func build(rec records) *state {
	s := newState()
	s.dict.building = true
	// About 40 postings per service (name, structure, commune, description, labels): reserve
	// them once rather than let append copy millions of entries at every growth.
	s.dict.pending = make([]uint64, 0, 48*len(rec.services))
	list := make([]*svcRec, 0, len(rec.services))
	for _, sv := range rec.services {
		list = append(list, sv)
	}
	slices.SortFunc(list, compareRecs)
	s.docs = make([]doc, 0, len(list))
	s.info = make([]info, 0, len(list))
	s.order = make([]int32, 0, len(list))
	for _, sv := range list {
		slot := s.add(sv, rec.structures[sv.link])
		s.order = append(s.order, slot)
	}
	s.renumber()
	s.dict.finish()
	s.pairs, s.toks, s.ids, s.key = nil, nil, nil, nil
	return s
}

// insert adds a service in place, keeping the name order.
func (s *state) insert(sv *svcRec, st *stRec) {
	slot := s.add(sv, st)
	i, _ := slices.BinarySearchFunc(s.order, slot, s.compareSlots)
	s.order = slices.Insert(s.order, i, slot)
}

// kill removes a service's live slot, if any.
func (s *state) kill(u string) {
	slot, ok := s.slots[u]
	if !ok {
		return
	}
	if i, found := slices.BinarySearchFunc(s.order, slot, s.compareSlots); found {
		s.order = slices.Delete(s.order, i, i+1)
	}
	delete(s.slots, u)
	s.docs[slot].flags &^= flagAlive
	s.info[slot] = info{}
	s.dead++
}

func (s *state) compareSlots(a, b int32) int { return compareRecs(s.info[a].sv, s.info[b].sv) }

// compareRecs is the name order: folded name, then identifier, then UUID.
func compareRecs(a, b *svcRec) int {
	return cmp.Or(strings.Compare(a.nameKey, b.nameKey), strings.Compare(a.id, b.id),
		strings.Compare(a.uuid, b.uuid))
}

// renumber writes each live slot's rank from the name order.
func (s *state) renumber() {
	for i, slot := range s.order {
		s.docs[slot].rank = int32(i)
	}
}

// add indexes one service in a new slot and returns it.
func (s *state) add(rec *svcRec, str *stRec) int32 {
	slot := int32(len(s.docs))
	svv := rec.service()
	sv, st := &svv, str.structure()
	loc := domain.EffectiveLocation(sv, st)
	d := doc{flags: flagAlive, day: noDay}
	in := info{sv: rec, codeInsee: loc.CodeInsee}
	if st != nil {
		in.structNom = st.Nom
	}

	// Where.
	in.commune = loc.Commune
	var centre *geo.Commune
	if loc.CodeInsee != "" {
		d.commune = uint16(s.communes.id(loc.CodeInsee)) + 1
		if c, ok := geo.ByInsee(loc.CodeInsee); ok {
			centre = &c
			if textfold.Key(loc.Commune) != textfold.Key(c.Nom) && loc.Commune != "" {
				in.communeText = loc.Commune
			}
			in.commune = c.Nom
		}
	}
	switch {
	case loc.Latitude != nil && loc.Longitude != nil:
		d.lat, d.lon = *loc.Latitude, *loc.Longitude
		d.flags |= flagPlaced
	case centre != nil:
		d.lat, d.lon = centre.Lat, centre.Lon
		d.flags |= flagPlaced
	}

	// What.
	in.categorie = sv.Categorie
	if in.categorie == "" {
		in.categorie = vocab.InferCategory(sv.Nom, in.structNom)
	}
	var catThemes []string
	if in.categorie != "" {
		d.cat = uint16(s.cats.id(in.categorie)) + 1
		if c, ok := vocab.CategoryByCode(in.categorie); ok {
			in.categorieLbl = c.Label
			catThemes = c.Thematiques
		}
	}
	s.ids = s.ids[:0]
	for _, list := range [2][]string{sv.Thematiques, catThemes} {
		for _, t := range list {
			if t == "" {
				continue
			}
			if id := s.themeID(t); !slices.Contains(s.ids, id) {
				s.ids = append(s.ids, id)
			}
		}
	}
	in.themes = s.themeList(s.ids)
	slices.Sort(s.ids)
	d.themeSet = s.themeSetIDs.id(s.ids, func() uint32 {
		ts := themeSet{themes: slices.Clone(s.ids)}
		for _, t := range ts.themes {
			c := uint16(s.themeCats.id(vocab.ThemeCategory(s.themes.codes[t])))
			if !slices.Contains(ts.cats, c) {
				ts.cats = append(ts.cats, c)
			}
		}
		s.themeSets = append(s.themeSets, ts)
		return uint32(len(s.themeSets) - 1)
	})

	// For whom, at what cost, how.
	s.ids = s.ids[:0]
	universal := len(sv.Publics) == 0
	for _, p := range sv.Publics {
		if p == "tous-publics" {
			universal = true
		}
		if id := uint16(s.publics.id(p)); !slices.Contains(s.ids, id) {
			s.ids = append(s.ids, id)
		}
	}
	slices.Sort(s.ids)
	if universal {
		s.ids = append(s.ids, 0xFFFF) // distinguishes the universal sets in the key
	}
	d.publicSet = s.publicSetIDs.id(s.ids, func() uint32 {
		ps := publicSet{universal: universal, publics: slices.Clone(s.ids)}
		if universal {
			ps.publics = ps.publics[:len(ps.publics)-1]
		}
		s.publicSets = append(s.publicSets, ps)
		return uint32(len(s.publicSets) - 1)
	})
	if f := domain.Str(sv.Frais); f != "" {
		d.frais = uint16(s.frais.id(f)) + 1
	}
	for _, m := range sv.ModesAccueil {
		switch m {
		case "en-presentiel":
			d.modes |= modeOnSite
		case "a-distance":
			d.modes |= modeRemote
		}
	}
	if len(sv.ModesAccueil) == 0 && (loc.Adresse != "" || loc.CodeInsee != "" || loc.Commune != "" ||
		loc.Latitude != nil) {
		d.modes = modeOnSite // a place and no stated mode: received there
	}
	in.modes = modeLists[d.modes&3]
	if domain.IsRemoteOnly(sv) {
		d.flags |= flagRemote
	}
	if sv.PeutDonner {
		d.flags |= flagGive
	}

	// Eligibility: zone codes as given ("france" in lower case).
	s.ids = s.ids[:0]
	for _, z := range sv.ZoneEligibilite {
		z = strings.TrimSpace(z)
		if strings.EqualFold(z, "france") {
			z = "france"
		}
		if z == "" {
			continue
		}
		if id := uint16(s.zoneCodes.id(z)); !slices.Contains(s.ids, id) {
			s.ids = append(s.ids, id)
		}
	}
	slices.Sort(s.ids)
	d.zoneSet = s.zoneSetIDs.id(s.ids, func() uint32 {
		codes := make([]string, len(s.ids))
		for i, id := range s.ids {
			codes[i] = s.zoneCodes.codes[id]
		}
		s.zoneSets = append(s.zoneSets, codes)
		return uint32(len(s.zoneSets) - 1)
	})

	// When.
	d.week, d.notClosed = s.week(domain.EffectiveHours(sv, st))
	if t, err := time.Parse(time.DateOnly, sv.DateMaj); err == nil {
		d.day = int32(t.Unix() / 86400)
	}

	// Words.
	s.pairs = s.pairs[:0]
	s.addText(sv.Nom, fieldNom)
	s.addText(in.structNom, fieldStructure)
	s.addText(in.commune, fieldCommune)
	s.addText(in.communeText, fieldCommune)
	s.addText(sv.Description, fieldDescription)
	s.addText(in.categorieLbl, fieldLabels)
	for _, t := range in.themes {
		s.addText(vocab.ThemeLabel(t), fieldLabels)
	}
	slices.Sort(s.pairs)
	for i := 0; i < len(s.pairs); {
		term := int32(s.pairs[i] >> 8)
		var mask uint32
		for ; i < len(s.pairs) && int32(s.pairs[i]>>8) == term; i++ {
			mask |= 1 << (s.pairs[i] & 0xFF)
		}
		s.dict.add(term, uint32(slot)<<fieldBits|mask)
	}

	s.docs = append(s.docs, d)
	s.info = append(s.info, in)
	s.slots[sv.UUID] = slot
	return slot
}

func (s *state) addText(text string, field int) {
	if text == "" {
		return
	}
	s.toks = textfold.AppendTokens(s.toks[:0], text)
	for _, t := range s.toks {
		s.pairs = append(s.pairs, uint64(s.dict.id(t))<<8|uint64(field))
	}
}

// modeLists are the effective modes of each mode mask.
var modeLists = [4][]string{nil, {"en-presentiel"}, {"a-distance"}, {"en-presentiel", "a-distance"}}

// themeList interns a service's list of effective thématiques, given as ids in order: services
// of one kind share it.
func (s *state) themeList(ids []uint16) []string {
	s.key = s.key[:0]
	for _, id := range ids {
		s.key = append(s.key, byte(id), byte(id>>8))
	}
	if l, ok := s.themeLists[string(s.key)]; ok {
		return l
	}
	l := make([]string, len(ids))
	for i, id := range ids {
		l[i] = s.themes.codes[id]
	}
	s.themeLists[string(s.key)] = l
	return l
}

// week reads opening hours once per distinct value.
func (s *state) week(hours string) (code uint16, notClosed uint8) {
	code, ok := s.weeks[hours]
	if !ok {
		for i, w := range openinghours.Week(hours) {
			var v uint16
			switch w {
			case domain.DayOpen:
				v = dayOpen
			case domain.DaySometimes:
				v = daySometimes
			case domain.DayClosed:
				v = dayClosed
			default:
				v = dayUnknown
			}
			code |= v << (2 * i)
		}
		s.weeks[hours] = code
	}
	for i := range 7 {
		if code>>(2*i)&3 != dayClosed {
			notClosed |= 1 << i
		}
	}
	return code, notClosed
}

// dayState returns the state of a doc's week on weekday i (0 = Monday).
func dayState(week uint16, i int) uint16 { return week >> (2 * i) & 3 }
