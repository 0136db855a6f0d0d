package datainclusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/edas92/passerelle/internal/domain"
)

// absent, as a value in a test record, removes the field.
type absentT struct{}

var absent = absentT{}

// validService returns a service where every data·inclusion field is set and valid.
func validService() map[string]any {
	return map[string]any{
		"id":                          "cd92--sv-1",
		"source":                      "cd92",
		"structure_id":                "cd92--st-1",
		"nom":                         "Atelier cuisine et budget",
		"description":                 "Cuisiner ensemble des produits de saison à petit prix.",
		"date_maj":                    "2025-01-15",
		"type":                        "atelier",
		"thematiques":                 []any{"equipement-et-alimentation--alimentation", "remobilisation--lien-social"},
		"frais":                       "gratuit",
		"frais_precisions":            "Sans adhésion.",
		"publics":                     []any{"familles", "seniors"},
		"publics_precisions":          "Habitants de la commune.",
		"conditions_acces":            "Aucune.",
		"telephone":                   "+33146421234",
		"courriel":                    "atelier@exemple.fr",
		"contact_nom_prenom":          "Claire Martin",
		"modes_accueil":               []any{"en-presentiel"},
		"zone_eligibilite":            []any{"92040", "92"},
		"lien_mobilisation":           "https://exemple.fr/inscription",
		"modes_mobilisation":          []any{"telephoner"},
		"mobilisable_par":             []any{"usagers", "professionnels"},
		"mobilisation_precisions":     "Appeler le matin.",
		"adresse":                     "3 place de la Mairie",
		"complement_adresse":          "Salle 2",
		"code_postal":                 "92130",
		"code_insee":                  "92040",
		"commune":                     "Issy-les-Moulineaux",
		"latitude":                    48.8232,
		"longitude":                   2.2641,
		"horaires_accueil":            "We 14:00-17:00",
		"lien_source":                 "https://exemple.fr/services/1",
		"nombre_semaines":             10,
		"volume_horaire_hebdomadaire": 3,
		"passerelle_categorie":        "epicerie-solidaire",
		"passerelle_peut_donner":      true,
		"passerelle_acces_transport":  "Tram T2.",
	}
}

// validStructure returns a structure where every data·inclusion field is set and valid.
func validStructure() map[string]any {
	return map[string]any{
		"id":                 "cd92--st-1",
		"source":             "cd92",
		"nom":                "Centre social Les Epinettes",
		"date_maj":           "2024-12-01",
		"siret":              "12345678900017",
		"telephone":          "0146421234",
		"courriel":           "contact@centre.exemple.fr",
		"site_web":           "https://centre.exemple.fr",
		"lien_source":        "https://exemple.fr/structures/1",
		"horaires_accueil":   "Mo-Fr 09:00-18:00",
		"accessibilite_lieu": "https://acceslibre.beta.gouv.fr/app/erp/1/",
		"reseaux_porteurs":   []any{"ccas-cias"},
		"description":        "Un centre social ouvert à tous.",
		"adresse":            "1 rue de la Paix",
		"complement_adresse": "1er étage",
		"code_postal":        "92130",
		"code_insee":         "92040",
		"commune":            "Issy-les-Moulineaux",
		"latitude":           48.8232,
		"longitude":          2.2641,
	}
}

// with returns a copy of rec with the given fields changed (absent removes a field).
func with(rec map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == absent {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeBytes decodes b and fails the test on a file-level error.
func decodeBytes(t testing.TB, b []byte) Parsed {
	t.Helper()
	p, err := Decode(bytes.NewReader(b), "test", Options{})
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	checkParsed(t, p)
	return p
}

// decodeErr decodes b, expects a file-level EINVALID error and returns its message.
func decodeErr(t testing.TB, b []byte) string {
	t.Helper()
	p, err := Decode(bytes.NewReader(b), "test", Options{})
	if err == nil {
		t.Fatalf("Decode accepted the file: %+v", p)
	}
	if code := domain.ErrorCode(err); code != domain.EINVALID {
		t.Fatalf("error code %q, want %q (%v)", code, domain.EINVALID, err)
	}
	if !reflect.DeepEqual(p, Parsed{}) {
		t.Fatalf("Decode failed but returned records: %+v", p)
	}
	return domain.ErrorMessage(err)
}

// checkParsed checks the invariants of every successful Decode.
func checkParsed(t testing.TB, p Parsed) {
	t.Helper()
	if p.Read != len(p.Structures)+len(p.Services)+len(p.Rejected) {
		t.Errorf("Read = %d, want %d valid + %d rejected", p.Read, len(p.Structures)+len(p.Services), len(p.Rejected))
	}
	for _, st := range p.Structures {
		if want := domain.RecordUUID(domain.KindStructure, st.Source, st.ID); st.UUID != want {
			t.Errorf("structure %q UUID %q, want %q", st.ID, st.UUID, want)
		}
	}
	for _, sv := range p.Services {
		if want := domain.RecordUUID(domain.KindService, sv.Source, sv.ID); sv.UUID != want {
			t.Errorf("service %q UUID %q, want %q", sv.ID, sv.UUID, want)
		}
	}
	if len(p.StructurePositions) != len(p.Structures) || len(p.ServicePositions) != len(p.Services) {
		t.Errorf("%d structure positions for %d structures, %d service positions for %d services",
			len(p.StructurePositions), len(p.Structures), len(p.ServicePositions), len(p.Services))
	}
	for _, r := range p.Rejected {
		if r.Reason == "" || r.File != "test" {
			t.Errorf("rejection without reason or file: %+v", r)
		}
	}
}

// onlyRejection returns the reason of the single rejected record of p.
func onlyRejection(t testing.TB, p Parsed) domain.Rejection {
	t.Helper()
	if len(p.Rejected) != 1 || len(p.Services)+len(p.Structures) != 0 {
		t.Fatalf("want exactly one rejection, got %d structures, %d services, rejections %+v",
			len(p.Structures), len(p.Services), p.Rejected)
	}
	return p.Rejected[0]
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// officialSchema returns the compiled official schema "structure" or "service", with format
// assertions on (date, email, uri), which draft 2020-12 leaves off by default.
func officialSchema(t testing.TB, name string) *jsonschema.Schema {
	t.Helper()
	schemasOnce.Do(func() {
		schemas = map[string]*jsonschema.Schema{}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		for _, n := range []string{"structure", "service"} {
			s, err := c.Compile(filepath.Join("testdata", "schema", n+".json"))
			if err != nil {
				schemasErr = err
				return
			}
			schemas[n] = s
		}
	})
	if schemasErr != nil {
		t.Fatal(schemasErr)
	}
	return schemas[name]
}

// schemaErrors validates every element of a JSON array against a schema and returns the
// failures, one per invalid element.
func schemaErrors(t testing.TB, name string, array []byte) []string {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(array))
	if err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	var out []string
	for i, el := range inst.([]any) {
		if err := officialSchema(t, name).Validate(el); err != nil {
			out = append(out, fmt.Sprintf("élément %d : %s", i, strings.ReplaceAll(err.Error(), "\n", " ")))
		}
	}
	return out
}

// sortedStructures and sortedServices order records by UUID, for comparisons that do not care
// about order.
func sortedStructures(s []domain.Structure) []domain.Structure {
	out := append([]domain.Structure(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out
}

func sortedServices(s []domain.Service) []domain.Service {
	out := append([]domain.Service(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out
}

// semanticJSON reads a JSON array of objects and drops null members, so that two files can be
// compared as data (absent ≡ null).
func semanticJSON(t testing.TB, b []byte) []map[string]any {
	t.Helper()
	var recs []map[string]any
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("not a JSON array of objects: %v", err)
	}
	for _, r := range recs {
		for k, v := range r {
			if v == nil {
				delete(r, k)
			}
		}
	}
	return recs
}

// equalJSON compares two records by their JSON export and Extra (Meta aside).
func equalJSON[R domain.Structure | domain.Service](t testing.TB, got, want R) bool {
	t.Helper()
	var a, b bytes.Buffer
	var err1, err2 error
	switch g := any(got).(type) {
	case domain.Structure:
		err1 = EncodeStructures(&a, []domain.Structure{g})
		err2 = EncodeStructures(&b, []domain.Structure{any(want).(domain.Structure)})
	case domain.Service:
		err1 = EncodeServices(&a, []domain.Service{g})
		err2 = EncodeServices(&b, []domain.Service{any(want).(domain.Service)})
	}
	if err1 != nil || err2 != nil {
		t.Fatalf("encode: %v %v", err1, err2)
	}
	return a.String() == b.String()
}
