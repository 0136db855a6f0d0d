package datainclusion

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// TestEncode_SchemaValid checks that exports are valid against the official schemas, for the
// fixtures and for records with every field set.
func TestEncode_SchemaValid(t *testing.T) {
	t.Parallel()
	sts := decodeBytes(t, readFixture(t, "structures.json")).Structures
	sts = append(sts, decodeBytes(t, mustJSON(t, []any{validStructure()})).Structures...)
	svs := decodeBytes(t, readFixture(t, "services.json")).Services
	svs = append(svs, decodeBytes(t, mustJSON(t, []any{validService()})).Services...)
	csvp := decodeBytes(t, readFixture(t, "guide.csv"))
	sts, svs = append(sts, csvp.Structures...), append(svs, csvp.Services...)
	if len(sts) != 6 || len(svs) != 7 {
		t.Fatalf("fixtures gave %d structures, %d services", len(sts), len(svs))
	}
	var a, b bytes.Buffer
	if err := EncodeStructures(&a, sts); err != nil {
		t.Fatal(err)
	}
	if err := EncodeServices(&b, svs); err != nil {
		t.Fatal(err)
	}
	for _, e := range schemaErrors(t, "structure", a.Bytes()) {
		t.Errorf("structure export invalid: %s", e)
	}
	for _, e := range schemaErrors(t, "service", b.Bytes()) {
		t.Errorf("service export invalid: %s", e)
	}
	// The check can fail: an export the schema refuses is caught.
	bad := bytes.Replace(b.Bytes(), []byte(`"date_maj":"2025-03-14"`), []byte(`"date_maj":"2025-02-30"`), 1)
	if len(schemaErrors(t, "service", bad)) != 1 {
		t.Errorf("the schema check did not catch an impossible date")
	}
}

// TestEncode_JSONRoundTrip checks Decode → Encode → Decode on the fixtures: the same domain
// records, and an export equal to the input as data (absent ≡ null).
func TestEncode_JSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"structures.json", "services.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := readFixture(t, name)
			p1 := decodeBytes(t, in)
			if len(p1.Rejected) != 0 || p1.Read != 3 {
				t.Fatalf("fixture: %+v", p1)
			}
			out := encodeParsed(t, p1)
			p2 := decodeBytes(t, out)
			if !reflect.DeepEqual(p1, p2) {
				t.Errorf("records changed:\n%+v\n%+v", p1, p2)
			}
			if got, want := semanticJSON(t, out), semanticJSON(t, in); !reflect.DeepEqual(got, want) {
				t.Errorf("export differs from input:\n got %v\nwant %v", got, want)
			}
			// And the export is stable.
			if again := encodeParsed(t, p2); !bytes.Equal(again, out) {
				t.Errorf("second export differs")
			}
		})
	}
}

func encodeParsed(t testing.TB, p Parsed) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	if len(p.Services) > 0 {
		err = EncodeServices(&b, p.Services)
	} else {
		err = EncodeStructures(&b, p.Structures)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEncode_JSONShape checks the layout of an export: every schema field, null when absent,
// extensions only when set, Extra fields after, one record per line.
func TestEncode_JSONShape(t *testing.T) {
	t.Parallel()
	sv := domain.Service{ID: "a--1", Source: "a", StructureID: "a--2", Nom: "Abc", Description: "Abcde", DateMaj: "2025-01-01",
		Thematiques: []string{}, Latitude: domain.Ptr(1e-7), VolumeHoraireHebdomadaire: domain.Ptr(1e21),
		Extra: map[string]json.RawMessage{"z": json.RawMessage(`{ "b" : 1 }`), "y": json.RawMessage(`"é<&>"`)}}
	var b bytes.Buffer
	if err := EncodeServices(&b, []domain.Service{sv, sv}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if len(lines) != 5 || lines[0] != "[" || lines[3] != "]" || !strings.HasSuffix(lines[1], "},") {
		t.Fatalf("layout:\n%s", b.String())
	}
	rec := lines[2]
	for _, w := range []string{`{"id":"a--1","source":"a","structure_id":"a--2","nom":"Abc","description":"Abcde","date_maj":"2025-01-01","type":null,"thematiques":[],`,
		`"latitude":1e-7,`, `"volume_horaire_hebdomadaire":1e+21}`[:len(`"volume_horaire_hebdomadaire":1e+21`)], `,"y":"é<&>","z":{"b":1}}`} {
		if !strings.Contains(rec, w) {
			t.Errorf("record %s\nlacks %s", rec, w)
		}
	}
	if strings.Contains(rec, "passerelle_") {
		t.Errorf("unset extension fields written: %s", rec)
	}
	var empty bytes.Buffer
	if err := EncodeStructures(&empty, nil); err != nil || empty.String() != "[]\n" {
		t.Errorf("empty export %q, %v", empty.String(), err)
	}
}

func TestEncode_Errors(t *testing.T) {
	t.Parallel()
	base := domain.Structure{ID: "a--1", Source: "a", Nom: "Abc", DateMaj: "2025-01-01"}
	tests := []struct {
		name string
		st   domain.Structure
	}{
		{"NaN", func() domain.Structure { s := base; s.Latitude = domain.Ptr(math.NaN()); return s }()},
		{"Extra qui masque un champ", func() domain.Structure {
			s := base
			s.Extra = map[string]json.RawMessage{"nom": json.RawMessage(`"x"`)}
			return s
		}()},
		{"Extra pas JSON", func() domain.Structure {
			s := base
			s.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
			return s
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := EncodeStructures(&bytes.Buffer{}, []domain.Structure{tc.st}); err == nil {
				t.Errorf("export accepted")
			}
		})
	}
}

// TestEncodeCSV_RoundTrip checks that a spreadsheet exported and read again gives the same
// records, and that the export is stable.
func TestEncodeCSV_RoundTrip(t *testing.T) {
	t.Parallel()
	p1 := decodeBytes(t, readFixture(t, "guide.csv"))
	if len(p1.Rejected) != 0 || len(p1.Services) != 3 || len(p1.Structures) != 2 {
		t.Fatalf("fixture: %+v", p1)
	}
	if d := p1.Services[0].Description; !strings.Contains(d, "cuisine.\r\nSans argent") {
		t.Errorf("multi-line cell = %q", d)
	}
	if a := p1.Services[2].AccesTransport; a != `RER A Nanterre-Préfecture, sortie "Cœur de quartier"` {
		t.Errorf("quoted cell = %q", a)
	}
	var out bytes.Buffer
	// A structure without service is written too.
	extra := domain.Structure{ID: "cd92--seule", Source: "cd92", Nom: "Structure seule", DateMaj: "2025-01-01",
		ReseauxPorteurs: []string{"caf", "ccas-cias"}, Description: domain.Ptr("Ligne 1\r\nLigne 2 ; « 3 »")}
	extra.UUID = domain.RecordUUID(domain.KindStructure, extra.Source, extra.ID)
	sts := append(append([]domain.Structure(nil), p1.Structures...), extra)
	if err := EncodeCSV(&out, sts, p1.Services); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), append(append([]byte(nil), utf8BOM...), "id;source;structure_id;nom;"...)) {
		t.Errorf("export does not start with BOM and header: %q", out.String()[:40])
	}
	p2 := decodeBytes(t, out.Bytes())
	if len(p2.Rejected) != 0 {
		t.Fatalf("re-import rejected %+v", p2.Rejected)
	}
	if !reflect.DeepEqual(sortedStructures(p2.Structures), sortedStructures(sts)) {
		t.Errorf("structures changed:\n got %+v\nwant %+v", p2.Structures, sts)
	}
	if !reflect.DeepEqual(p2.Services, p1.Services) {
		t.Errorf("services changed:\n got %+v\nwant %+v", p2.Services, p1.Services)
	}
	var again bytes.Buffer
	if err := EncodeCSV(&again, p2.Structures, p2.Services); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
		t.Errorf("second export differs (%v)", err)
	}
}

// TestEncodeCSV_FromJSON checks JSON → CSV → JSON on the fixtures: equal records, but for what
// CSV cannot hold (docs/import-formats.md): Extra fields and empty lists.
func TestEncodeCSV_FromJSON(t *testing.T) {
	t.Parallel()
	sts := decodeBytes(t, readFixture(t, "structures.json")).Structures
	svs := decodeBytes(t, readFixture(t, "services.json")).Services
	var out bytes.Buffer
	if err := EncodeCSV(&out, sts, svs); err != nil {
		t.Fatal(err)
	}
	p := decodeBytes(t, out.Bytes())
	if len(p.Rejected) != 0 {
		t.Fatalf("rejected %+v", p.Rejected)
	}
	for i := range sts {
		sts[i].Extra = nil
		if sts[i].ReseauxPorteurs != nil && len(sts[i].ReseauxPorteurs) == 0 {
			sts[i].ReseauxPorteurs = nil
		}
	}
	for i := range svs {
		svs[i].Extra = nil
		if svs[i].Thematiques != nil && len(svs[i].Thematiques) == 0 {
			svs[i].Thematiques = nil
		}
	}
	if !reflect.DeepEqual(sortedStructures(p.Structures), sortedStructures(sts)) {
		t.Errorf("structures:\n got %+v\nwant %+v", p.Structures, sts)
	}
	if !reflect.DeepEqual(p.Services, svs) {
		t.Errorf("services:\n got %+v\nwant %+v", p.Services, svs)
	}
}

func TestEncodeCSV_Errors(t *testing.T) {
	t.Parallel()
	st := domain.Structure{ID: "a--s", Source: "a", Nom: "Abc", DateMaj: "2025-01-01"}
	sv := domain.Service{ID: "a--1", Source: "a", StructureID: "a--autre", Nom: "Abc", Description: "Abcde", DateMaj: "2025-01-01"}
	err := EncodeCSV(&bytes.Buffer{}, []domain.Structure{st}, []domain.Service{sv})
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "renvoie à la structure « a--autre », absente de l’export") {
		t.Errorf("missing structure: %v", err)
	}
	sv.StructureID = "a--s"
	sv.Publics = []string{"jeunes|femmes"}
	err = EncodeCSV(&bytes.Buffer{}, []domain.Structure{st}, []domain.Service{sv})
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "contient « | »") {
		t.Errorf("pipe in a list: %v", err)
	}
}

// TestEncodeCSV_DocumentedHeader checks that docs/import-formats.md shows the exact header
// EncodeCSV writes, so the documentation cannot drift from the code.
func TestEncodeCSV_DocumentedHeader(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/import-formats.md")
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Join(csvColumns, ";")
	if !strings.Contains(string(doc), header) {
		t.Errorf("docs/import-formats.md lacks the header line:\n%s", header)
	}
	for _, c := range csvRequired {
		if !strings.Contains(string(doc), "`"+c+"`") {
			t.Errorf("docs/import-formats.md does not name the required column %s", c)
		}
	}
}

// TestDocExamples checks that the examples of docs/import-formats.md import without rejection.
func TestDocExamples(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/import-formats.md")
	if err != nil {
		t.Fatal(err)
	}
	block := func(lang string) []byte {
		_, rest, ok := strings.Cut(string(doc), "```"+lang+"\n")
		body, _, ok2 := strings.Cut(rest, "```")
		if !ok || !ok2 {
			t.Fatalf("no %s example in the doc", lang)
		}
		return []byte(body)
	}
	p := decodeBytes(t, block("json"))
	if len(p.Services) != 1 || len(p.Rejected) != 0 || p.Services[0].Categorie != "epicerie-solidaire" {
		t.Errorf("JSON example: %+v", p)
	}
	p = decodeBytes(t, block("csv"))
	if len(p.Services) != 2 || len(p.Structures) != 1 || len(p.Rejected) != 0 {
		t.Fatalf("CSV example: %+v", p)
	}
	if d := p.Services[0].Description; d != "Un système d'échange local.\nSans argent, entre voisins." {
		t.Errorf("multi-line cell: %q", d)
	}
}
