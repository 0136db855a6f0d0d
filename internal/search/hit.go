package search

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/textfold"
	"github.com/edas92/passerelle/internal/vocab"
)

var publicValues = func() []string {
	out := make([]string, len(vocab.Publics.Terms))
	for i, t := range vocab.Publics.Terms {
		out[i] = t.Value
	}
	return out
}()

// eptNames maps the territories' codes to their names.
var eptNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range geo.Communes() {
		m[c.EPTCode] = c.EPT
	}
	return m
})

// vocabPublics lists the data·inclusion publics: a service for every public counts for each.
func vocabPublics() []string { return publicValues }

var weekdays = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// dayStates names the 2-bit week states.
var dayStates = [4]string{dayUnknown: domain.DayUnknown, dayOpen: domain.DayOpen, daySometimes: domain.DaySometimes, dayClosed: domain.DayClosed}

var fieldPlace = [numFields]string{
	"dans le nom", "dans le nom de la structure", "dans la commune", "dans la description",
	"dans la catégorie ou les thématiques",
}

// hit fills one result line.
func (s *state) hit(m *match, q *domain.SearchQuery, f *filters, toks []token, sc *scratch, now time.Time) domain.Hit {
	d := &s.docs[m.slot]
	in := &s.info[m.slot]
	sv := in.sv
	h := domain.Hit{
		ServiceUUID: sv.uuid, ID: sv.id, StructureUUID: sv.link, StructureID: sv.structureID,
		Source: sv.source, Nom: sv.nom, StructureNom: in.structNom, Commune: in.commune,
		CodeInsee: in.codeInsee, Remote: d.flags&flagRemote != 0, Thematiques: slices.Clone(sv.thematiques),
		Frais: domain.Str(sv.frais), ModesAccueil: slices.Clone(sv.modes), Categorie: in.categorie,
		PeutDonner: sv.peutDonner, Freshness: domain.FreshnessOf(sv.dateMaj, now), Origin: sv.origin,
		Score: float64(m.score) / 100,
	}
	if h.Thematiques == nil {
		h.Thematiques = []string{}
	}
	if h.ModesAccueil == nil {
		h.ModesAccueil = []string{}
	}
	var why []string
	for _, t := range toks { // toks are in query order
		why = append(why, s.textReason(t, sc.why[t.pos][m.slot], in))
	}
	if f.near {
		if h.Remote {
			why = append(why, "proposé à distance uniquement")
		} else {
			km := math.Round(m.dist*10) / 10
			h.DistanceKm = &km
			why = append(why, "à "+strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1)+
				" km "+deCommune(f.centre.Nom))
		}
	}
	for i := range h.Week {
		h.Week[i] = dayStates[dayState(d.week, i)]
	}
	if f.day != 0 {
		day := weekdays[f.day-1]
		switch dayState(d.week, f.day-1) {
		case dayOpen:
			h.OpenState = domain.DayOpen
			why = append(why, "ouvert le "+day)
		case daySometimes:
			h.OpenState = domain.DaySometimes
			why = append(why, "ouvert certaines semaines le "+day)
		default:
			h.OpenState = domain.DayUnknown
			why = append(why, "horaires inconnus le "+day)
		}
	}
	if q.FreeOnly {
		why = append(why, "gratuit")
	}
	if f.eligible {
		why = append(why, "éligible : "+eligibleLabel(f.eligibleBy(s.zoneSets[d.zoneSet])))
	}
	if f.themeSets != nil {
		for _, t := range q.Themes {
			if slices.ContainsFunc(in.themes, func(x string) bool { return x == t || vocab.ThemeCategory(x) == t }) {
				why = append(why, "thématique : "+vocab.ThemeLabel(t))
				break
			}
		}
	}
	if q.CanGive {
		why = append(why, "on peut aussi y donner de son temps ou de ses savoir-faire")
	}
	h.Why = why
	if h.Why == nil {
		h.Why = []string{}
	}
	return h
}

// textReason explains how a query token matched: which word of which field.
func (s *state) textReason(t token, w uint32, in *info) string {
	term := s.dict.strs[w>>5]
	kind := w >> 3 & 3
	field := int(w & 7)
	word := surface(s.fieldText(in, field), term)
	switch kind {
	case kindExact:
		return "« " + word + " » " + fieldPlace[field]
	case kindPrefix:
		return "« " + t.text + "… » → « " + word + " » " + fieldPlace[field]
	default:
		return "« " + t.text + " » ≈ « " + word + " » (faute de frappe)"
	}
}

func (s *state) fieldText(in *info, field int) string {
	switch field {
	case fieldNom:
		return in.sv.nom
	case fieldStructure:
		return in.structNom
	case fieldCommune:
		return in.commune + " " + in.communeText
	case fieldDescription:
		return in.sv.description
	}
	parts := []string{in.categorieLbl}
	for _, t := range in.themes {
		parts = append(parts, vocab.ThemeLabel(t))
	}
	return strings.Join(parts, " ")
}

// surface returns the word of text, in lower case with its accents, whose folded form is term;
// the term itself when none is found.
func surface(text, term string) string {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) }
	for len(text) > 0 {
		start := strings.IndexFunc(text, isWord)
		if start < 0 {
			break
		}
		text = text[start:]
		end := strings.IndexFunc(text, func(r rune) bool { return !isWord(r) })
		if end < 0 {
			end = len(text)
		}
		if w := text[:end]; textfold.Fold(w) == term {
			return strings.ToLower(w)
		}
		text = text[end:]
	}
	return term
}

// deCommune writes "de Nanterre", "du Plessis-Robinson", "de La Garenne-Colombes".
func deCommune(nom string) string {
	if rest, ok := strings.CutPrefix(nom, "Le "); ok {
		return "du " + rest
	}
	if rest, ok := strings.CutPrefix(nom, "Les "); ok {
		return "des " + rest
	}
	return "de " + nom
}

// eligibleLabel names the zone that makes a usager eligible.
func eligibleLabel(code string) string {
	switch code {
	case "*":
		return "aucune restriction de territoire"
	case "france", "99100":
		return "toute la France"
	case geo.Departement:
		return "Hauts-de-Seine"
	}
	if c, ok := geo.ByInsee(code); ok {
		return c.Nom
	}
	if name, ok := eptNames()[code]; ok {
		return name
	}
	if len(code) <= 3 {
		return "département " + code
	}
	return code
}

// Hit returns the result line of one live service, as a query without text or filters would
// show it; false when the service is not in the index.
func (ix *Index) Hit(serviceUUID string) (domain.Hit, bool) {
	now := ix.now()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.st.slots[serviceUUID]
	if !ok {
		return domain.Hit{}, false
	}
	sc := ix.getScratch(len(ix.st.docs))
	defer ix.putScratch(sc)
	q := domain.SearchQuery{}
	return ix.st.hit(&match{slot: slot}, &q, &filters{}, nil, sc, now), true
}
