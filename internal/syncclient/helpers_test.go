package syncclient

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncclient/memdesk"
	"github.com/edas92/passerelle/internal/syncserver"
)

// t0 is the fixed time tests start at.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testClock is a clock tests move by hand; the server reads it (enrolment expiry, rate limits).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// hook stands in front of the real server's handler: it may answer itself, or call next and
// tamper with the answer.
type hook func(w http.ResponseWriter, r *http.Request, next http.Handler)

// env is the real sync server on a real SQLite file, behind a real HTTP server on loopback,
// with a hook in front and a count of requests per path.
type env struct {
	t     testing.TB
	store *sqlite.ServerDB
	srv   *syncserver.Server
	url   string
	clock *testClock

	mu    sync.Mutex
	hook  hook
	calls map[string]int
}

// newEnv starts a server; rate limits are off unless tune sets them.
func newEnv(t testing.TB, tune func(*syncserver.Options)) *env {
	t.Helper()
	clock := &testClock{t: t0}
	store, err := sqlite.OpenServer(filepath.Join(t.TempDir(), "serveur.db"), sqlite.ServerOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	opt := syncserver.Options{Now: clock.Now, DeviceRate: rate.Inf, EnrolRate: rate.Inf}
	if tune != nil {
		tune(&opt)
	}
	e := &env{t: t, store: store, srv: syncserver.New(store, opt), clock: clock, calls: map[string]int{}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.calls[r.URL.Path]++
		h := e.hook
		e.mu.Unlock()
		if h != nil {
			h(w, r, e.srv.Handler())
			return
		}
		e.srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		hs.Close()
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	e.url = hs.URL
	return e
}

func (e *env) setHook(h hook) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hook = h
}

// count returns the requests received on a path (/api/v1/push…).
func (e *env) count(path string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls[path]
}

func (e *env) addSite(name string) domain.Site {
	e.t.Helper()
	s, err := e.srv.AddSite(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// code prints an enrolment code for a site.
func (e *env) code(siteID string) string {
	e.t.Helper()
	code, _, err := e.srv.NewEnrolment(context.Background(), siteID)
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

// desk is an enrolled desk: its fake store and its client.
type desk struct {
	store  *memdesk.Store
	client *Client
	enr    domain.DeskEnrolment
	logs   *bytes.Buffer
}

// newDesk enrols a new desk of a site through Enroll and the fake store.
func (e *env) newDesk(siteID, name string, tune func(*ClientOptions)) *desk {
	e.t.Helper()
	store := memdesk.New(e.clock.Now)
	enr, err := Enroll(context.Background(), e.url, e.code(siteID), name, EnrollOptions{})
	if err != nil {
		e.t.Fatalf("enroll: %v", err)
	}
	if err := store.Enrol(context.Background(), enr); err != nil {
		e.t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	opt := ClientOptions{Now: e.clock.Now, Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if tune != nil {
		tune(&opt)
	}
	return &desk{store: store, client: New(store, opt), enr: enr, logs: logs}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// sync runs one sync and records its progress.
func (d *desk) sync(t testing.TB) (Report, []Progress, error) {
	t.Helper()
	var ps []Progress
	rep, err := d.client.Sync(context.Background(), func(p Progress) { ps = append(ps, p) })
	return rep, ps, err
}

// mustSync runs one sync and fails the test when it fails.
func (d *desk) mustSync(t testing.TB) Report {
	t.Helper()
	rep, _, err := d.sync(t)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if rep.Error != "" {
		t.Fatalf("sync error in the report without an error: %+v", rep)
	}
	return rep
}

// Directory fixtures: one structure with two services, in data·inclusion v1 JSON.
const (
	structuresJSON = `[{"id":"cd92--s1","source":"cd92","nom":"Association La Clé","date_maj":"2026-01-10","code_insee":"92050","commune":"Nanterre","latitude":48.8924,"longitude":2.2069}]`
	servicesJSON   = `[
 {"id":"cd92--v1","source":"cd92","structure_id":"cd92--s1","nom":"Épicerie solidaire La Clé","description":"Des courses à petit prix.","date_maj":"2026-01-10","frais":"payant","thematiques":["equipement-et-alimentation--alimentation"]},
 {"id":"cd92--v2","source":"cd92","structure_id":"cd92--s1","nom":"Café des voisins","description":"Un café pour se retrouver.","date_maj":"2026-01-10","frais":"gratuit","modes_accueil":["en-presentiel"]}
]`
)

// importFixtures publishes the fixture directory (3 records).
func (e *env) importFixtures() {
	e.t.Helper()
	e.importFiles([]byte(structuresJSON), []byte(servicesJSON), 3)
}

// importGenerated publishes a generated directory of n services and returns the number of
// records (structures and services).
func (e *env) importGenerated(n int) int {
	e.t.Helper()
	sts, svs := demo.Generate(n, 1)
	var sb, vb bytes.Buffer
	if err := datainclusion.EncodeStructures(&sb, sts); err != nil {
		e.t.Fatal(err)
	}
	if err := datainclusion.EncodeServices(&vb, svs); err != nil {
		e.t.Fatal(err)
	}
	e.importFiles(sb.Bytes(), vb.Bytes(), len(sts)+len(svs))
	return len(sts) + len(svs)
}

func (e *env) importFiles(structures, services []byte, want int) {
	e.t.Helper()
	rep, err := e.srv.ImportDirectory(context.Background(), []syncserver.ImportFile{
		syncserver.FileBytes("structures.json", structures),
		syncserver.FileBytes("services.json", services),
	}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if len(rep.Rejected) > 0 || rep.Imported != want {
		e.t.Fatalf("import: %d imported, want %d; %d rejected (%+v)", rep.Imported, want, len(rep.Rejected), rep.Rejected[:min(3, len(rep.Rejected))])
	}
}

// device returns the server's record of a device.
func (e *env) device(id string) domain.Device {
	e.t.Helper()
	devs, err := e.srv.Devices(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, d := range devs {
		if d.ID == id {
			return d
		}
	}
	e.t.Fatalf("device %s not on the server", id)
	return domain.Device{}
}

// serverRecord returns a record as the server holds it for a site (pulled from 0).
func (e *env) serverRecord(siteID, kind, uuid string) (domain.SyncRecord, bool) {
	e.t.Helper()
	var cursor int64
	for {
		page, err := e.store.Pull(context.Background(), siteID, cursor, 0, 1000)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range page.Changes {
			if r.Kind == kind && r.UUID == uuid {
				return r, true
			}
		}
		cursor = page.Cursor
		if !page.More {
			return domain.SyncRecord{}, false
		}
	}
}

// field returns a record's field value as compact JSON.
func field(r domain.SyncRecord, name string) string {
	f, ok := r.Fields[name]
	if !ok {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, f.V); err != nil {
		return string(f.V)
	}
	return buf.String()
}

// cutAfter answers with the real server's status and headers, the first n bytes of its body
// (half of it when n < 0), and then closes the connection: a response cut mid-body.
func cutAfter(t testing.TB, n int, w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if n < 0 {
		n = len(body) / 2
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body))) // promise the whole body…
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:n]) // …send part of it…
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot be hijacked")
		return
	}
	conn, _, err := hj.Hijack() // …and hang up.
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

func newUUID() string { return domain.NewUUID() }
