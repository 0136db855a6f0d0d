package syncserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"github.com/edas92/passerelle/internal/sqlite"
)

// t0 is the fixed time tests start at.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testClock is a clock tests move by hand.
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

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testEnv is a server on a real SQLite file behind a real HTTP server on loopback.
type testEnv struct {
	t     testing.TB
	store *sqlite.ServerDB
	srv   *Server
	url   string
	clock *testClock
	logs  *lockedBuffer
}

// newEnv starts a server. Rate limits are off unless tune sets them: most tests send many
// requests at a frozen clock.
func newEnv(t testing.TB, tune func(*Options)) *testEnv {
	t.Helper()
	clock := &testClock{t: t0}
	store, err := sqlite.OpenServer(filepath.Join(t.TempDir(), "serveur.db"), sqlite.ServerOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	opt := Options{
		Now:        clock.Now,
		Logger:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		DeviceRate: rate.Inf,
		EnrolRate:  rate.Inf,
	}
	if tune != nil {
		tune(&opt)
	}
	srv := New(store, opt)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	return &testEnv{t: t, store: store, srv: srv, url: hs.URL, clock: clock, logs: logs}
}

func (e *testEnv) addSite(name string) domain.Site {
	e.t.Helper()
	s, err := e.srv.AddSite(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// desk is an enrolled device as a desk sees it: its token and its next mutation id.
type desk struct {
	env    *testEnv
	id     string
	site   string
	token  string
	nextID int64
	clock  *hlc.Clock
}

// enrol enrols a desk of a site through the HTTP API.
func (e *testEnv) enrol(siteID, name string) *desk {
	e.t.Helper()
	code, _, err := e.srv.NewEnrolment(context.Background(), siteID)
	if err != nil {
		e.t.Fatal(err)
	}
	var resp EnrollResponse
	if st, body := e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": name}, &resp); st != http.StatusOK {
		e.t.Fatalf("enrol: %d %s", st, body)
	}
	if resp.SiteID != siteID || resp.DeviceID == "" || resp.Token == "" {
		e.t.Fatalf("enrol: %+v", resp)
	}
	return &desk{env: e, id: resp.DeviceID, site: resp.SiteID, token: resp.Token, nextID: 1,
		clock: hlc.New(resp.DeviceID, e.clock.Now, "")}
}

// call sends a request with a JSON body (a string or []byte is sent as is) and a bearer token
// ("" for none), decodes a 200 answer into out when given, and returns the status and the body.
func (e *testEnv) call(method, path, token string, body any, out any) (int, []byte) {
	e.t.Helper()
	st, b, _ := e.callHeader(method, path, http.Header{"Authorization": bearer(token)}, body)
	if st == http.StatusOK && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return st, b
}

func bearer(token string) []string {
	if token == "" {
		return nil
	}
	return []string{"Bearer " + token}
}

func (e *testEnv) callHeader(method, path string, h http.Header, body any) (int, []byte, http.Header) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range h {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out, resp.Header
}

// errorOf reads an error body; it fails the test when the body is not {"code","message"} with
// a message.
func errorOf(t testing.TB, b []byte) errorBody {
	t.Helper()
	var eb errorBody
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&eb); err != nil || eb.Code == "" || eb.Message == "" {
		t.Fatalf("not an error body: %s (%v)", b, err)
	}
	return eb
}

// stamp issues the desk's next HLC.
func (d *desk) stamp() string { return d.clock.Now() }

// mut builds the desk's next mutation, numbered.
func (d *desk) mut(kind, uuid, op string, fields map[string]any) domain.Mutation {
	m := domain.Mutation{ID: d.nextID, Kind: kind, UUID: uuid, Op: op, HLC: d.stamp()}
	d.nextID++
	if len(fields) > 0 {
		m.Fields = map[string]json.RawMessage{}
		for k, v := range fields {
			b, err := json.Marshal(v)
			if err != nil {
				panic(err)
			}
			m.Fields[k] = b
		}
	}
	return m
}

func (d *desk) upsert(kind, uuid string, fields map[string]any) domain.Mutation {
	return d.mut(kind, uuid, domain.MutUpsert, fields)
}

func (d *desk) del(kind, uuid string) domain.Mutation {
	return d.mut(kind, uuid, domain.MutDelete, nil)
}

// push sends mutations and returns the status, the result of a 200 and the raw body.
func (d *desk) push(muts ...domain.Mutation) (int, domain.PushResult, []byte) {
	d.env.t.Helper()
	if muts == nil {
		muts = []domain.Mutation{}
	}
	var res domain.PushResult
	st, b := d.env.call(http.MethodPost, "/api/v1/push", d.token, map[string]any{"mutations": muts}, &res)
	return st, res, b
}

// mustPush pushes and fails the test unless the answer is 200.
func (d *desk) mustPush(muts ...domain.Mutation) domain.PushResult {
	d.env.t.Helper()
	st, res, b := d.push(muts...)
	if st != http.StatusOK {
		d.env.t.Fatalf("push: %d %s", st, b)
	}
	return res
}

// pull asks one page.
func (d *desk) pull(cursor int64, limit int) (int, domain.PullResult, []byte) {
	d.env.t.Helper()
	path := fmt.Sprintf("/api/v1/pull?cursor=%d", cursor)
	if limit > 0 {
		path += fmt.Sprintf("&limit=%d", limit)
	}
	var res domain.PullResult
	st, b := d.env.call(http.MethodGet, path, d.token, nil, &res)
	return st, res, b
}

// pullAll pulls every page from cursor and returns the records by "kind/uuid" (the latest state
// of each) and the final cursor.
func (d *desk) pullAll(cursor int64) (map[string]domain.SyncRecord, int64) {
	d.env.t.Helper()
	out := map[string]domain.SyncRecord{}
	for {
		st, page, b := d.pull(cursor, 0)
		if st != http.StatusOK {
			d.env.t.Fatalf("pull: %d %s", st, b)
		}
		for _, r := range page.Changes {
			out[r.Kind+"/"+r.UUID] = r
		}
		cursor = page.Cursor
		if !page.More {
			return out, cursor
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// field returns a record's field value as compact JSON text.
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

// newUUID returns a fresh canonical UUID, as desks write them.
func newUUID() string { return domain.NewUUID() }

// Directory fixtures: one structure with two services, in data·inclusion v1 JSON.
const (
	structuresJSON = `[{"id":"cd92--s1","source":"cd92","nom":"Association La Clé","date_maj":"2026-01-10","code_insee":"92050","commune":"Nanterre","latitude":48.8924,"longitude":2.2069,"champ_local":"gardé"}]`
	servicesJSON   = `[
 {"id":"cd92--v1","source":"cd92","structure_id":"cd92--s1","nom":"Épicerie solidaire La Clé","description":"Des courses à petit prix.","date_maj":"2026-01-10","frais":"payant","thematiques":["equipement-et-alimentation--alimentation"],"horaires_accueil":"Sa 10:00-12:00","passerelle_categorie":"epicerie-solidaire"},
 {"id":"cd92--v2","source":"cd92","structure_id":"cd92--s1","nom":"Café des voisins","description":"Un café pour se retrouver.","date_maj":"2026-01-10","frais":"gratuit","modes_accueil":["en-presentiel"]}
]`
)

// importFixtures publishes the fixture directory and fails the test unless every record passes.
func (e *testEnv) importFixtures() domain.ImportReport {
	e.t.Helper()
	rep, err := e.srv.ImportDirectory(context.Background(), []ImportFile{
		FileBytes("structures.json", []byte(structuresJSON)),
		FileBytes("services.json", []byte(servicesJSON)),
	}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if len(rep.Rejected) > 0 || rep.Imported != 3 {
		e.t.Fatalf("import fixtures: %+v", rep)
	}
	return rep
}
