package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// cli runs the tool in-process on a data folder and returns its exit code and outputs.
func cli(t *testing.T, dataDir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if dataDir != "" {
		args = append(args, "--data-dir", dataDir)
	}
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const structures = `[{"id":"cd92--s1","source":"cd92","nom":"Association La Clé","date_maj":"2026-10-01","code_insee":"92050","commune":"Nanterre","latitude":48.8924,"longitude":2.2069}]`

const services = `[
 {"id":"cd92--v1","source":"cd92","structure_id":"cd92--s1","nom":"Épicerie solidaire La Clé","description":"Des courses à petit prix.","date_maj":"2026-10-01","frais":"payant","thematiques":["equipement-et-alimentation--alimentation"],"horaires_accueil":"Sa 10:00-12:00"},
 {"id":"cd92--v2","source":"cd92","structure_id":"cd92--s1","nom":"Café des voisins","description":"Un café pour se retrouver.","date_maj":"2026-10-01","frais":"gratuit","modes_accueil":["en-presentiel"]}
]`

func TestUsage(t *testing.T) {
	t.Parallel()
	if code, out, _ := cli(t, ""); code != exitNothing || !strings.Contains(out, "passerelle import") {
		t.Errorf("no arguments: exit %d, %q", code, out)
	}
	if code, out, _ := cli(t, "", "help"); code != exitOK || !strings.Contains(out, "passerelle search") {
		t.Errorf("help: exit %d", code)
	}
	if code, _, errOut := cli(t, "", "frobnicate"); code != exitNothing || !strings.Contains(errOut, "commande inconnue") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if code, _, errOut := cli(t, t.TempDir(), "search", "--frobnicate"); code != exitNothing || !strings.Contains(errOut, "option inconnue") {
		t.Errorf("unknown option: exit %d, %q", code, errOut)
	}
}

func TestImport_ExitCodesAndJSONReport(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	st := write(t, tmp, "structures.json", structures)
	sv := write(t, tmp, "services.json", services)
	bad := write(t, tmp, "bad.json", `[{"id":"cd92--v3","source":"cd92","structure_id":"cd92--s1","nom":"OK","description":"Trop court ?","date_maj":"hier"}]`)
	notJSON := write(t, tmp, "broken.json", `[{"id": "cd92--v4",`)
	csvFile := write(t, tmp, "annuaire.csv", "\ufeffsource;id;structure_id;structure_nom;nom;description;date_maj;code_insee\n"+
		"cd92;c1;cd92--c;Centre social;Repair café du centre;On répare ensemble.;2026-10-01;92050\n"+
		"cd92;c2;cd92--c;Centre social;Ressourcerie;Des objets de seconde main.;2026-13-45;92050\n")

	for _, tc := range []struct {
		name     string
		files    []string
		code     int
		imported int
		rejected []string // file base name + ":" + position
	}{
		{"all valid", []string{sv, st}, exitOK, 3, nil},
		{"some rejected", []string{st, sv, bad}, exitPartial, 3, []string{"bad.json:0"}},
		{"nothing importable", []string{notJSON}, exitNothing, 0, []string{"broken.json:-1"}},
		{"csv with a bad line", []string{csvFile}, exitPartial, 2, []string{"annuaire.csv:3"}}, // structure + 1 service
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := t.TempDir()
			code, out, errOut := cli(t, data, append([]string{"import", "--json"}, tc.files...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			var rep map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("report is not JSON: %v\n%s", err, out)
			}
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range rep {
					if !yield(k) {
						return
					}
				}
			})
			if !reflect.DeepEqual(keys, []string{"imported", "rejected", "unchanged", "updated"}) {
				t.Errorf("report keys %v", keys)
			}
			var imported int
			json.Unmarshal(rep["imported"], &imported)
			if imported != tc.imported {
				t.Errorf("imported %d, want %d", imported, tc.imported)
			}
			var rejected []struct {
				File     string `json:"file"`
				Position int    `json:"position"`
				ID       string `json:"id"`
				Reason   string `json:"reason"`
			}
			json.Unmarshal(rep["rejected"], &rejected)
			var got []string
			for _, r := range rejected {
				got = append(got, filepath.Base(r.File)+":"+itoa(r.Position))
				if r.Reason == "" {
					t.Errorf("rejection without a reason: %+v", r)
				}
			}
			if !reflect.DeepEqual(got, tc.rejected) {
				t.Errorf("rejected %v, want %v", got, tc.rejected)
			}
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestSearch_JSONContract(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	// An empty desk: no demo is loaded implicitly.
	if code, out, _ := cli(t, data, "search", "--json", "epicerie"); code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty desk: exit %d, %q", code, out)
	}
	if code, _, errOut := cli(t, data, "demo", "load"); code != exitOK {
		t.Fatalf("demo load: %d %s", code, errOut)
	}
	code, out, errOut := cli(t, data, "search", "--json", "--limit", "5", "epicerie")
	if code != exitOK {
		t.Fatalf("search: %d %s", code, errOut)
	}
	var hits []map[string]any
	if err := json.Unmarshal([]byte(out), &hits); err != nil || len(hits) == 0 || len(hits) > 5 {
		t.Fatalf("hits: %v %s", err, out)
	}
	want := []string{"code_insee", "commune", "distance_km", "frais", "id", "modes_accueil", "nom", "source", "structure_id", "structure_nom", "thematiques"}
	for _, h := range hits {
		var keys []string
		for k := range h {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("hit keys %v, want %v", keys, want)
		}
		if !strings.HasPrefix(h["id"].(string), "passerelle-demo--") || !strings.Contains(strings.ToLower(h["nom"].(string)), "picerie") {
			t.Errorf("hit %v", h)
		}
	}

	// Proximity: ordered by distance, French and English day names agree.
	code, out, _ = cli(t, data, "search", "--json", "--near", "Nanterre", "--km", "3", "--limit", "50")
	if code != exitOK {
		t.Fatal(code)
	}
	json.Unmarshal([]byte(out), &hits)
	last := -1.0
	for _, h := range hits {
		d, ok := h["distance_km"].(float64)
		if !ok {
			continue // remote-only services come after, without distance
		}
		if d < last || d > 3 {
			t.Errorf("distances not ascending within 3 km: %v after %v", d, last)
		}
		last = d
	}
	_, fr, _ := cli(t, data, "search", "--json", "--open-on", "samedi", "jardin")
	_, en, _ := cli(t, data, "search", "--json", "jardin", "--open-on", "saturday")
	if fr != en || fr == "[]\n" {
		t.Errorf("samedi and saturday differ or find nothing:\n%s\n%s", fr, en)
	}

	for _, tc := range []struct {
		args   []string
		errHas string
	}{
		{[]string{"search", "--near", "92190"}, "Clamart"},
		{[]string{"search", "--open-on", "sabado"}, "Jour inconnu"},
		{[]string{"search", "--theme", "cuisine"}, "Thématique inconnue"},
		{[]string{"search", "--km", "abc"}, "valeur invalide"},
		{[]string{"search", "--limit", "0"}, "--limit"},
	} {
		code, _, errOut := cli(t, data, tc.args...)
		if code != exitNothing || !strings.Contains(errOut, tc.errHas) {
			t.Errorf("%v: exit %d, stderr %q (want %q)", tc.args, code, errOut, tc.errHas)
		}
	}
}

func TestExport_ThenImportElsewhere(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	if code, _, e := cli(t, a, "import", write(t, tmp, "s.json", structures), write(t, tmp, "v.json", services)); code != exitOK {
		t.Fatal(e)
	}
	out := filepath.Join(tmp, "export")
	code, stdout, _ := cli(t, a, "export", "--format", "di-json", "--out", out)
	if code != exitOK || !strings.Contains(stdout, "structures.json") || !strings.Contains(stdout, "services.json") {
		t.Fatalf("export di-json: %d %q", code, stdout)
	}
	csvPath := filepath.Join(tmp, "annuaire.csv")
	if code, _, e := cli(t, a, "export", "--format", "csv", "--out", csvPath); code != exitOK {
		t.Fatal(e)
	}
	if code, _, e := cli(t, b, "import", filepath.Join(out, "structures.json"), filepath.Join(out, "services.json")); code != exitOK {
		t.Fatal(e)
	}
	if code, _, e := cli(t, c, "import", csvPath); code != exitOK {
		t.Fatal(e)
	}
	_, ra, _ := cli(t, a, "search", "--json", "--free")
	_, rb, _ := cli(t, b, "search", "--json", "--free")
	_, rc, _ := cli(t, c, "search", "--json", "--free")
	if ra != rb || ra != rc || !strings.Contains(ra, "Café des voisins") {
		t.Errorf("the exports do not carry the same directory:\n%s\n%s\n%s", ra, rb, rc)
	}
	if code, _, e := cli(t, a, "export", "--format", "xml", "--out", out); code != exitNothing || !strings.Contains(e, "di-json") {
		t.Errorf("bad export format: %d %q", code, e)
	}
}

// TestBinary runs the real built tool once: environment variable, exit status of the process.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tool")
	}
	bin := filepath.Join(t.TempDir(), "passerelle")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()
	cmd := exec.Command(bin, "demo", "load", "--json")
	cmd.Env = append(os.Environ(), "PASSERELLE_DATA_DIR="+data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
	if st, err := os.Stat(filepath.Join(data, "passerelle.db")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("database file: %v, mode %v", err, st.Mode())
	}
	cmd = exec.Command(bin, "import", filepath.Join(data, "nothing-here.json"))
	cmd.Env = append(os.Environ(), "PASSERELLE_DATA_DIR="+data)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitNothing || !strings.Contains(string(out), "Impossible d’ouvrir") {
		t.Fatalf("import of a missing file: %v\n%s", err, out)
	}
}

func TestDemoGenerate(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "gen")
	code, stdout, errOut := cli(t, "", "demo", "generate", "--services", "300", "--out", out)
	if code != exitOK || !strings.Contains(stdout, "services.json") {
		t.Fatalf("generate: %d %q %q", code, stdout, errOut)
	}
	data := t.TempDir()
	code, stdout, _ = cli(t, data, "import", "--json", filepath.Join(out, "structures.json"), filepath.Join(out, "services.json"))
	var rep struct {
		Imported int `json:"imported"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); code != exitOK || err != nil || rep.Imported != 450 {
		t.Fatalf("import of generated files: %d %+v %v", code, rep, err)
	}
	if code, _, errOut := cli(t, "", "demo", "generate", "--out", out); code != exitNothing || !strings.Contains(errOut, "--services") {
		t.Errorf("generate without a count: %d %q", code, errOut)
	}
}

func TestGrid(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	data := t.TempDir()
	code, def, _ := cli(t, "", "grid", "default")
	if code != exitOK || !strings.Contains(def, `"grille-edas"`) {
		t.Fatalf("grid default: %d", code)
	}
	good := write(t, tmp, "grille.json", def)
	if code, out, errOut := cli(t, "", "grid", "validate", good); code != exitOK || !strings.Contains(out, "valide") {
		t.Fatalf("validate the default grid: %d %q %q", code, out, errOut)
	}
	bad := write(t, tmp, "mauvaise.json", strings.Replace(def, `"type": "echelle"`, `"type": "curseur"`, 1))
	code, _, errOut := cli(t, "", "grid", "validate", bad)
	if code != exitNothing || !strings.Contains(errOut, "curseur") {
		t.Fatalf("validate a bad grid: %d %q", code, errOut)
	}
	// Import a version 2; the same file again changes nothing; another content for version 2 is refused.
	v2 := write(t, tmp, "v2.json", strings.Replace(def, `"version": 1`, `"version": 2`, 1))
	code, out, errOut := cli(t, data, "grid", "import", "--json", v2)
	if code != exitOK || !strings.Contains(out, `"added": true`) {
		t.Fatalf("import v2: %d %q %q", code, out, errOut)
	}
	if code, out, _ := cli(t, data, "grid", "import", v2); code != exitOK || !strings.Contains(out, "déjà présente") {
		t.Fatalf("import v2 again: %d %q", code, out)
	}
	other := write(t, tmp, "v2bis.json", strings.Replace(strings.Replace(def, `"version": 1`, `"version": 2`, 1), "Grille EDAS", "Grille EDAS bis", 1))
	if code, _, errOut := cli(t, data, "grid", "import", other); code != exitNothing || !strings.Contains(errOut, "version 3") {
		t.Fatalf("a changed version 2: %d %q", code, errOut)
	}
	code, out, _ = cli(t, data, "grid", "list", "--json")
	var infos []struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		Current bool   `json:"current"`
	}
	if err := json.Unmarshal([]byte(out), &infos); code != exitOK || err != nil || len(infos) != 2 || !infos[1].Current || infos[1].Version != 2 {
		t.Fatalf("grid list: %d %v %s", code, err, out)
	}
}

func TestReferralAndSheetPDF(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if code, _, e := cli(t, data, "demo", "load"); code != exitOK {
		t.Fatal(e)
	}
	out := filepath.Join(t.TempDir(), "fiche.pdf")
	code, stdout, errOut := cli(t, data, "referral", "pdf",
		"--service", "passerelle-demo--epicerie-la-passerelle-nanterre",
		"--service", "passerelle-demo--accorderie-de-gennevilliers",
		"--note", "Appelez-les de ma part.", "--worker", "Claire Martin", "--edas", "EDAS Nanterre", "--phone", "01 41 00 00 00",
		"--out", out)
	if code != exitOK || !strings.Contains(stdout, out) {
		t.Fatalf("referral pdf: %d %q %q", code, stdout, errOut)
	}
	text, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v", err)
	}
	for _, want := range []string{"Épicerie La Passerelle", "Accorderie de Gennevilliers", "Appelez-les de ma part.", "Claire Martin", "EDAS Nanterre"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	code, stdout, _ = cli(t, data, "sheet", "pdf", "--service", "passerelle-demo--epicerie-la-passerelle-nanterre")
	if code != exitOK || !strings.HasPrefix(stdout, "%PDF-") {
		t.Fatalf("sheet pdf to standard output: %d", code)
	}
	for _, tc := range []struct {
		args   []string
		errHas string
	}{
		{[]string{"referral", "pdf"}, "--service"},
		{[]string{"referral", "pdf", "--service", "dora--inconnu"}, "Initiative inconnue"},
		{[]string{"sheet", "pdf", "--service", "dora--inconnu"}, "introuvable"},
	} {
		if code, _, e := cli(t, data, tc.args...); code != exitNothing || !strings.Contains(e, tc.errHas) {
			t.Errorf("%v: %d %q", tc.args, code, e)
		}
	}
}
