package datainclusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// TestDecode_JSONFileErrors checks the files that cannot be read at all: nothing is imported
// and the French message says why.
func TestDecode_JSONFileErrors(t *testing.T) {
	t.Parallel()
	good := string(mustJSON(t, []any{validService(), validStructure()}))
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"vide", "", "est vide"},
		{"blancs seulement", " \n\t\r\n ", "est vide"},
		{"BOM seul", "\xEF\xBB\xBF", "est vide"},
		{"tronqué au milieu d'un enregistrement", good[:len(good)/2], "est tronqué"},
		{"tronqué avant le crochet final", strings.TrimSuffix(good, "]"), "est tronqué"},
		{"crochet ouvrant seul", "[", "est tronqué"},
		{"pas du JSON", "[ceci n'est pas du JSON]", "n’est pas un JSON valide"},
		{"virgule manquante", `[{"id":"a"} {"id":"b"}]`, "n’est pas un JSON valide"},
		{"virgule finale", `[{"id":"a"},]`, "n’est pas un JSON valide"},
		{"données après la fin", good + `{"id":"x"}`, "contient des données après la fin du JSON"},
		{"deux tableaux", "[][]", "contient des données après la fin du JSON"},
		{"objet sans items", `{"total": 0, "data": []}`, "sans clé « items »"},
		{"items nul", `{"items": null}`, "« items » n’est pas un tableau"},
		{"items objet", `{"items": {"id": "a"}}`, "« items » n’est pas un tableau"},
		{"items en double", `{"items": [], "items": []}`, "deux fois la clé « items »"},
		{"objet tronqué", `{"items": [` + good[1:len(good)-1], "est tronqué"},
		{"pas UTF-8", "[{\"id\":\"caf\xe9\",\"source\":\"a\",\"nom\":\"abc\",\"date_maj\":\"2025-01-01\"}]", "n’est pas encodé en UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg := decodeErr(t, []byte(tc.in))
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "« test »") {
				t.Errorf("message %q does not contain %q and the file name", msg, tc.want)
			}
		})
	}
	t.Run("format JSON imposé sur un CSV", func(t *testing.T) {
		t.Parallel()
		_, err := Decode(strings.NewReader("id;nom\n"), "test", Options{Format: FormatDIJSON})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("want EINVALID, got %v", err)
		}
	})
	t.Run("format inconnu", func(t *testing.T) {
		t.Parallel()
		_, err := Decode(strings.NewReader("[]"), "test", Options{Format: "xml"})
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "Format d’import inconnu") {
			t.Errorf("want EINVALID unknown format, got %v", err)
		}
	})
}

// TestDecode_JSONShapes checks the accepted shapes of a file.
func TestDecode_JSONShapes(t *testing.T) {
	t.Parallel()
	sv, st := validService(), validStructure()
	t.Run("tableau vide", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte(" [ ] "))
		if p.Format != FormatDIJSON || p.Read != 0 {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("page d'API items", func(t *testing.T) {
		t.Parallel()
		page := fmt.Sprintf(`{"total": 2, "page": 1, "autre": {"items": 3}, "items": %s, "size": 50}`, mustJSON(t, []any{sv, st}))
		p := decodeBytes(t, []byte(page))
		if len(p.Services) != 1 || len(p.Structures) != 1 || len(p.Rejected) != 0 {
			t.Errorf("got %d services, %d structures, rejected %+v", len(p.Services), len(p.Structures), p.Rejected)
		}
	})
	t.Run("BOM et blancs en tête", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, append([]byte("\xEF\xBB\xBF\r\n  "), mustJSON(t, []any{sv})...))
		if len(p.Services) != 1 {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("structures et services mêlés, classés par structure_id", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, mustJSON(t, []any{st, sv, with(st, "id", "cd92--st-2")}))
		if len(p.Structures) != 2 || len(p.Services) != 1 {
			t.Errorf("got %d structures, %d services", len(p.Structures), len(p.Services))
		}
	})
	t.Run("enregistrements qui ne sont pas des objets", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte(`[1, "texte", null, [{"id":"a"}], true, {"id":"a--1","source":"a","nom":"Abc","date_maj":"2025-01-01"}]`))
		if len(p.Rejected) != 5 || len(p.Structures) != 1 || p.Read != 6 {
			t.Fatalf("got %+v", p)
		}
		for i, want := range []string{"un nombre", "une chaîne de caractères", "null", "un tableau", "un booléen"} {
			r := p.Rejected[i]
			if r.Position != i || !strings.Contains(r.Reason, "l’enregistrement n’est pas un objet JSON mais "+want) {
				t.Errorf("rejection %d: %+v", i, r)
			}
		}
	})
	t.Run("positions", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, mustJSON(t, []any{sv, with(sv, "id", "b", "nom", "x"), st, with(st, "id", "c", "siret", "1")}))
		if len(p.Rejected) != 2 || p.Rejected[0].Position != 1 || p.Rejected[1].Position != 3 ||
			p.Rejected[0].ID != "b" || p.Rejected[1].ID != "c" {
			t.Errorf("rejections %+v", p.Rejected)
		}
		if !reflect.DeepEqual(p.ServicePositions, []int{0}) || !reflect.DeepEqual(p.StructurePositions, []int{2}) {
			t.Errorf("positions of valid records: %v %v", p.ServicePositions, p.StructurePositions)
		}
	})
}

// TestDecode_Duplicates checks that the same identifier twice in a file rejects the later one.
func TestDecode_Duplicates(t *testing.T) {
	t.Parallel()
	sv, st := validService(), validStructure()
	t.Run("service en double", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, mustJSON(t, []any{sv, st, with(sv, "nom", "Autre nom")}))
		r := onlyRejectionOf(t, p.Rejected)
		if r.Position != 2 || r.Reason != "id : identifiant « cd92--sv-1 » déjà présent en position 0" {
			t.Errorf("got %+v", r)
		}
		if len(p.Services) != 1 || p.Services[0].Nom != sv["nom"] {
			t.Errorf("the first service must be kept: %+v", p.Services)
		}
	})
	t.Run("structure en double", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, mustJSON(t, []any{st, sv, st}))
		r := onlyRejectionOf(t, p.Rejected)
		if r.Position != 2 || !strings.Contains(r.Reason, "déjà présent en position 0") {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("identifiant qualifié ou non", func(t *testing.T) {
		t.Parallel()
		// "cd92--sv-1" and "sv-1" of source cd92 are the same data·inclusion record.
		p := decodeBytes(t, mustJSON(t, []any{sv, with(sv, "id", "sv-1")}))
		r := onlyRejectionOf(t, p.Rejected)
		if !strings.Contains(r.Reason, "identifiant « sv-1 » déjà présent en position 0") {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("même id, autre source", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, mustJSON(t, []any{with(sv, "id", "42"), with(sv, "id", "42", "source", "dora")}))
		if len(p.Rejected) != 0 || len(p.Services) != 2 {
			t.Errorf("got %+v", p.Rejected)
		}
	})
	t.Run("doublon d'un enregistrement invalide", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, mustJSON(t, []any{with(sv, "nom", "x"), sv}))
		if len(p.Rejected) != 2 || !strings.Contains(p.Rejected[1].Reason, "déjà présent en position 0") {
			t.Errorf("got %+v", p.Rejected)
		}
	})
	t.Run("champ répété dans un objet", func(t *testing.T) {
		t.Parallel()
		raw := `[{"id":"a--1","source":"a","nom":"Abc","nom":"Autre","date_maj":"2025-01-01","x":1,"x":2}]`
		r := onlyRejection(t, decodeBytes(t, []byte(raw)))
		if r.Reason != "nom : champ présent plusieurs fois ; x : champ présent plusieurs fois" {
			t.Errorf("got %q", r.Reason)
		}
	})
}

func onlyRejectionOf(t *testing.T, rs []domain.Rejection) domain.Rejection {
	t.Helper()
	if len(rs) != 1 {
		t.Fatalf("want one rejection, got %+v", rs)
	}
	return rs[0]
}

// TestDecode_KeepsRecordsUnchanged checks that what is read is what the file says: unknown
// fields in Extra, escapes decoded, nothing trimmed or converted.
func TestDecode_KeepsRecordsUnchanged(t *testing.T) {
	t.Parallel()
	raw := `[{"id":"a--1","source":"a","nom":"  L\u2019\u00e9picerie \ud83c\udf4e\n ","date_maj":"2025-01-01",
		"description":null,"latitude":48.82300000,"longitude":2.26,
		"x-liste": [ 1, {"b" : "c"} ], "x-vide": null, "x-texte": "caf\u00e9"}]`
	p := decodeBytes(t, []byte(raw))
	if len(p.Structures) != 1 {
		t.Fatalf("got %+v", p)
	}
	st := p.Structures[0]
	if st.Nom != "  L’épicerie 🍎\n " {
		t.Errorf("nom = %q", st.Nom)
	}
	if st.Description != nil || st.Siret != nil || *st.Latitude != 48.823 {
		t.Errorf("got description %v siret %v latitude %v", st.Description, st.Siret, *st.Latitude)
	}
	want := map[string]string{"x-liste": `[1,{"b":"c"}]`, "x-vide": "null", "x-texte": `"caf\u00e9"`}
	if len(st.Extra) != len(want) {
		t.Errorf("Extra = %v", st.Extra)
	}
	for k, v := range want {
		if string(st.Extra[k]) != v {
			t.Errorf("Extra[%s] = %s, want %s", k, st.Extra[k], v)
		}
	}
	t.Run("demi-paire UTF-16 isolée refusée", func(t *testing.T) {
		t.Parallel()
		r := onlyRejection(t, decodeBytes(t, []byte(`[{"id":"a--1","source":"a","nom":"Ab\ud800c","date_maj":"2025-01-01"}]`)))
		if !strings.Contains(r.Reason, "nom : contient un caractère Unicode invalide") {
			t.Errorf("got %q", r.Reason)
		}
	})
}

// TestDecode_Progress checks that progress is reported while a large file streams.
func TestDecode_Progress(t *testing.T) {
	t.Parallel()
	n := 12_345
	if raceEnabled {
		n = 5_001
	}
	var buf bytes.Buffer
	buf.WriteString("[")
	for i := range n {
		if i > 0 {
			buf.WriteString(",")
		}
		rec := with(validService(), "id", fmt.Sprintf("cd92--sv-%d", i))
		if i%1000 == 999 {
			rec["nom"] = "x"
		}
		b, _ := json.Marshal(rec)
		buf.Write(b)
	}
	buf.WriteString("]")
	var calls []int
	p, err := Decode(&buf, "test", Options{Progress: func(n int) { calls = append(calls, n) }})
	if err != nil {
		t.Fatal(err)
	}
	checkParsed(t, p)
	if p.Read != n || len(p.Rejected) != n/1000 {
		t.Errorf("read %d, rejected %d", p.Read, len(p.Rejected))
	}
	if len(calls) == 0 || calls[len(calls)-1] != n || calls[0] != progressEvery {
		t.Errorf("progress calls %v", calls)
	}
}

// TestDecode_RecordKind checks how a record is classed: a service when it has structure_id, or
// fields only services have; else a structure.
func TestDecode_RecordKind(t *testing.T) {
	t.Parallel()
	st := validStructure()
	p := decodeBytes(t, mustJSON(t, []any{with(st, "thematiques", []any{"x"}), with(st, "id", "b", "publics", []any{"jeunes"})}))
	if len(p.Structures) != 1 || p.Structures[0].Extra["thematiques"] == nil {
		t.Errorf("a structure with thematiques (v0) must stay a structure: %+v", p)
	}
	if len(p.Rejected) != 1 || !strings.HasPrefix(p.Rejected[0].Reason, "structure_id : champ obligatoire absent") {
		t.Errorf("a record with publics but no structure_id is a service without structure_id: %+v", p.Rejected)
	}
}
