package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
	"github.com/edas92/passerelle/internal/syncserver"
)

// TestAdmin_EnrolmentAndRevocation goes through a desk's life while the server runs: a site, a
// code, the enrolment over HTTP, the device listed, revoked from the command line, and refused
// at its next pull.
func TestAdmin_EnrolmentAndRevocation(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, data)

	code, out, errOut := cli(t, data, "site", "add", "--name", "EDAS de Nanterre")
	if code != exitOK || !strings.Contains(out, "Site « EDAS de Nanterre » créé") {
		t.Fatalf("site add: exit %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, data, "site", "add", "--name", "EDAS de Nanterre"); code != exitNothing || !strings.Contains(errOut, "s’appelle déjà") {
		t.Errorf("the same site twice: exit %d %q", code, errOut)
	}
	var sites []domain.Site
	cliJSON(t, data, &sites, "site", "list")
	if len(sites) != 1 || sites[0].Name != "EDAS de Nanterre" || sites[0].ID == "" {
		t.Fatalf("site list: %+v", sites)
	}
	site := sites[0]

	code, out, errOut = cli(t, data, "enroll", "--site", site.ID)
	if code != exitOK || !strings.Contains(out, "Code d’inscription pour « EDAS de Nanterre »") {
		t.Fatalf("enroll: exit %d %q %q", code, out, errOut)
	}
	var e enrolment
	cliJSON(t, data, &e, "enroll", "--site", site.ID)
	if e.SiteID != site.ID || e.SiteName != site.Name || len(e.Code) != 19 || e.ExpiresAt.IsZero() {
		t.Fatalf("enroll --json: %+v", e)
	}
	if code, _, errOut := cli(t, data, "enroll", "--site", "pas-un-site"); code != exitNothing || !strings.Contains(errOut, "inconnu") {
		t.Errorf("enroll for an unknown site: exit %d %q", code, errOut)
	}

	d := s.enrol(e.Code, "Accueil 2")
	if d.site != site.ID {
		t.Errorf("enrolled in site %s, want %s", d.site, site.ID)
	}
	if st, b := s.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": e.Code, "device_name": "Accueil 3"}); st != http.StatusConflict || errorCode(t, b) != "conflict" {
		t.Errorf("the same code twice: %d %s", st, b)
	}
	if st, b := d.push(usager(domain.NewUUID(), "M. D.")); st != http.StatusOK {
		t.Fatalf("push: %d %s", st, b)
	}
	d.pullAll(0)

	var devs []domain.Device
	cliJSON(t, data, &devs, "device", "list")
	if len(devs) != 1 || devs[0].ID != d.id || devs[0].SiteID != site.ID || devs[0].Name != "Accueil 2" ||
		devs[0].RevokedAt != nil || devs[0].LastSeenAt == nil || devs[0].LastMutation != 1 {
		t.Fatalf("device list: %+v", devs)
	}
	if code, out, _ := cli(t, data, "device", "list"); code != exitOK || !strings.Contains(out, "Accueil 2") || !strings.Contains(out, "actif") {
		t.Errorf("device list: exit %d %q", code, out)
	}

	var revoked domain.Device
	cliJSON(t, data, &revoked, "device", "revoke", d.id)
	if revoked.ID != d.id || revoked.RevokedAt == nil {
		t.Fatalf("device revoke: %+v", revoked)
	}
	st, b := s.call(http.MethodGet, "/api/v1/pull?cursor=0", d.token, nil)
	if st != http.StatusUnauthorized || errorCode(t, b) != "revoked" {
		t.Errorf("pull of a revoked device: %d %s, want 401 revoked", st, b)
	}
	if code, out, _ := cli(t, data, "device", "list"); code != exitOK || !strings.Contains(out, "retiré le") {
		t.Errorf("device list after revocation: exit %d %q", code, out)
	}
	if code, _, errOut := cli(t, data, "device", "revoke", "pas-un-poste"); code != exitNothing || !strings.Contains(errOut, "inconnu") {
		t.Errorf("revoke an unknown device: exit %d %q", code, errOut)
	}
	if code := s.stop(); code != exitOK {
		t.Errorf("exit %d\nstderr: %s", code, s.stderr)
	}
	// The token and the code never reach the log.
	if logs := s.stderr.String(); strings.Contains(logs, d.token) || strings.Contains(logs, e.Code) {
		t.Error("a secret reached the server's log")
	}
}

// TestAdmin_ImportWhileServing imports a directory while a desk pushes and pulls without a
// pause: the import's transaction waits for the server's writes and the server's for the
// import's (SQLite's busy timeout, across the two processes), so every request and the import
// succeed. Then a file that cannot be read publishes nothing, and a file with one bad record
// publishes the others.
func TestAdmin_ImportWhileServing(t *testing.T) {
	t.Parallel()
	data, files := t.TempDir(), t.TempDir()
	s := startServer(t, data)
	d := s.setup(data, "EDAS de Nanterre", "Accueil")

	// Big enough for the import to hold the write lock a while (about a second here).
	n := 20000
	if raceEnabled {
		n = 2000
	}
	genSts, genSvs := demo.Generate(n, 92)
	var stBuf, svBuf bytes.Buffer
	if err := datainclusion.EncodeStructures(&stBuf, genSts); err != nil {
		t.Fatal(err)
	}
	if err := datainclusion.EncodeServices(&svBuf, genSvs); err != nil {
		t.Fatal(err)
	}
	stFile := writeFile(t, files, "structures.json", stBuf.Bytes())
	svFile := writeFile(t, files, "services.json", svBuf.Bytes())
	svs := svBuf.Bytes()
	total := len(genSts) + len(genSvs)
	firstStructure, err := json.Marshal(domain.QualifiedID(genSts[0].Source, genSts[0].ID))
	if err != nil {
		t.Fatal(err)
	}

	// A desk busy the whole time: a push (a write) and a pull per round. A 429 is the rate limit
	// doing its job, not a failure.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failures []string
	rounds := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			st, b := d.push(usager(domain.NewUUID(), fmt.Sprintf("Usager %d", rounds)))
			if st != http.StatusOK && st != http.StatusTooManyRequests {
				failures = append(failures, fmt.Sprintf("push %d %s", st, b))
			}
			st, b = s.call(http.MethodGet, "/api/v1/pull?cursor=0&limit=10", d.token, nil)
			if st != http.StatusOK && st != http.StatusTooManyRequests {
				failures = append(failures, fmt.Sprintf("pull %d %s", st, b))
			}
			rounds++
		}
	}()
	var rep domain.ImportReport
	code, out, errOut := cli(t, data, "import", "--json", stFile, svFile)
	// A second import of the same files while the desk still runs: nothing changes.
	var again domain.ImportReport
	cliJSON(t, data, &again, "import", stFile, svFile)
	close(stop)
	wg.Wait()
	if code != exitOK {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Imported != total || len(rep.Rejected) != 0 {
		t.Fatalf("import report: %d imported, %d rejected; want %d, 0", rep.Imported, len(rep.Rejected), total)
	}
	if again.Unchanged != total || again.Imported+again.Updated != 0 {
		t.Errorf("second import: %+v", again.ImportCounts)
	}
	t.Logf("%d rounds of the desk during the imports", rounds)
	if len(failures) > 0 || rounds == 0 {
		t.Fatalf("%d rounds of the desk, failures while importing: %v", rounds, failures)
	}
	pulled, cursor := d.pullAll(0)
	dir := 0
	for _, r := range pulled {
		if r.Kind == domain.KindStructure || r.Kind == domain.KindService {
			dir++
		}
	}
	if dir != total {
		t.Errorf("the desk pulled %d directory records, want %d", dir, total)
	}

	t.Run("a file that cannot be read publishes nothing", func(t *testing.T) {
		broken := writeFile(t, files, "broken.json", svs[:len(svs)/2])
		code, out, _ := cli(t, data, "import", "--json", broken)
		if code != exitNothing {
			t.Fatalf("exit %d, want 2\n%s", code, out)
		}
		var rep domain.ImportReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Rejected) != 1 || rep.Rejected[0].Position != -1 || rep.Rejected[0].Reason == "" || rep.Imported+rep.Updated+rep.Unchanged != 0 {
			t.Errorf("report %+v", rep)
		}
		if got, _ := d.pullAll(cursor); len(got) != 0 {
			t.Errorf("a refused file changed %d records", len(got))
		}
		code, out, _ = cli(t, data, "import", broken)
		if code != exitNothing || !strings.Contains(out, "0 nouveau(x), 0 mis à jour, 0 inchangé(s), 1 rejeté(s).") ||
			!strings.Contains(out, "rejeté : "+broken+", fichier entier : ") {
			t.Errorf("text report: exit %d\n%s", code, out)
		}
	})
	t.Run("a bad record is rejected, the others published", func(t *testing.T) {
		mixed := writeFile(t, files, "mixed.json", []byte(`[
			{"id":"cd92--v1","source":"cd92","structure_id":`+string(firstStructure)+`,"nom":"Café des voisins","description":"Un café pour se retrouver.","date_maj":"2026-10-01"},
			{"id":"cd92--v2","source":"cd92","structure_id":`+string(firstStructure)+`,"nom":"Daté de travers","description":"Une date impossible.","date_maj":"2026-13-45"}]`))
		code, out, _ := cli(t, data, "import", mixed)
		if code != exitPartial || !strings.Contains(out, "1 nouveau(x), 0 mis à jour, 0 inchangé(s), 1 rejeté(s).") ||
			!strings.Contains(out, "enregistrement n° 2 [cd92--v2] : date_maj") {
			t.Errorf("exit %d, want 1\n%s", code, out)
		}
		got, _ := d.pullAll(cursor)
		if len(got) != 1 {
			t.Errorf("pulled %d records after a partial import, want 1", len(got))
		}
	})
	t.Run("usage", func(t *testing.T) {
		if code, _, errOut := cli(t, data, "import"); code != exitNothing || !strings.Contains(errOut, "au moins un fichier") {
			t.Errorf("no file: exit %d %q", code, errOut)
		}
		if code, _, errOut := cli(t, data, "import", "--format", "xml", stFile); code != exitNothing || !strings.Contains(errOut, "format inconnu") {
			t.Errorf("unknown format: exit %d %q", code, errOut)
		}
	})
	if code := s.stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

func TestAdmin_DirectoryRemove(t *testing.T) {
	t.Parallel()
	data, files := t.TempDir(), t.TempDir()
	s := startServer(t, data)
	d := s.setup(data, "EDAS de Clamart", "Accueil")
	st := writeFile(t, files, "structures.json", []byte(`[{"id":"cd92--s1","source":"cd92","nom":"Association La Clé","date_maj":"2026-10-01","code_insee":"92050","commune":"Nanterre"}]`))
	sv := writeFile(t, files, "services.json", []byte(`[
		{"id":"cd92--v1","source":"cd92","structure_id":"cd92--s1","nom":"Épicerie solidaire La Clé","description":"Des courses à petit prix.","date_maj":"2026-10-01"},
		{"id":"cd92--v2","source":"cd92","structure_id":"cd92--s1","nom":"Café des voisins","description":"Un café pour se retrouver.","date_maj":"2026-10-01"}]`))
	if code, out, errOut := cli(t, data, "import", st, sv); code != exitOK {
		t.Fatalf("import: exit %d %s %s", code, out, errOut)
	}
	_, cursor := d.pullAll(0)

	if code, _, errOut := cli(t, data, "directory", "remove", "cd92--v1", "cd92--inconnu"); code != exitNothing || !strings.Contains(errOut, "cd92--inconnu") {
		t.Errorf("an unknown identifier: exit %d %q", code, errOut)
	}
	if got, _ := d.pullAll(cursor); len(got) != 0 {
		t.Errorf("a refused removal changed %d records", len(got))
	}
	code, out, errOut := cli(t, data, "directory", "remove", "cd92--v1")
	if code != exitOK || !strings.Contains(out, "1 enregistrement(s) retiré(s)") || !strings.Contains(out, "retiré : service cd92--v1") {
		t.Fatalf("remove: exit %d %q %q", code, out, errOut)
	}
	got, cursor := d.pullAll(cursor)
	if r, ok := got["service/"+domain.RecordUUID(domain.KindService, "", "cd92--v1")]; len(got) != 1 || !ok || !r.Deleted {
		t.Fatalf("pulled after the removal: %+v", got)
	}
	var rep syncserver.RemoveReport
	cliJSON(t, data, &rep, "directory", "remove", "cd92--s1", "cd92--v1")
	if len(rep.Removed) != 2 || rep.Removed[0].ID != "cd92--v2" || rep.Removed[0].With != "cd92--s1" ||
		rep.Removed[1].Kind != domain.KindStructure || len(rep.AlreadyRemoved) != 1 {
		t.Errorf("remove a structure: %+v", rep)
	}
	if got, _ := d.pullAll(cursor); len(got) != 2 {
		t.Errorf("pulled %d tombstones, want 2", len(got))
	}
	if code, _, errOut := cli(t, data, "directory", "remove", "v1"); code != exitNothing || !strings.Contains(errOut, "source--id") {
		t.Errorf("an incomplete identifier: exit %d %q", code, errOut)
	}
}

func TestAdmin_GridPublish(t *testing.T) {
	t.Parallel()
	data, files := t.TempDir(), t.TempDir()
	s := startServer(t, data)
	d := s.setup(data, "EDAS de Sèvres", "Accueil")
	def := grid.Default()
	file := writeFile(t, files, "grille.json", grid.DefaultJSON())

	var line gridLine
	cliJSON(t, data, &line, "grid", "publish", file)
	if line.ID != def.ID || line.Version != def.Version || !line.Added || line.Domains != len(def.Domains) || line.Questions == 0 {
		t.Fatalf("grid publish: %+v", line)
	}
	code, out, _ := cli(t, data, "grid", "publish", file)
	if code != exitOK || !strings.Contains(out, "déjà publiée, identique") {
		t.Errorf("the same grid again: exit %d %q", code, out)
	}
	changed := bytes.Replace(grid.DefaultJSON(), []byte(def.Title), []byte(def.Title+" modifiée"), 1)
	if bytes.Equal(changed, grid.DefaultJSON()) {
		t.Fatal("the title was not found in the grid file")
	}
	code, _, errOut := cli(t, data, "grid", "publish", writeFile(t, files, "autre.json", changed))
	if code != exitNothing || !strings.Contains(errOut, "déjà publiée") {
		t.Errorf("another content under the same version: exit %d %q", code, errOut)
	}
	code, _, errOut = cli(t, data, "grid", "publish", writeFile(t, files, "vide.json", []byte(`{}`)))
	if code != exitNothing || errOut == "" {
		t.Errorf("an invalid grid: exit %d %q", code, errOut)
	}
	got, _ := d.pullAll(0)
	if _, ok := got[domain.KindGrid+"/"+syncserver.GridUUID(def.ID, def.Version)]; !ok || len(got) != 1 {
		t.Errorf("the desk pulled %v, want the grid", keysOf(got))
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestAdmin_Suggestions(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, data)
	d := s.setup(data, "EDAS de Meudon", "Accueil")

	stUUID, svUUID := domain.NewUUID(), domain.NewUUID()
	proposition := []any{
		map[string]any{"id": domain.LocalID(stUUID), "source": domain.LocalSource, "nom": "Jardin des Acacias", "date_maj": "2026-02-01", "code_insee": "92048", "commune": "Meudon"},
		map[string]any{"id": domain.LocalID(svUUID), "source": domain.LocalSource, "structure_id": domain.LocalID(stUUID), "nom": "Jardin partagé des Acacias",
			"description": "Un jardin cultivé ensemble.", "date_maj": "2026-02-01"},
	}
	pSug, cSug := domain.NewUUID(), domain.NewUUID()
	sug := func(uuid, typ string, service any, msg string) map[string]any {
		return map[string]any{"kind": domain.KindSuggestion, "uuid": uuid, "op": domain.MutUpsert,
			"fields": map[string]any{"type": typ, "service": service, "message": msg}}
	}
	st, b := d.push(
		sug(pSug, "proposition", proposition, "Vu au marché"),
		sug(cSug, "correction", map[string]any{"id": "cd92--v1", "horaires_accueil": "Sa 09:00-12:00"}, "Ouvre à 9 h"),
	)
	if st != http.StatusOK || !strings.Contains(string(b), `"rejected":[]`) {
		t.Fatalf("push: %d %s", st, b)
	}

	var sgs []domain.CuratorSuggestion
	cliJSON(t, data, &sgs, "suggestion", "list", "--status", "nouvelle")
	if len(sgs) != 2 || sgs[0].UUID != pSug || sgs[0].Type != "proposition" || sgs[0].SiteID != d.site || sgs[0].Message != "Vu au marché" {
		t.Fatalf("suggestion list: %+v", sgs)
	}
	code, out, _ := cli(t, data, "suggestion", "list")
	if code != exitOK || !strings.Contains(out, pSug+" — proposition, nouvelle") || !strings.Contains(out, "Message : Ouvre à 9 h") ||
		!strings.Contains(out, "« EDAS de Meudon »") {
		t.Errorf("suggestion list: exit %d\n%s", code, out)
	}

	_, cursor := d.pullAll(0)
	var acc accepted
	cliJSON(t, data, &acc, "suggestion", "accept", pSug)
	if acc.Suggestion.Status != syncserver.SuggestionAccepted || acc.Imported != 2 {
		t.Fatalf("accept: %+v", acc)
	}
	if got, _ := d.pullAll(cursor); len(got) != 2 || got["service/"+svUUID].Deleted {
		t.Errorf("after accepting the proposition the desk pulled %v", keysOf(got))
	}
	code, out, _ = cli(t, data, "suggestion", "reject", cSug)
	if code != exitOK || !strings.Contains(out, "refusée") {
		t.Errorf("reject: exit %d %q", code, out)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"accept twice", []string{"suggestion", "accept", pSug}, "déjà été acceptée"},
		{"reject a decided one", []string{"suggestion", "reject", cSug}, "déjà été refusée"},
		{"an unknown one", []string{"suggestion", "accept", domain.NewUUID()}, "inconnue"},
		{"an unknown status", []string{"suggestion", "list", "--status", "perdue"}, "état inconnu"},
		{"no uuid", []string{"suggestion", "reject"}, "indiquez l’UUID"},
	} {
		if code, _, errOut := cli(t, data, tc.args...); code != exitNothing || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d %q, want 2 and %q", tc.name, code, errOut, tc.want)
		}
	}
	for status, n := range map[string]int{"nouvelle": 0, "acceptee": 1, "refusee": 1} {
		var list []domain.CuratorSuggestion
		cliJSON(t, data, &list, "suggestion", "list", "--status", status)
		if len(list) != n {
			t.Errorf("--status %s: %d suggestions, want %d", status, len(list), n)
		}
	}
}

// TestAdmin_DataFolder checks where the commands find the database: --data-dir, else the
// environment; and that a command that only reads refuses a folder without a database.
func TestAdmin_DataFolder(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	for _, args := range [][]string{{"site", "list"}, {"device", "list"}, {"suggestion", "list"}, {"enroll", "--site", "x"}} {
		code, _, errOut := cli(t, empty, args...)
		if code != exitNothing || !strings.Contains(errOut, "aucune base du serveur") {
			t.Errorf("%v on an empty folder: exit %d %q", args, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("the refused commands wrote %v", entries)
	}

	dir := filepath.Join(t.TempDir(), "serveur")
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), envDataDir+"="+dir)
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		return 0, string(out)
	}
	if code, _ := run("site", "add", "--name", "EDAS de Vanves"); code != exitOK {
		t.Fatalf("site add with %s: exit %d", envDataDir, code)
	}
	if code, out := run("site", "list"); code != exitOK || !strings.Contains(out, "EDAS de Vanves") {
		t.Errorf("site list with %s: exit %d %q", envDataDir, code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, databaseFile)); err != nil {
		t.Errorf("database not in the folder of %s: %v", envDataDir, err)
	}
	// --data-dir wins over the environment.
	if code, out := run("site", "list", "--data-dir", empty); code != exitNothing || out != "" {
		t.Errorf("--data-dir with %s set: exit %d %q", envDataDir, code, out)
	}
}
