package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/edas92/passerelle/internal/accesslog"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/referrals"
	"github.com/edas92/passerelle/internal/sqlite"
)

// fakeRuntime records events; its dialogs answer what the test set.
type fakeRuntime struct {
	mu     sync.Mutex
	events []string
	files  []string
	ready  chan struct{} // closed at the first EventDirectoryReady
	opened []string      // files opened in the system's viewer
}

func (f *fakeRuntime) Emit(_ context.Context, event string, _ ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, event)
	if event == EventDirectoryReady {
		close(f.ready)
	}
}
func (f *fakeRuntime) OpenFiles(context.Context, string) ([]string, error)   { return f.files, nil }
func (f *fakeRuntime) OpenDirectory(context.Context, string) (string, error) { return "", nil }
func (f *fakeRuntime) SaveFile(context.Context, string, string) (string, error) {
	return "", nil
}
func (f *fakeRuntime) OpenFile(_ context.Context, path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, path)
	return nil
}
func (f *fakeRuntime) count(event string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, e := range f.events {
		if e == event {
			n++
		}
	}
	return n
}

func newApp(t *testing.T) (*App, *fakeRuntime, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "passerelle.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	rt := &fakeRuntime{ready: make(chan struct{})}
	d := directory.New(db, directory.Options{Logger: log})
	refs := referrals.New(referrals.Stores{Referrals: db, Directory: db, Interviews: db, Meta: db}, referrals.Options{Logger: log})
	access, err := accesslog.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := New(d, interviews.New(db, d, interviews.Options{Logger: log}), refs, rt, Options{
		Access:  access,
		DataDir: dir, ReadyFile: filepath.Join(dir, "ready"), Version: "test", Logger: log,
	})
	return a, rt, dir
}

func TestApp_StartupLoadsDemoAndSignalsReady(t *testing.T) {
	t.Parallel()
	a, rt, dir := newApp(t)
	if st := a.Directory.Status(); st.Loaded {
		t.Fatal("loaded before start-up")
	}
	a.Startup(context.Background())
	res, err := a.Directory.Search(domain.SearchQuery{Text: "epicerie"}) // waits for the index
	if err != nil || res.Total == 0 {
		t.Fatalf("search after start-up: %d, %v", res.Total, err)
	}
	st := a.Directory.Status()
	if !st.Loaded || !st.DemoLoaded || st.Services < 100 || st.Error != "" {
		t.Fatalf("status %+v", st)
	}
	<-rt.ready // emitted just after the index is ready, maybe after the search returned
	if rt.count(EventDirectoryReady) != 1 {
		t.Errorf("events %v", rt.events)
	}
	a.Shell.Ready(res.Total)
	b, err := os.ReadFile(filepath.Join(dir, "ready"))
	if err != nil || !strings.Contains(string(b), "results=") {
		t.Fatalf("ready file: %q %v", b, err)
	}
	if info := a.Shell.Info(); info.DataDir != dir || info.Version != "test" {
		t.Errorf("info %+v", info)
	}
}

func TestImports_Import(t *testing.T) {
	t.Parallel()
	a, rt, dir := newApp(t)
	a.Startup(context.Background())
	if _, err := a.Imports.Import([]string{" ", ""}, "auto"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("no file: %v", err)
	}
	if _, err := a.Imports.Import([]string{"x.json"}, "xml"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("bad format: %v", err)
	}
	p := filepath.Join(dir, "s.json")
	os.WriteFile(p, []byte(`[{"id":"cd92--s1","source":"cd92","nom":"Association La Clé","date_maj":"2026-10-01"},{"id":"cd92--s2","source":"cd92","nom":"X","date_maj":"2026-10-01"}]`), 0o600)
	rep, err := a.Imports.Import([]string{p}, "")
	if err != nil || rep.Imported != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Position != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	if rt.count(EventImportProgress) == 0 || rt.count(EventDirectoryChanged) != 1 {
		t.Errorf("events %v", rt.events)
	}
	rt.files = []string{p}
	if got, _ := a.Imports.ChooseFiles(); len(got) != 1 || got[0] != p {
		t.Errorf("ChooseFiles %v", got)
	}
	// Export through the path-taking method (dialogs are the runtime's).
	paths, err := a.Imports.ExportTo("csv", filepath.Join(dir, "annuaire"))
	if err != nil || len(paths) != 1 || filepath.Ext(paths[0]) != ".csv" {
		t.Fatalf("export: %v %v", paths, err)
	}
}

func TestErrorFormatter(t *testing.T) {
	t.Parallel()
	f := ErrorFormatter(slog.New(slog.DiscardHandler))
	got := f(domain.Errorf(domain.ENOTFOUND, "Initiative introuvable.")).(map[string]string)
	if got["code"] != "not_found" || got["message"] != "Initiative introuvable." {
		t.Errorf("domain error: %v", got)
	}
	got = f(errors.New("database is locked")).(map[string]string)
	if got["code"] != "internal" || strings.Contains(got["message"], "locked") {
		t.Errorf("internal errors must not reach the screen: %v", got)
	}
}

func TestDirectory_WithdrawEmits(t *testing.T) {
	t.Parallel()
	a, rt, _ := newApp(t)
	a.Startup(context.Background())
	res, _ := a.Directory.Search(domain.SearchQuery{Text: "repair", Limit: 1})
	if len(res.Hits) == 0 {
		t.Fatal("no demo hit")
	}
	id := res.Hits[0].ServiceUUID
	if err := a.Directory.Withdraw(id); err != nil {
		t.Fatal(err)
	}
	if err := a.Directory.Restore(id); err != nil {
		t.Fatal(err)
	}
	if rt.count(EventDirectoryChanged) != 2 {
		t.Errorf("events %v", rt.events)
	}
	if det, err := a.Directory.Detail(id); err != nil || det.Deleted {
		t.Errorf("restored detail: %v %v", det.Deleted, err)
	}
}

func TestAccessLog_RecordsWithoutContent(t *testing.T) {
	t.Parallel()
	a, _, dir := newApp(t)
	a.Startup(context.Background())
	if _, err := a.Settings.Save(domain.Settings{WorkerName: "Claire Martin", FollowUpDays: 30}); err != nil {
		t.Fatal(err)
	}
	f, err := a.Usagers.Create(interviews.UsagerInput{DisplayName: "Mme Secret", Commune: "Nanterre", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Usagers.Get(f.UUID); err != nil {
		t.Fatal(err)
	}
	v, err := a.Interviews.Start(f.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Interviews.Get(v.UUID, true); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, accesslog.FileName))
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	for _, want := range []string{"Claire Martin\touverture dossier\t" + f.UUID, "ouverture entretien, santé\t" + v.UUID} {
		if !strings.Contains(log, want) {
			t.Errorf("access log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "Secret") {
		t.Error("the access log must not hold the content of the file")
	}
}
