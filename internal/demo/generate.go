package demo

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/demo/internal/fiction"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/vocab"
)

// Generate returns n services and their structures (one structure for two services, rounded
// up), for benchmarks and load tests. The result is deterministic: the same (n, seed) gives
// identical records, field for field, on any machine and whatever GOMAXPROCS. Records look like
// the embedded demo directory (source domain.DemoSource, fictitious contacts, descriptions
// ending with the demo notice, date_maj spread before ReferenceDate) with names and descriptions
// assembled from word lists, so that text search meets thousands of distinct words. Every
// commune has a structure once n ≥ 71, every local category a service once n ≥ 11. Meta.UUID
// is set (domain.RecordUUID) and Meta.Origin is domain.OriginDemo; timestamps are left zero.
// n ≤ 0 gives empty slices.
//
// Identifiers are passerelle-demo--gen-structure-NNNNNN and passerelle-demo--gen-service-NNNNNN:
// they depend on the position only, so two seeds give the same identifiers with other contents.
func Generate(n int, seed int64) ([]domain.Structure, []domain.Service) {
	if n <= 0 {
		return []domain.Structure{}, []domain.Service{}
	}
	sts := make([]domain.Structure, (n+1)/2)
	primary := make([]int, len(sts)) // index in vocab.Categories of each structure's main activity
	where := make([]int, len(sts))   // index in tables.communes of each structure's commune
	inChunks(len(sts), func(lo, hi, k int) {
		g := newGenerator(seed, 2*k)
		for i := lo; i < hi; i++ {
			primary[i] = g.category()
			if i < len(vocab.Categories) {
				primary[i] = i
			}
			where[i] = g.commune(i)
			g.structure(&sts[i], i, &tables.communes[where[i]], primary[i])
		}
	})
	svs := make([]domain.Service, n)
	inChunks(n, func(lo, hi, k int) {
		g := newGenerator(seed, 2*k+1)
		for i := lo; i < hi; i++ {
			// The first services each open their own structure; the others join a random one,
			// so that about half the structures offer several services.
			s := i
			if i >= len(sts) {
				s = g.rng.IntN(len(sts))
			}
			cat := primary[s]
			switch {
			case i < len(vocab.Categories):
				cat = i
			case i >= len(sts) && g.rng.IntN(100) < 40:
				cat = g.category()
			}
			g.service(&svs[i], i, &sts[s], &tables.communes[where[s]], cat)
		}
	})
	return sts, svs
}

// chunkSize is how many records one random stream makes. Chunks are generated in parallel, each
// from its own stream seeded by (seed, chunk number): the output does not depend on how many
// processors share the work.
const chunkSize = 4096

// inChunks calls do for every chunk [lo, hi) of [0, n), k being the chunk's number, on every
// processor, and returns when all are done.
func inChunks(n int, do func(lo, hi, k int)) {
	chunks := (n + chunkSize - 1) / chunkSize
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= chunks {
					return
				}
				do(k*chunkSize, min(n, (k+1)*chunkSize), k)
			}
		})
	}
	wg.Wait()
}

// generator makes the records of one chunk: a random stream, and the arenas that back the
// records' optional fields (one allocation per few thousand values instead of one per field).
type generator struct {
	rng     *rand.Rand
	strs    arena[string]
	floats  arena[float64]
	lists   listArena
	scratch []byte
}

func newGenerator(seed int64, stream int) *generator {
	return &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15^uint64(stream)))}
}

// tables are the read-only data every generator shares.
var tables = func() (t struct {
	communes  []geo.Commune
	cumPop    []int               // cumulative populations, to draw communes as people live
	territory map[string][]string // EPT name → its communes' INSEE codes
	dates     []string            // date_maj by age in days
}) {
	t.communes = geo.Communes()
	t.territory = map[string][]string{}
	sum := 0
	for _, c := range t.communes {
		sum += c.Population
		t.cumPop = append(t.cumPop, sum)
		t.territory[c.EPT] = append(t.territory[c.EPT], c.CodeInsee)
	}
	t.dates = make([]string, maxAgeDays+1)
	for d := range t.dates {
		t.dates[d] = fiction.DateMaj(d)
	}
	return t
}()

// categoryWeights say how common each local category is (cafés and gardens more than fridges),
// in the order of vocab.Categories.
var categoryWeights = map[string]int{
	"tiers-lieu": 8, "epicerie-solidaire": 12, "jardin-partage": 14, "echange-services": 6,
	"repair-cafe": 8, "ressourcerie": 7, "cafe-social": 13, "frigo-solidaire": 6,
	"panier-solidaire": 7, "lieu-numerique": 12, "benevolat": 9,
}

var cumCategory = func() []int {
	out := make([]int, len(vocab.Categories))
	sum := 0
	for i, c := range vocab.Categories {
		sum += max(1, categoryWeights[c.Code])
		out[i] = sum
	}
	return out
}()

const maxAgeDays = 1240

// commune returns the index of structure i's commune: every commune in turn, then as people live.
func (g *generator) commune(i int) int {
	if i < len(tables.communes) {
		return i
	}
	return drawCum(g.rng, tables.cumPop)
}

func (g *generator) category() int { return drawCum(g.rng, cumCategory) }

// drawCum draws an index with probabilities given by cumulative weights.
func drawCum(r *rand.Rand, cum []int) int {
	x := r.IntN(cum[len(cum)-1])
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) percent(p int) bool { return g.rng.IntN(100) < p }

// date spreads date_maj like the embedded demo: half under 6 months, a third between 6 months
// and 2 years, the rest older.
func (g *generator) date() string {
	switch b := g.rng.IntN(6); {
	case b < 3:
		return tables.dates[3+g.rng.IntN(175)]
	case b < 5:
		return tables.dates[190+g.rng.IntN(530)]
	default:
		return tables.dates[735+g.rng.IntN(maxAgeDays-735)]
	}
}

// structure fills st, the i-th structure, located in c, whose main activity is category cat.
func (g *generator) structure(st *domain.Structure, i int, c *geo.Commune, cat int) {
	id := g.concat(idPrefix, "gen-structure-", pad6(i+1))
	local := g.concat("s", strconv.Itoa(i+1))
	cp := fiction.PostalCode(*c)
	if c.CodeInsee == "92048" && g.percent(30) {
		cp = "92360" // Meudon-la-Forêt
	}
	lat, lon := fiction.Near(*c, g.rng.Float64(), g.rng.Float64())
	st.ID = id
	st.Source = domain.DemoSource
	st.Nom = g.structureName(cat)
	st.DateMaj = g.date()
	st.Telephone = g.strs.ptr(fiction.Phone(i))
	st.Courriel = g.strs.ptr(g.concat("contact.", local, "@", fiction.Domain))
	st.SiteWeb = g.strs.ptr(g.concat("https://", fiction.Domain, "/", local))
	st.Description = g.strs.ptr(g.structureDescription(c, cat))
	st.Adresse = g.strs.ptr(g.address())
	st.CodePostal = g.strs.ptr(cp)
	st.CodeInsee = g.strs.ptr(c.CodeInsee)
	st.Commune = g.strs.ptr(c.Nom)
	st.Latitude = g.floats.ptr(lat)
	st.Longitude = g.floats.ptr(lon)
	if g.percent(90) {
		st.HorairesAccueil = g.strs.ptr(g.pick(hoursPatterns))
	}
	if g.percent(20) {
		st.ReseauxPorteurs = g.lists.of(g.pick(networks))
	}
	st.UUID = domain.RecordUUID(domain.KindStructure, domain.DemoSource, id)
	st.Origin = domain.OriginDemo
}

// networks are reseaux_porteurs that fit the guide's initiatives.
var networks = []string{"fcsf", "ressourceries", "espaces-publics-numeriques", "conseillers-numeriques",
	"fabrique-de-territoire", "ccas-cias", "mjc", "communes", "inae"}

// service fills sv, the i-th service, offered by st (located in c) in category cat.
func (g *generator) service(sv *domain.Service, i int, st *domain.Structure, c *geo.Commune, cat int) {
	category := vocab.Categories[cat]
	id := g.concat(idPrefix, "gen-service-", pad6(i+1))
	sv.ID = id
	sv.Source = domain.DemoSource
	sv.StructureID = st.ID
	sv.Nom = g.serviceName(category.Code, c)
	sv.DateMaj = g.date()
	sv.Categorie = category.Code
	sv.PeutDonner = g.percent(givesShare[category.Code])

	// Modes: mostly on site, some also at a distance, a few only at a distance.
	remote := false
	switch r := g.rng.IntN(100); {
	case r < 85:
		sv.ModesAccueil = g.lists.of("en-presentiel")
	case r < 95:
		sv.ModesAccueil = g.lists.of("en-presentiel", "a-distance")
	default:
		sv.ModesAccueil = g.lists.of("a-distance")
		remote = true
	}

	sv.Thematiques = g.lists.of(category.Thematiques...)
	for _, t := range coreThemes {
		if g.percent(15) && !contains(sv.Thematiques, t) {
			sv.Thematiques = g.lists.extend(sv.Thematiques, t)
		}
	}

	switch r := g.rng.IntN(100); {
	case r < 65:
		sv.Publics = g.lists.of("tous-publics")
	default: // data·inclusion forbids combining tous-publics with another public

		p := g.pick(specificPublics)
		if q := g.pick(specificPublics); q != p && g.percent(40) {
			sv.Publics = g.lists.of(p, q)
		} else {
			sv.Publics = g.lists.of(p)
		}
	}
	sv.Description = g.serviceDescription(category.Code, sv.Publics, remote)
	number := strconv.Itoa(i + 1)

	switch r := g.rng.IntN(100); {
	case r < 70:
		sv.Frais = g.strs.ptr("gratuit")
	case r < 92:
		sv.Frais = g.strs.ptr("payant")
		sv.FraisPrecisions = g.strs.ptr(g.pick(feePrecisions))
	}

	var conditions string
	switch r := g.rng.IntN(100); {
	case r < 50:
		sv.ZoneEligibilite = g.lists.of(geo.Departement)
	case r < 70:
		sv.ZoneEligibilite = g.lists.of(c.CodeInsee)
		conditions = "Réservé aux habitants " + fiction.OfCommune(c.Nom) + "."
	case r < 80:
		sv.ZoneEligibilite = g.lists.of(tables.territory[c.EPT]...)
		conditions = "Réservé aux habitants du territoire " + c.EPT + "."
	}
	referral := g.percent(12)
	if referral {
		conditions = strings.TrimSpace(conditions + " Sur orientation d’un travailleur social.")
	} else if g.percent(10) {
		conditions = strings.TrimSpace(conditions + " " + g.pick(conditionTexts))
	}
	if conditions != "" {
		sv.ConditionsAcces = g.strs.ptr(conditions)
	}

	switch {
	case referral:
		sv.MobilisablePar = g.lists.of("professionnels")
		sv.ModesMobilisation = g.lists.of("telephoner", "envoyer-un-courriel")
	case g.percent(10):
		// left null, as in many real records
	case remote:
		sv.MobilisablePar = g.lists.of("usagers", "professionnels")
		sv.ModesMobilisation = g.lists.of("telephoner", "envoyer-un-courriel")
	default:
		sv.MobilisablePar = g.lists.of("usagers", "professionnels")
		sv.ModesMobilisation = g.lists.of("se-presenter", "telephoner")
	}
	if g.percent(10) {
		sv.LienMobilisation = g.strs.ptr(g.concat("https://", fiction.Domain, "/gen/", number, "/inscription"))
		sv.ModesMobilisation = g.lists.extend(sv.ModesMobilisation, "utiliser-lien-mobilisation")
	}

	if t := defaultTypes[category.Code]; t != "" && g.percent(75) {
		sv.Type = g.strs.ptr(t)
	}
	if remote || g.percent(70) {
		sv.Telephone = g.strs.ptr(fiction.Phone(5000 + i))
	}
	if remote || g.percent(60) {
		sv.Courriel = g.strs.ptr(g.concat("service.", number, "@", fiction.Domain))
	}
	if g.percent(40) {
		sv.ContactNomPrenom = g.strs.ptr(g.personName())
	}
	if g.percent(40) {
		sv.HorairesAccueil = g.strs.ptr(g.pick(hoursPatterns))
	}
	if !remote {
		if g.percent(25) {
			lat, lon := fiction.Near(*c, g.rng.Float64(), g.rng.Float64())
			sv.Adresse = g.strs.ptr(g.address())
			sv.CodePostal = g.strs.ptr(*st.CodePostal)
			sv.CodeInsee = g.strs.ptr(c.CodeInsee)
			sv.Commune = g.strs.ptr(c.Nom)
			sv.Latitude = g.floats.ptr(lat)
			sv.Longitude = g.floats.ptr(lon)
		}
		if g.percent(85) {
			sv.AccesTransport = g.transport()
		}
	}
	sv.UUID = domain.RecordUUID(domain.KindService, domain.DemoSource, id)
	sv.Origin = domain.OriginDemo
}

// specificPublics are the publics other than tous-publics, the common ones repeated so that
// they are drawn more often.
var specificPublics = []string{
	"seniors", "seniors", "jeunes", "jeunes", "familles", "familles", "familles", "femmes",
	"demandeurs-emploi", "demandeurs-emploi", "beneficiaires-des-minimas-sociaux",
	"beneficiaires-des-minimas-sociaux", "personnes-exilees", "personnes-en-situation-de-handicap",
	"etudiants", "residents-qpv-frr",
}

const idPrefix = domain.DemoSource + "--"

// pad6 writes n on at least six digits: ids sort in generation order.
func pad6(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 6 {
		s = "000000"[len(s):] + s
	}
	return s
}

// concat joins parts with one allocation, in the generator's scratch buffer.
func (g *generator) concat(parts ...string) string {
	g.scratch = g.scratch[:0]
	for _, p := range parts {
		g.scratch = append(g.scratch, p...)
	}
	return string(g.scratch)
}

func (g *generator) structureName(cat int) string {
	var b strings.Builder
	b.Grow(64)
	switch r := g.rng.IntN(10); {
	case r < 4:
		b.WriteString(g.pick(structureKinds))
		b.WriteByte(' ')
		b.WriteString(g.pick(cores))
		if g.percent(50) {
			b.WriteByte(' ')
			b.WriteString(g.pick(complements))
		}
	case r < 6:
		b.WriteString(g.pick(heads[vocab.Categories[cat].Code]))
		b.WriteByte(' ')
		b.WriteString(g.pick(cores))
	case r < 8:
		b.WriteString(g.pick(structureKinds))
		b.WriteByte(' ')
		g.writeQuarter(&b)
	default:
		b.WriteString(g.pick(structureKinds))
		b.WriteByte(' ')
		b.WriteString(g.pick(firstNames))
		b.WriteByte('-')
		g.writeSurname(&b)
	}
	return b.String()
}

func (g *generator) serviceName(cat string, c *geo.Commune) string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(g.pick(heads[cat]))
	b.WriteByte(' ')
	switch r := g.rng.IntN(10); {
	case r < 5:
		b.WriteString(g.pick(cores))
		if g.percent(30) {
			b.WriteByte(' ')
			b.WriteString(g.pick(complements))
		}
	case r < 7:
		b.WriteString(g.pick(complements))
	case r < 9:
		g.writeQuarter(&b)
	default:
		b.WriteString(fiction.OfCommune(c.Nom))
	}
	return b.String()
}

// writeQuarter writes a quarter's name with its preposition: « des Tilleuls », « du
// Clos-Beaumont », « de la Fontaine-Marval ».
func (g *generator) writeQuarter(b *strings.Builder) {
	switch g.rng.IntN(3) {
	case 0:
		b.WriteString("des ")
		b.WriteString(g.pick(pluralNames))
	case 1:
		b.WriteString("du ")
		b.WriteString(g.pick(placeMasc))
		b.WriteByte('-')
		g.writeSurname(b)
	default:
		b.WriteString("de la ")
		b.WriteString(g.pick(placeFem))
		b.WriteByte('-')
		g.writeSurname(b)
	}
}

func (g *generator) writeSurname(b *strings.Builder) {
	b.WriteString(g.pick(surnamePrefixes))
	b.WriteString(g.pick(surnameSuffixes))
}

func (g *generator) personName() string {
	var b strings.Builder
	b.Grow(32)
	b.WriteString(g.pick(firstNames))
	b.WriteByte(' ')
	g.writeSurname(&b)
	return b.String()
}

func (g *generator) address() string {
	var b strings.Builder
	b.Grow(48)
	b.WriteString(strconv.Itoa(1 + g.rng.IntN(120)))
	b.WriteByte(' ')
	b.WriteString(g.pick(streetTypes))
	b.WriteByte(' ')
	switch g.rng.IntN(4) {
	case 0:
		b.WriteString("des ")
		b.WriteString(g.pick(pluralNames))
	case 1, 2:
		b.WriteString(g.pick(firstNames))
		b.WriteByte('-')
		g.writeSurname(&b)
	default:
		if g.percent(50) {
			b.WriteString("du ")
			b.WriteString(g.pick(placeMasc))
		} else {
			b.WriteString("de la ")
			b.WriteString(g.pick(placeFem))
		}
		b.WriteByte('-')
		g.writeSurname(&b)
	}
	return b.String()
}

func (g *generator) transport() string {
	var b strings.Builder
	b.Grow(40)
	mode := g.pick(transportModes)
	b.WriteString(mode)
	b.WriteByte(' ')
	switch mode {
	case "RER":
		b.WriteByte("ABC"[g.rng.IntN(3)])
	case "Transilien":
		b.WriteByte("JLNU"[g.rng.IntN(4)])
	case "Tram":
		b.WriteString([]string{"T1", "T2", "T6", "T10"}[g.rng.IntN(4)])
	case "Métro":
		b.WriteString([]string{"1", "3", "4", "9", "10", "12", "13", "14"}[g.rng.IntN(8)])
	default:
		b.WriteString(strconv.Itoa(100 + g.rng.IntN(400)))
	}
	b.WriteString(", arrêt ")
	b.WriteString(g.pick(stopWords))
	return b.String()
}

func (g *generator) structureDescription(c *geo.Commune, cat int) string {
	var b strings.Builder
	b.Grow(160)
	b.WriteString(g.pick(structureDescKinds))
	b.WriteByte(' ')
	b.WriteString(fiction.InCommune(c.Nom))
	b.WriteString(" : ")
	b.WriteString(lowerLabels[cat])
	b.WriteString(", accueil et entraide. ")
	b.WriteString(fiction.Notice)
	return b.String()
}

// lowerLabels are the categories' labels as they read inside a sentence (« épicerie solidaire »).
var lowerLabels = func() []string {
	out := make([]string, len(vocab.Categories))
	for i, c := range vocab.Categories {
		r, size := utf8.DecodeRuneInString(c.Label)
		out[i] = string(unicode.ToLower(r)) + c.Label[size:]
	}
	return out
}()

var structureDescKinds = []string{"Association de quartier", "Structure de proximité", "Collectif d’habitants",
	"Lieu associatif", "Association intergénérationnelle", "Association d’entraide"}

func (g *generator) serviceDescription(cat string, publics []string, remote bool) string {
	var b strings.Builder
	b.Grow(320)
	g.write(&b, g.pickSentence(intros[cat]))
	if who, ok := whoSentences[publics[len(publics)-1]]; ok {
		b.WriteByte(' ')
		g.write(&b, g.pickSentence(who))
	}
	b.WriteByte(' ')
	if remote {
		g.write(&b, g.pickSentence(remoteSentences))
	} else {
		g.write(&b, g.pickSentence(howSentences))
	}
	b.WriteByte(' ')
	b.WriteString(fiction.Notice)
	return b.String()
}

func (g *generator) pickSentence(list []sentence) *sentence { return &list[g.rng.IntN(len(list))] }

func (g *generator) write(b *strings.Builder, s *sentence) {
	for i, p := range s.parts {
		b.WriteString(p)
		if i < len(s.slots) {
			b.WriteString(g.pick(s.slots[i]))
		}
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// arena hands out pointers to values stored in shared chunks: each record still gets its own
// pointer (writing through one never changes another record), with one allocation per chunk.
type arena[T any] struct{ buf []T }

const chunk = 4096

func (a *arena[T]) ptr(v T) *T {
	if len(a.buf) == cap(a.buf) {
		a.buf = make([]T, 0, chunk)
	}
	a.buf = append(a.buf, v)
	return &a.buf[len(a.buf)-1]
}

// listArena hands out string slices carved from shared chunks. Each slice is capped at its
// length, so appending to one reallocates instead of overwriting its neighbour.
type listArena struct{ buf []string }

func (a *listArena) of(vs ...string) []string {
	if cap(a.buf)-len(a.buf) < len(vs) {
		a.buf = make([]string, 0, max(chunk, len(vs)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, vs...)
	return a.buf[start:len(a.buf):len(a.buf)]
}

// extend returns list with v appended, in the arena.
func (a *listArena) extend(list []string, v string) []string {
	if cap(a.buf)-len(a.buf) < len(list)+1 {
		a.buf = make([]string, 0, max(chunk, len(list)+1))
	}
	start := len(a.buf)
	a.buf = append(a.buf, list...)
	a.buf = append(a.buf, v)
	return a.buf[start:len(a.buf):len(a.buf)]
}
