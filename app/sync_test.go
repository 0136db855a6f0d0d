package app

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/referrals"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncclient"
	"github.com/edas92/passerelle/internal/syncclient/memdesk"
	"github.com/edas92/passerelle/internal/syncserver"
)

// eventRuntime records events with their payloads.
type eventRuntime struct {
	fakeRuntime
	mu       sync.Mutex
	payloads map[string][]any
}

func (r *eventRuntime) Emit(ctx context.Context, event string, data ...any) {
	r.mu.Lock()
	if r.payloads == nil {
		r.payloads = map[string][]any{}
	}
	var p any
	if len(data) > 0 {
		p = data[0]
	}
	r.payloads[event] = append(r.payloads[event], p)
	r.mu.Unlock()
	r.fakeRuntime.Emit(ctx, event, data...)
}

func (r *eventRuntime) of(event string) []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.payloads[event]...)
}

// syncServer is the real sync server on a SQLite file, on loopback, with the fixture directory.
type syncServer struct {
	srv *syncserver.Server
	url string
}

func newSyncServer(t *testing.T) *syncServer {
	t.Helper()
	store, err := sqlite.OpenServer(filepath.Join(t.TempDir(), "serveur.db"), sqlite.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := syncserver.New(store, syncserver.Options{DeviceRate: rate.Inf, EnrolRate: rate.Inf})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		store.Close()
	})
	rep, err := srv.ImportDirectory(context.Background(), []syncserver.ImportFile{
		syncserver.FileBytes("structures.json", []byte(structures)),
		syncserver.FileBytes("services.json", []byte(services)),
	}, "")
	if err != nil || rep.Imported != 3 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	return &syncServer{srv: srv, url: hs.URL}
}

func (s *syncServer) code(t *testing.T) (string, domain.Site) {
	t.Helper()
	site, err := s.srv.AddSite(context.Background(), "EDAS de Nanterre")
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := s.srv.NewEnrolment(context.Background(), site.ID)
	if err != nil {
		t.Fatal(err)
	}
	return code, site
}

// Directory fixtures the sync server publishes (data·inclusion v1).
const (
	structures = `[{"id":"cd92--s1","source":"cd92","nom":"Association La Clé","date_maj":"2026-01-10","code_insee":"92050","commune":"Nanterre","latitude":48.8924,"longitude":2.2069}]`
	services   = `[
 {"id":"cd92--v1","source":"cd92","structure_id":"cd92--s1","nom":"Épicerie solidaire La Clé","description":"Des courses à petit prix.","date_maj":"2026-01-10","frais":"payant","thematiques":["equipement-et-alimentation--alimentation"]},
 {"id":"cd92--v2","source":"cd92","structure_id":"cd92--s1","nom":"Jardin Zéphyrine","description":"Un jardin partagé pour se retrouver.","date_maj":"2026-01-10","frais":"gratuit","modes_accueil":["en-presentiel"]}
]`
)

// newSyncApp is an app on a desk database with a sync store; the background sync only runs when
// asked (its first run and interval are an hour away).
func newSyncApp(t *testing.T, store domain.DeskSyncStore) (*App, *eventRuntime) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "passerelle.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	rt := &eventRuntime{fakeRuntime: fakeRuntime{ready: make(chan struct{})}}
	d := directory.New(db, directory.Options{Logger: log})
	refs := referrals.New(referrals.Stores{Referrals: db, Directory: db, Interviews: db, Meta: db}, referrals.Options{Logger: log})
	a := New(d, interviews.New(db, d, interviews.Options{Logger: log}), refs, rt, Options{
		DataDir: dir, Version: "test", Logger: log,
		Sync: SyncOptions{Store: store, Hostname: func() (string, error) { return "PC-ACCUEIL-2", nil },
			Runner: syncclient.RunnerOptions{FirstDelay: time.Hour, Interval: time.Hour}},
	})
	// Stop the runner before the database closes (cleanups run last-registered first).
	t.Cleanup(func() { db.Close() })
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	a.Startup(context.Background())
	a.DomReady(context.Background())
	return a, rt
}

func TestSync_NoStore(t *testing.T) {
	t.Parallel()
	a, _ := newSyncApp(t, nil)
	if _, err := a.Sync.Status(); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("status: %v", err)
	}
	if _, err := a.Sync.Enroll("https://synchro.example", "ABCD-EFGH-JKLM-NPQR"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("enroll: %v", err)
	}
	if _, err := a.Sync.SyncNow(); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("sync now: %v", err)
	}
}

func TestSync_EnrollAndSync(t *testing.T) {
	t.Parallel()
	server := newSyncServer(t)
	store := memdesk.New(nil)
	a, rt := newSyncApp(t, store)
	format := ErrorFormatter(slog.New(slog.DiscardHandler))

	t.Run("not enrolled", func(t *testing.T) {
		st, err := a.Sync.Status()
		if err != nil || st.Enrolled || st.Rejections == nil {
			t.Fatalf("%+v %v", st, err)
		}
		_, err = a.Sync.SyncNow()
		got := format(err).(map[string]string)
		if got["code"] != domain.EUNAUTHORIZED || !strings.Contains(got["message"], "inscrit") {
			t.Errorf("sync before enrolment: %v", got)
		}
	})

	t.Run("a wrong code says so", func(t *testing.T) {
		_, err := a.Sync.Enroll(server.url, "ABCD-EFGH-JKLM-NPQR")
		if got := format(err).(map[string]string); got["code"] != domain.ENOTFOUND || !strings.Contains(got["message"], "inconnu") {
			t.Errorf("%v", got)
		}
	})

	code, site := server.code(t)
	st, err := a.Sync.Enroll(server.url, code)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Enrolled || st.SiteID != site.ID || st.SiteName != "EDAS de Nanterre" || st.ServerURL != server.url {
		t.Fatalf("status after enrolment: %+v", st)
	}
	devs, _ := server.srv.Devices(context.Background())
	if len(devs) != 1 || devs[0].Name != "PC-ACCUEIL-2" {
		t.Errorf("devices on the server: %+v", devs)
	}

	usager := domain.NewUUID()
	store.Change(domain.KindUsager, usager, domain.MutUpsert, map[string]any{"display_name": "M. D."})
	store.Change(domain.KindService, domain.RecordUUID(domain.KindService, "cd92", "cd92--v1"), domain.MutUpsert, map[string]any{"data": map[string]any{"nom": "x"}})
	rep, err := a.Sync.SyncNow()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pending != 0 {
		t.Errorf("report %+v", rep)
	}
	st, err = a.Sync.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.LastSyncAt == nil || st.LastError != "" || st.Pending != 0 || st.Running || st.LastReport == nil || st.NextAttemptAt == nil {
		t.Errorf("status after the sync: %+v", st)
	}
	if len(st.Rejections) != 1 || st.Rejections[0].Kind != domain.KindService || st.Rejections[0].Reason == "" {
		t.Errorf("rejections shown: %+v", st.Rejections)
	}

	t.Run("events", func(t *testing.T) {
		// The directory came down (in the enrolment's first sync or this one): the index was
		// rebuilt and the window told to search again.
		if rt.count(EventDirectoryChanged) == 0 {
			t.Error("no directory:changed after a pull that changed the directory")
		}
		var sawDone bool
		for _, p := range rt.of(EventSyncProgress) {
			if pr := p.(syncclient.Progress); pr.Phase == syncclient.PhasePull && pr.Done == pr.Total {
				sawDone = true
			}
		}
		if !sawDone {
			t.Errorf("progress events %v", rt.of(EventSyncProgress))
		}
		completed := rt.of(EventSyncCompleted)
		if len(completed) == 0 || completed[len(completed)-1].(syncclient.Report).Error != "" {
			t.Errorf("sync:completed %v", completed)
		}
		var running, idle bool
		for _, p := range rt.of(EventSyncStatus) {
			if s := p.(SyncStatus); s.Running {
				running = true
			} else if s.Enrolled {
				idle = true
			}
		}
		if !running || !idle {
			t.Errorf("sync:status never said running (%v) and done (%v)", running, idle)
		}
	})

	t.Run("revoked", func(t *testing.T) {
		if _, err := server.srv.Revoke(context.Background(), st.DeviceID); err != nil {
			t.Fatal(err)
		}
		_, err := a.Sync.SyncNow()
		got := format(err).(map[string]string)
		if got["code"] != domain.EREVOKED || !strings.Contains(got["message"], "inscrivez-le de nouveau") {
			t.Errorf("%v", got)
		}
		st, _ := a.Sync.Status()
		if !st.Revoked || !st.Paused || st.NextAttemptAt != nil || st.LastError != got["message"] {
			t.Errorf("status %+v", st)
		}
		// Enrolled again, it syncs.
		code, _, _ := server.srv.NewEnrolment(context.Background(), site.ID)
		if _, err := a.Sync.Enroll(server.url, code); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Sync.SyncNow(); err != nil {
			t.Fatal(err)
		}
		if st, _ := a.Sync.Status(); st.Revoked || st.Paused || st.LastError != "" {
			t.Errorf("after a new enrolment: %+v", st)
		}
	})

	t.Run("a code of another EDAS is refused, unused", func(t *testing.T) {
		ctx := context.Background()
		other, err := server.srv.AddSite(ctx, "EDAS de Clichy")
		if err != nil {
			t.Fatal(err)
		}
		code, _, err := server.srv.NewEnrolment(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := server.srv.Devices(ctx)
		// The desk holds a usager file of Nanterre: Clichy must not receive it.
		_, err = a.Sync.Enroll(server.url, code)
		got := format(err).(map[string]string)
		if got["code"] != domain.ECONFLICT || !strings.Contains(got["message"], "« EDAS de Clichy »") || !strings.Contains(got["message"], "n’a pas servi") {
			t.Errorf("enrolment with Clichy's code: %v", got)
		}
		if after, _ := server.srv.Devices(ctx); len(after) != len(before) {
			t.Errorf("the refused enrolment created a device: %d devices, %d before", len(after), len(before))
		}
		if st, _ := a.Sync.Status(); st.SiteID != site.ID {
			t.Errorf("the desk's enrolment changed: %+v", st)
		}
		// The code was not spent: a desk of Clichy enrols with it.
		if enr, err := syncclient.Enroll(ctx, server.url, code, "Clichy 1", syncclient.EnrollOptions{}); err != nil || enr.SiteID != other.ID {
			t.Errorf("the code after the refusal: %+v, %v", enr, err)
		}
	})
}

// TestSync_DirectoryRefreshed: services pulled from the server are found by a search at once,
// on the desk's real store (which writes the pulled directory where the index is loaded from).
func TestSync_DirectoryRefreshed(t *testing.T) {
	t.Parallel()
	server := newSyncServer(t)
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "passerelle.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var store domain.DeskSyncStore = db
	log := slog.New(slog.DiscardHandler)
	rt := &eventRuntime{fakeRuntime: fakeRuntime{ready: make(chan struct{})}}
	d := directory.New(db, directory.Options{Logger: log})
	refs := referrals.New(referrals.Stores{Referrals: db, Directory: db, Interviews: db, Meta: db}, referrals.Options{Logger: log})
	a := New(d, interviews.New(db, d, interviews.Options{Logger: log}), refs, rt, Options{
		DataDir: dir, Version: "test", Logger: log,
		Sync: SyncOptions{Store: store, Runner: syncclient.RunnerOptions{FirstDelay: time.Hour, Interval: time.Hour}},
	})
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	a.Startup(context.Background())
	a.DomReady(context.Background())
	ctx := context.Background()
	if err := a.core.waitLoaded(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := d.DemoServices(ctx); err != nil || n == 0 {
		t.Fatalf("a new desk starts with the demo directory: %d demo services, %v", n, err)
	}
	code, _ := server.code(t)
	if _, err := a.Sync.Enroll(server.url, code); err != nil {
		t.Fatal(err)
	}
	// Enrolled, the desk drops the fictitious directory: the real one is coming.
	if n, err := d.DemoServices(ctx); err != nil || n != 0 {
		t.Errorf("after enrolment: %d demo services left, %v", n, err)
	}
	if _, err := a.Sync.SyncNow(); err != nil {
		t.Fatal(err)
	}
	res, err := a.Directory.Search(domain.SearchQuery{Text: "zephyrine"})
	if err != nil || res.Total == 0 {
		t.Fatalf("search after the sync: %d, %v", res.Total, err)
	}
	for _, h := range res.Hits {
		if h.Origin == domain.OriginDemo {
			t.Errorf("a demo service is still found after enrolment: %s", h.Nom)
		}
	}
}
