package datainclusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"pgregory.net/rapid"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
)

// ---- Generators of valid domain records -------------------------------------------------

func values(v *vocab.Vocabulary) []string {
	out := make([]string, len(v.Terms))
	for i, t := range v.Terms {
		out[i] = t.Value
	}
	return out
}

// subset draws distinct values of a vocabulary: nil, or min to max of them.
func subset(t *rapid.T, label string, all []string, min, max int) []string {
	if rapid.IntRange(0, 3).Draw(t, label+"?") == 0 {
		return nil
	}
	return rapid.SliceOfNDistinct(rapid.SampledFrom(all), min, max, rapid.ID[string]).Draw(t, label)
}

// optText draws nil or a text; nonEmpty excludes "" (which CSV cannot tell from null).
func optText(t *rapid.T, label string, nonEmpty bool) *string {
	if rapid.Bool().Draw(t, label+"?") {
		return nil
	}
	min := 0
	if nonEmpty {
		min = 1
	}
	s := rapid.StringN(min, 40, -1).Draw(t, label)
	return &s
}

func optFrom(t *rapid.T, label string, gen *rapid.Generator[string]) *string {
	if rapid.Bool().Draw(t, label+"?") {
		return nil
	}
	s := gen.Draw(t, label)
	return &s
}

var (
	genDate = rapid.Custom(func(t *rapid.T) string {
		d := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 20000).Draw(t, "jours"))
		return d.Format(time.DateOnly)
	})
	genEmail  = rapid.StringMatching(`[a-z0-9]{1,10}(\.[a-z0-9_+-]{1,5})?@[a-z0-9]{1,10}(-[a-z0-9]{1,4})?\.[a-z]{2,5}`)
	genURL    = rapid.StringMatching(`https?://[a-z0-9]{1,10}\.(fr|org)(/[a-zA-Z0-9_~.-]{0,20})?(\?q=[a-z0-9]{1,5})?`)
	genInsee  = rapid.SampledFrom([]string{"92040", "92012", "92023", "92048", "92075", "75056", "75115", "2A004", "2B033", "97411", "01001", "95018"})
	genPostal = rapid.StringMatching(`[0-9]{5}`)
	genZone   = rapid.SampledFrom([]string{"92040", "92", "2A", "976", "200054781", "99100", "france", "75056"})
	genExtra  = rapid.SampledFrom([]string{`1`, `"texte"`, `null`, `true`, `[1,"a",{"b":null}]`, `{"c":{"d":[]}}`, `-2.5e-7`})
	genCode   = rapid.StringMatching(`[a-z0-9]{1,6}(-[a-z0-9]{1,6})?`)
)

// genStructure draws a valid structure. forCSV avoids what CSV cannot hold: Extra, "" and
// empty lists.
func genStructure(t *rapid.T, id string, forCSV bool) domain.Structure {
	st := domain.Structure{
		ID:                id,
		Source:            genCode.Draw(t, "source"),
		Nom:               rapid.StringN(3, 150, -1).Draw(t, "nom"),
		DateMaj:           genDate.Draw(t, "date_maj"),
		Siret:             optFrom(t, "siret", rapid.StringMatching(`[0-9]{14}`)),
		Telephone:         optText(t, "telephone", forCSV),
		Courriel:          optFrom(t, "courriel", genEmail),
		SiteWeb:           optFrom(t, "site_web", genURL),
		LienSource:        optFrom(t, "lien_source", genURL),
		HorairesAccueil:   optText(t, "horaires", forCSV),
		AccessibiliteLieu: optFrom(t, "accessibilite", genURL),
		ReseauxPorteurs:   subset(t, "reseaux", values(vocab.ReseauxPorteurs), b2i(forCSV), 3),
		Description:       optFrom(t, "description", rapid.StringN(5, 200, -1)),
		Adresse:           optText(t, "adresse", forCSV),
		ComplementAdresse: optText(t, "complement", forCSV),
		CodePostal:        optFrom(t, "code_postal", genPostal),
		CodeInsee:         optFrom(t, "code_insee", genInsee),
		Commune:           optText(t, "commune", forCSV),
	}
	st.Latitude, st.Longitude = genPoint(t)
	if !forCSV {
		st.Extra = genExtras(t)
	}
	// data·inclusion identifiers are "producer--local-id"; the CSV format names a structure by
	// the service's structure_id, so only full identifiers survive it unchanged.
	st.ID = domain.QualifiedID(st.Source, st.ID)
	st.UUID = domain.RecordUUID(domain.KindStructure, st.Source, st.ID)
	return st
}

// genService draws a valid service of structure st.
func genService(t *rapid.T, id string, st domain.Structure, forCSV bool) domain.Service {
	sv := domain.Service{
		ID:                     id,
		Source:                 rapid.SampledFrom([]string{st.Source, "autre-source"}).Draw(t, "source"),
		Nom:                    rapid.StringN(3, 150, -1).Draw(t, "nom"),
		Description:            rapid.StringN(5, 300, -1).Draw(t, "description"),
		DateMaj:                genDate.Draw(t, "date_maj"),
		Type:                   optFrom(t, "type", rapid.SampledFrom(values(vocab.TypesServices))),
		Thematiques:            subset(t, "thematiques", values(vocab.Thematiques), b2i(forCSV), 5),
		Frais:                  optFrom(t, "frais", rapid.SampledFrom(values(vocab.Frais))),
		FraisPrecisions:        optText(t, "frais_precisions", forCSV),
		PublicsPrecisions:      optText(t, "publics_precisions", forCSV),
		ConditionsAcces:        optText(t, "conditions", forCSV),
		Telephone:              optText(t, "telephone", forCSV),
		Courriel:               optFrom(t, "courriel", genEmail),
		ContactNomPrenom:       optText(t, "contact", forCSV),
		ModesAccueil:           subset(t, "modes_accueil", values(vocab.ModesAccueil), b2i(forCSV), 2),
		LienMobilisation:       optFrom(t, "lien_mobilisation", genURL),
		ModesMobilisation:      subset(t, "modes_mobilisation", values(vocab.ModesMobilisation), 1, 4),
		MobilisablePar:         subset(t, "mobilisable_par", values(vocab.PersonnesMobilisatrices), 1, 2),
		MobilisationPrecisions: optText(t, "mobilisation_precisions", forCSV),
		Adresse:                optText(t, "adresse", forCSV),
		ComplementAdresse:      optText(t, "complement", forCSV),
		CodePostal:             optFrom(t, "code_postal", genPostal),
		CodeInsee:              optFrom(t, "code_insee", genInsee),
		Commune:                optText(t, "commune", forCSV),
		HorairesAccueil:        optText(t, "horaires", forCSV),
		LienSource:             optFrom(t, "lien_source", genURL),
		PeutDonner:             rapid.Bool().Draw(t, "peut_donner"),
	}
	if rapid.Bool().Draw(t, "zone?") {
		sv.ZoneEligibilite = rapid.SliceOfN(genZone, 1, 4).Draw(t, "zone")
	}
	switch rapid.IntRange(0, 2).Draw(t, "publics?") {
	case 1:
		sv.Publics = []string{"tous-publics"}
	case 2:
		sv.Publics = rapid.SliceOfNDistinct(rapid.SampledFrom(publicsButTous()), 1, 4, rapid.ID[string]).Draw(t, "publics")
	}
	if rapid.Bool().Draw(t, "semaines?") {
		sv.NombreSemaines = domain.Ptr(rapid.IntRange(1, 1_000_000).Draw(t, "semaines"))
	}
	if rapid.Bool().Draw(t, "volume?") {
		sv.VolumeHoraireHebdomadaire = domain.Ptr(rapid.Float64Range(0, 1e9).Draw(t, "volume"))
	}
	if rapid.Bool().Draw(t, "categorie?") {
		sv.Categorie = rapid.SampledFrom(vocab.Categories).Draw(t, "categorie").Code
	}
	if rapid.Bool().Draw(t, "transport?") {
		sv.AccesTransport = rapid.StringN(1, 40, -1).Draw(t, "transport")
	}
	sv.Latitude, sv.Longitude = genPoint(t)
	if !forCSV {
		sv.Extra = genExtras(t)
	}
	sv.UUID = domain.RecordUUID(domain.KindService, sv.Source, sv.ID)
	// A service of another producer names its structure by its full identifier.
	sv.StructureID = st.ID
	if sv.Source != st.Source {
		sv.StructureID = domain.QualifiedID(st.Source, st.ID)
	}
	return sv
}

func genPoint(t *rapid.T) (*float64, *float64) {
	if rapid.Bool().Draw(t, "point?") {
		return nil, nil
	}
	return domain.Ptr(rapid.Float64Range(48.7, 48.95).Draw(t, "lat")), domain.Ptr(rapid.Float64Range(2.1, 2.35).Draw(t, "lon"))
}

func genExtras(t *rapid.T) map[string]json.RawMessage {
	n := rapid.IntRange(0, 3).Draw(t, "extras")
	if n == 0 {
		return nil
	}
	m := map[string]json.RawMessage{}
	for range n {
		m["x-"+genCode.Draw(t, "extra")] = json.RawMessage(genExtra.Draw(t, "extra value"))
	}
	return m
}

// publicsButTous are the publics that may be combined.
func publicsButTous() []string {
	var out []string
	for _, v := range values(vocab.Publics) {
		if v != "tous-publics" {
			out = append(out, v)
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// genDirectory draws structures and services that point to them, with distinct identifiers.
func genDirectory(t *rapid.T, forCSV bool) ([]domain.Structure, []domain.Service) {
	sts := make([]domain.Structure, rapid.IntRange(1, 4).Draw(t, "structures"))
	for i := range sts {
		sts[i] = genStructure(t, fmt.Sprintf("st-%d", i), forCSV)
	}
	svs := make([]domain.Service, rapid.IntRange(0, 6).Draw(t, "services"))
	for i := range svs {
		svs[i] = genService(t, fmt.Sprintf("sv-%d", i), sts[rapid.IntRange(0, len(sts)-1).Draw(t, "structure")], forCSV)
	}
	return sts, svs
}

// TestProperty_ValidRecordsRoundTrip: random valid records survive Encode → Decode unchanged,
// in JSON and in CSV.
func TestProperty_ValidRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	t.Run("JSON", func(t *testing.T) {
		t.Parallel()
		rapid.Check(t, func(t *rapid.T) {
			sts, svs := genDirectory(t, false)
			var a, b bytes.Buffer
			if err := EncodeStructures(&a, sts); err != nil {
				t.Fatal(err)
			}
			if err := EncodeServices(&b, svs); err != nil {
				t.Fatal(err)
			}
			p1, err1 := Decode(&a, "test", Options{})
			p2, err2 := Decode(&b, "test", Options{})
			if err1 != nil || err2 != nil {
				t.Fatalf("decode: %v %v", err1, err2)
			}
			if len(p1.Rejected)+len(p2.Rejected) != 0 {
				t.Fatalf("valid records rejected: %+v %+v", p1.Rejected, p2.Rejected)
			}
			if !reflect.DeepEqual(p1.Structures, sts) {
				t.Fatalf("structures changed:\n got %#v\nwant %#v", p1.Structures, sts)
			}
			if !reflect.DeepEqual(p2.Services, nilIfEmpty(svs)) {
				t.Fatalf("services changed:\n got %#v\nwant %#v", p2.Services, svs)
			}
		})
	})
	t.Run("CSV", func(t *testing.T) {
		t.Parallel()
		rapid.Check(t, func(t *rapid.T) {
			sts, svs := genDirectory(t, true)
			var b bytes.Buffer
			if err := EncodeCSV(&b, sts, svs); err != nil {
				t.Fatal(err)
			}
			p, err := Decode(&b, "test", Options{})
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(p.Rejected) != 0 {
				t.Fatalf("valid records rejected: %+v", p.Rejected)
			}
			if !reflect.DeepEqual(sortedStructures(p.Structures), sortedStructures(sts)) {
				t.Fatalf("structures changed:\n got %#v\nwant %#v", p.Structures, sts)
			}
			if !reflect.DeepEqual(p.Services, nilIfEmpty(svs)) {
				t.Fatalf("services changed:\n got %#v\nwant %#v", p.Services, svs)
			}
		})
	})
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// ---- Random records, valid or not, against the official schemas -------------------------

// fieldGen draws the raw JSON of one field ("" = absent): a valid value, or one the schema
// refuses. Invalid values stay within the schema's rules; valid ones also pass Passerelle's
// extra rules, so that both validators can be compared.
type fieldGen struct {
	name  string
	valid *rapid.Generator[string]
	bad   *rapid.Generator[string]
}

func raw(vals ...string) *rapid.Generator[string] { return rapid.SampledFrom(vals) }

func quoted(g *rapid.Generator[string]) *rapid.Generator[string] {
	return rapid.Map(g, func(s string) string { b, _ := json.Marshal(s); return string(b) })
}

func list(g *rapid.Generator[[]string]) *rapid.Generator[string] {
	return rapid.Map(g, func(v []string) string { b, _ := json.Marshal(v); return string(b) })
}

func distinct(all []string, min, max int) *rapid.Generator[[]string] {
	return rapid.SliceOfNDistinct(rapid.SampledFrom(all), min, max, rapid.ID[string])
}

var (
	anyText     = rapid.OneOf(raw("", "null"), quoted(rapid.String()))
	badText     = raw("1", "true", "[]", `{"a":1}`, `["x"]`)
	optURL      = rapid.OneOf(raw("", "null"), quoted(genURL))
	badURL      = raw(`"exemple.fr"`, `""`, `"/chemin"`, `"http://[::1"`, "3", `"www.exemple.fr/a"`)
	optEmail    = rapid.OneOf(raw("", "null"), quoted(genEmail))
	badEmail    = raw(`"sans-arobase"`, `".a@exemple.fr"`, `"a..b@exemple.fr"`, `"a@-exemple.fr"`, `"é@exemple.fr"`, `"a b@exemple.fr"`, `"a@exemple_.fr"`, "3")
	idGen       = quoted(rapid.StringMatching(`[a-z0-9]{1,8}--[a-zA-Z0-9:_-]{1,12}`))
	nameOK      = quoted(rapid.StringN(3, 150, -1))
	nameBad     = rapid.OneOf(quoted(rapid.StringN(0, 2, -1)), quoted(rapid.StringN(151, 170, -1)), raw("null", "42", ""))
	dateOK      = quoted(genDate)
	dateBad     = raw(`"2025-02-30"`, `"2025-13-01"`, `"25-01-01"`, `"2025/01/01"`, `"2025-1-01"`, `"2025-01-01T00:00:00Z"`, "20250101", "null", `""`, "")
	postalOK    = rapid.OneOf(raw("", "null"), quoted(genPostal))
	postalBad   = raw(`"9213"`, `"921300"`, `"A2130"`, "92130", `" 9213"`)
	inseeOK     = rapid.OneOf(raw("", "null"), quoted(genInsee))
	inseeBad    = raw(`"9204"`, `"920400"`, `"92 04"`, "92040", `"92-04"`, `""`)
	zoneItemBad = raw(`"9"`, `"92-04"`, `"FRANCE"`, `"1234567890"`, `""`, "5", "null")
)

// vocabList is an array field: valid values are distinct vocabulary values (min items or more).
func vocabList(all []string, min int) (valid, bad *rapid.Generator[string]) {
	valid = rapid.OneOf(raw("", "null"), list(distinct(all, min, 4)))
	bad = rapid.OneOf(
		rapid.Map(rapid.SampledFrom(all), func(v string) string { return fmt.Sprintf("[%q,%q]", v, v) }),
		raw(`["inconnu"]`, `[1]`, `"`+all[0]+`"`, `{}`, `[null]`))
	if min > 0 {
		bad = rapid.OneOf(bad, raw("[]"))
	}
	return valid, bad
}

func serviceGens() []fieldGen {
	them, themBad := vocabList(values(vocab.Thematiques), 0)
	accueil, accueilBad := vocabList(values(vocab.ModesAccueil), 0)
	mob, mobBad := vocabList(values(vocab.ModesMobilisation), 1)
	par, parBad := vocabList(values(vocab.PersonnesMobilisatrices), 1)
	publics := rapid.OneOf(raw("", "null", `["tous-publics"]`), list(distinct(publicsButTous(), 1, 4)))
	_, publicsBad := vocabList(values(vocab.Publics), 1)
	gens := []fieldGen{
		{"id", idGen, raw("", "null", "17", "[]")},
		{"source", quoted(genCode), raw("", "null", "1")},
		{"structure_id", idGen, raw("null", "42", "{}")}, // never absent: the record would be a structure
		{"nom", nameOK, nameBad},
		{"description", quoted(rapid.StringN(5, 300, -1)), rapid.OneOf(quoted(rapid.StringN(0, 4, -1)), raw("", "null", "[]"))},
		{"date_maj", dateOK, dateBad},
		{"type", rapid.OneOf(raw("", "null"), quoted(rapid.SampledFrom(values(vocab.TypesServices)))), raw(`"autre"`, "3", `["atelier"]`)},
		{"thematiques", them, themBad},
		{"frais", rapid.OneOf(raw("", "null"), quoted(rapid.SampledFrom(values(vocab.Frais)))), raw(`"libre"`, "0", `"Gratuit"`)},
		{"publics", publics, publicsBad},
		{"courriel", optEmail, badEmail},
		{"modes_accueil", accueil, accueilBad},
		{"zone_eligibilite",
			rapid.OneOf(raw("", "null"), list(rapid.SliceOfN(genZone, 1, 4)), raw(`["abc","A_1","99123"]`)),
			rapid.OneOf(raw("[]"), rapid.Map(zoneItemBad, func(s string) string { return `["92",` + s + `]` }))},
		{"lien_mobilisation", optURL, badURL},
		{"modes_mobilisation", mob, mobBad},
		{"mobilisable_par", par, parBad},
		{"code_postal", postalOK, postalBad},
		{"code_insee", inseeOK, inseeBad},
		{"lien_source", optURL, badURL},
		{"nombre_semaines", rapid.OneOf(raw("", "null", "3.0", "1e1"), rapid.Map(rapid.IntRange(1, 100), strconv.Itoa)), raw("0", "-1", "2.5", `"3"`)},
		{"volume_horaire_hebdomadaire", rapid.OneOf(raw("", "null", "0"), rapid.Map(rapid.Float64Range(0, 80), num)), raw("-0.5", `"2"`, "[]")},
		// Extensions and unknown fields: the schema does not look at them.
		{"passerelle_categorie", rapid.OneOf(raw("", "null"), quoted(rapid.Map(rapid.SampledFrom(vocab.Categories), func(c vocab.Category) string { return c.Code }))), nil},
		{"passerelle_peut_donner", raw("", "null", "true", "false"), nil},
		{"passerelle_acces_transport", rapid.OneOf(raw("", "null"), quoted(rapid.StringN(1, 30, -1))), nil},
		{"x-inconnu", rapid.OneOf(raw(""), genExtra), nil},
	}
	for _, f := range []string{"frais_precisions", "publics_precisions", "conditions_acces", "telephone", "contact_nom_prenom",
		"mobilisation_precisions", "adresse", "complement_adresse", "commune", "horaires_accueil"} {
		gens = append(gens, fieldGen{f, anyText, badText})
	}
	return gens
}

func structureGens() []fieldGen {
	reseaux, reseauxBad := vocabList(values(vocab.ReseauxPorteurs), 0)
	gens := []fieldGen{
		{"id", idGen, raw("", "null", "17")},
		{"source", quoted(genCode), raw("", "null", "1")},
		{"nom", nameOK, nameBad},
		{"date_maj", dateOK, dateBad},
		{"siret", rapid.OneOf(raw("", "null"), quoted(rapid.StringMatching(`[0-9]{14}`))), raw(`"1234567890123"`, `"1234567890123A"`, "12345678901234", `"123456789012345"`)},
		{"courriel", optEmail, badEmail},
		{"site_web", optURL, badURL},
		{"lien_source", optURL, badURL},
		{"accessibilite_lieu", optURL, badURL},
		{"reseaux_porteurs", reseaux, reseauxBad},
		{"description", rapid.OneOf(raw("", "null"), quoted(rapid.StringN(5, 200, -1))), rapid.OneOf(quoted(rapid.StringN(0, 4, -1)), raw("3"))},
		{"code_postal", postalOK, postalBad},
		{"code_insee", inseeOK, inseeBad},
		{"thematiques", rapid.OneOf(raw(""), raw(`"pas un champ de structure"`)), nil}, // unknown here: kept in Extra
	}
	for _, f := range []string{"telephone", "horaires_accueil", "adresse", "complement_adresse", "commune"} {
		gens = append(gens, fieldGen{f, anyText, badText})
	}
	return gens
}

// pointGen draws latitude and longitude together ("" = absent): Passerelle wants both or
// neither, in France; the schema only wants numbers. An invalid pair has a value of the wrong
// JSON type.
func pointGen(t *rapid.T, bad bool) (lat, lon string) {
	if bad {
		p := rapid.SampledFrom([][2]string{{`"48.8"`, "2.2"}, {"48.8", "true"}, {`"48.8"`, `"2.2"`}, {"[]", ""}, {"", "{}"}, {"null", `"2"`}}).Draw(t, "point invalide")
		return p[0], p[1]
	}
	switch rapid.IntRange(0, 3).Draw(t, "point") {
	case 0:
		return "", ""
	case 1:
		return "null", rapid.SampledFrom([]string{"", "null"}).Draw(t, "lon null")
	case 2:
		return num(rapid.Float64Range(-21.3, -20.9).Draw(t, "lat")), num(rapid.Float64Range(55.3, 55.8).Draw(t, "lon"))
	}
	return num(rapid.Float64Range(48.7, 48.95).Draw(t, "lat")), num(rapid.Float64Range(2.1, 2.35).Draw(t, "lon"))
}

// genRecord draws a JSON object from gens with up to three fields invalid.
func genRecord(t *rapid.T, gens []fieldGen) string {
	var badable []int
	for i, g := range gens {
		if g.bad != nil {
			badable = append(badable, i)
		}
	}
	bad := map[int]bool{}
	for _, i := range rapid.SliceOfNDistinct(rapid.SampledFrom(badable), 0, 3, rapid.ID[int]).Draw(t, "champs invalides") {
		bad[i] = true
	}
	var members []string
	for i, g := range gens {
		gen := g.valid
		if bad[i] {
			gen = g.bad
		}
		if v := gen.Draw(t, g.name); v != "" {
			members = append(members, fmt.Sprintf("%q:%s", g.name, v))
		}
	}
	lat, lon := pointGen(t, rapid.IntRange(0, 9).Draw(t, "point invalide?") == 0)
	if lat != "" {
		members = append(members, `"latitude":`+lat)
	}
	if lon != "" {
		members = append(members, `"longitude":`+lon)
	}
	members = rapid.Permutation(members).Draw(t, "ordre")
	return "{" + strings.Join(members, ",") + "}"
}

// TestProperty_AgreesWithOfficialSchema: for random records, valid or not, Decode accepts a
// record exactly when the official JSON Schema accepts it.
func TestProperty_AgreesWithOfficialSchema(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"service", "structure"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			sch := officialSchema(t, kind)
			gens := serviceGens()
			if kind == "structure" {
				gens = structureGens()
			}
			var accepted, refused atomic.Int64
			rapid.Check(t, func(t *rapid.T) {
				for range 10 {
					rec := genRecord(t, gens)
					if rapid.IntRange(0, 30).Draw(t, "pas un objet?") == 0 {
						rec = rapid.SampledFrom([]string{"1", `"texte"`, "null", "[]", "true"}).Draw(t, "pas un objet")
					}
					inst, err := jsonschema.UnmarshalJSON(strings.NewReader(rec))
					if err != nil {
						t.Fatalf("generated JSON is invalid: %v\n%s", err, rec)
					}
					schemaErr := sch.Validate(inst)
					p, err := Decode(strings.NewReader("["+rec+"]"), "test", Options{Format: FormatDIJSON})
					if err != nil {
						t.Fatalf("decode: %v", err)
					}
					ours := len(p.Rejected) == 0
					if ours != (schemaErr == nil) {
						reason := ""
						if !ours {
							reason = p.Rejected[0].Reason
						}
						t.Fatalf("disagreement on\n%s\nschema: %v\nPasserelle: accepted=%v %s", rec, schemaErr, ours, reason)
					}
					if ours && (kind == "service") != (len(p.Services) == 1) {
						t.Fatalf("record read as the wrong kind: %+v", p)
					}
					if ours {
						accepted.Add(1)
					} else {
						refused.Add(1)
					}
				}
			})
			// Both outcomes must occur, or the property proves nothing.
			if accepted.Load() < 50 || refused.Load() < 50 {
				t.Errorf("accepted %d, refused %d: the generator is lopsided", accepted.Load(), refused.Load())
			}
		})
	}
}
