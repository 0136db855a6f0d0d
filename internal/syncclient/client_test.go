package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncclient/memdesk"
	"github.com/edas92/passerelle/internal/syncserver"
)

// TestClient_RoundTrip: what a desk pushes reaches its colleagues of the same EDAS, never
// another EDAS, and every desk receives the directory.
func TestClient_RoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.importFixtures()
	siteA, siteB := e.addSite("EDAS de Nanterre"), e.addSite("EDAS de Clamart")
	a1, a2, b1 := e.newDesk(siteA.ID, "A1", nil), e.newDesk(siteA.ID, "A2", nil), e.newDesk(siteB.ID, "B1", nil)

	usager := newUUID()
	a1.store.Change(domain.KindUsager, usager, domain.MutUpsert, map[string]any{"display_name": "M. D.", "commune": "92050"})
	a1.store.Change(domain.KindUsager, usager, domain.MutUpsert, map[string]any{"commune": "92040"})

	rep := a1.mustSync(t)
	if rep.Pushed != 2 || len(rep.Rejected) != 0 || rep.Pending != 0 {
		t.Errorf("A1 push: %+v", rep)
	}
	// A1 gets the directory and its own usager back.
	if rep.Directory != 3 || rep.Work != 1 || rep.Pulled != 4 {
		t.Errorf("A1 pull: %+v", rep)
	}
	if st, _ := a1.store.SyncState(context.Background()); st.LastSyncAt == nil || st.LastError != "" || st.Cursor != rep.Cursor || st.Cursor == 0 {
		t.Errorf("A1 state after the sync: %+v", st)
	}

	rep = a2.mustSync(t)
	if rep.Pushed != 0 || rep.Directory != 3 || rep.Work != 1 {
		t.Errorf("A2: %+v", rep)
	}
	got, ok := a2.store.Record(domain.KindUsager, usager)
	if !ok || field(got, "display_name") != `"M. D."` || field(got, "commune") != `"92040"` {
		t.Errorf("A2 holds %+v", got)
	}

	rep = b1.mustSync(t)
	if rep.Directory != 3 || rep.Work != 0 {
		t.Errorf("B1: %+v", rep)
	}
	if _, ok := b1.store.Record(domain.KindUsager, usager); ok {
		t.Error("B1 received a usager of another EDAS")
	}

	t.Run("a second sync moves nothing", func(t *testing.T) {
		rep := a2.mustSync(t)
		if rep.Pushed != 0 || rep.Pulled != 0 {
			t.Errorf("%+v", rep)
		}
	})
	t.Run("the token is in no log, error or report", func(t *testing.T) {
		b, _ := json.Marshal(rep)
		for _, d := range []*desk{a1, a2, b1} {
			if strings.Contains(d.logs.String(), d.enr.Token) || strings.Contains(string(b), d.enr.Token) {
				t.Errorf("token of %s leaked", d.enr.DeviceID)
			}
		}
	})
}

// TestClient_Batches: the outbox goes in batches of at most 500 mutations and 4 MiB, and a
// server with lower limits (413) gets smaller batches.
func TestClient_Batches(t *testing.T) {
	t.Parallel()
	n := 1200
	if raceEnabled {
		n = 260
	}
	for _, tc := range []struct {
		name      string
		server    func(*syncserver.Options)
		client    func(*ClientOptions)
		minPushes int
	}{
		{"500 at most", nil, nil, (n + 499) / 500},
		{"body limit", nil, func(o *ClientOptions) { o.MaxBody = 16 << 10 }, n * 150 / (16 << 10)},
		{"server taking 100 at most", func(o *syncserver.Options) { o.MaxMutations = 100 }, nil, n / 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.server)
			site := e.addSite("EDAS")
			d := e.newDesk(site.ID, "A1", tc.client)
			for i := range n {
				d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "Personne " + strings.Repeat("x", i%50), "commune": "92050"})
			}
			rep, ps, err := d.sync(t)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Pushed != n || rep.Pending != 0 || rep.Work != n {
				t.Fatalf("report %+v", rep)
			}
			if got := e.device(d.enr.DeviceID).LastMutation; got != int64(n) {
				t.Errorf("server applied through %d, want %d", got, n)
			}
			if pushes := e.count("/api/v1/push"); pushes < tc.minPushes {
				t.Errorf("%d pushes, want at least %d", pushes, tc.minPushes)
			}
			var last int64 = -1
			for _, p := range ps {
				if p.Phase == PhasePush {
					if p.Done < last || p.Done > p.Total || p.Total != int64(n) {
						t.Fatalf("push progress %+v after %d", p, last)
					}
					last = p.Done
				}
			}
			if last != int64(n) {
				t.Errorf("push progress ended at %d, want %d", last, n)
			}
		})
	}
}

// TestClient_FirstSyncProgress: the first sync of a large directory shows a bar that moves,
// page after page, and ends full.
func TestClient_FirstSyncProgress(t *testing.T) {
	t.Parallel()
	n := 3000
	if raceEnabled {
		n = 300
	}
	e := newEnv(t, nil)
	records := e.importGenerated(n)
	d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) { o.PageSize = 100 })
	rep, ps, err := d.sync(t)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Directory != records || rep.Pulled != records {
		t.Fatalf("report %+v, want %d directory records", rep, records)
	}
	var pulls []Progress
	for _, p := range ps {
		if p.Phase == PhasePull {
			pulls = append(pulls, p)
		}
	}
	if len(pulls) < records/100 {
		t.Fatalf("%d progress steps for %d pages", len(pulls), records/100)
	}
	total := pulls[0].Total
	if total < int64(records) {
		t.Fatalf("estimated total %d below the %d records", total, records)
	}
	for i, p := range pulls {
		if p.Total != total || (i > 0 && p.Done <= pulls[i-1].Done) {
			t.Fatalf("step %d: %+v after %+v", i, p, pulls[max(i-1, 0)])
		}
	}
	if end := pulls[len(pulls)-1]; end.Done != end.Total {
		t.Errorf("the bar ends at %d / %d", end.Done, end.Total)
	}
	if got := d.store.Count(domain.KindService); got != n {
		t.Errorf("%d services on the desk, want %d", got, n)
	}
}

// TestClient_ReplayedBatch: the server applied a push whose answer never arrived (cut mid-body);
// the desk sends the batch again at the next sync and the server applies it once.
func TestClient_ReplayedBatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	site := e.addSite("EDAS")
	d := e.newDesk(site.ID, "A1", nil)
	usager := newUUID()
	d.store.Change(domain.KindUsager, usager, domain.MutUpsert, map[string]any{"display_name": "M. D."})
	d.store.Change(domain.KindUsager, usager, domain.MutUpsert, map[string]any{"commune": "92050"})

	e.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == "/api/v1/push" {
			cutAfter(t, -1, w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	})
	rep, _, err := d.sync(t)
	if domain.ErrorCode(err) != EUNAVAILABLE || !strings.Contains(rep.Error, "coupée") || rep.ErrorCode != EUNAVAILABLE {
		t.Fatalf("cut answer: %v, %+v", err, rep)
	}
	if st, _ := d.store.SyncState(context.Background()); st.Pending != 2 || st.LastError != rep.Error || st.LastErrorAt == nil {
		t.Fatalf("after the cut: %+v", st)
	}
	if got := e.device(d.enr.DeviceID).LastMutation; got != 2 {
		t.Fatalf("the server applied through %d before the cut", got)
	}
	v1, _ := e.store.Version(context.Background())

	e.setHook(nil)
	rep = d.mustSync(t)
	if rep.Pending != 0 || rep.Pushed != 2 {
		t.Errorf("replay: %+v", rep)
	}
	if v2, _ := e.store.Version(context.Background()); v2 != v1 {
		t.Errorf("the replay wrote again: version %d → %d", v1, v2)
	}
	if st, _ := d.store.SyncState(context.Background()); st.LastError != "" || st.LastSyncAt == nil {
		t.Errorf("state after a good sync: %+v", st)
	}
}

// TestClient_PullCut: a page cut mid-body is not applied; the next sync gets it.
func TestClient_PullCut(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.importFixtures()
	d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) { o.PageSize = 2 })
	pulls := 0
	e.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == "/api/v1/pull" {
			if pulls++; pulls == 2 {
				cutAfter(t, -1, w, r, next)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
	rep, _, err := d.sync(t)
	if domain.ErrorCode(err) != EUNAVAILABLE || rep.Pulled != 2 {
		t.Fatalf("cut page: %v, %+v", err, rep)
	}
	cursor := rep.Cursor
	if st, _ := d.store.SyncState(context.Background()); st.Cursor != cursor {
		t.Fatalf("cursor %d after the first page, report says %d", st.Cursor, cursor)
	}
	rep = d.mustSync(t)
	if rep.Pulled != 1 || d.store.Count(domain.KindService)+d.store.Count(domain.KindStructure) != 3 {
		t.Errorf("after the cut: %+v", rep)
	}
}

// TestClient_Gap: the server ahead of the desk (it applied changes whose answer was lost) and
// the server behind it (it expects changes the desk no longer has).
func TestClient_Gap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("server ahead: it answers through the last id it has", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) { o.BatchSize = 5 })
		for i := range 7 {
			d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "P" + string(rune('a'+i))})
		}
		// Another process of the same desk (or a lost answer) pushed all seven.
		muts, _ := d.store.Outbox(ctx, 10)
		pushDirect(t, e, d.enr.Token, muts)
		rep := d.mustSync(t)
		if rep.Pending != 0 || e.count("/api/v1/push") != 2 { // the direct push and one batch
			t.Errorf("report %+v, %d pushes", rep, e.count("/api/v1/push"))
		}
	})

	t.Run("server ahead: a 409 gap past the batch's first id", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		d := e.newDesk(e.addSite("EDAS").ID, "A1", nil)
		for i := range 5 {
			d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "P" + string(rune('a'+i))})
		}
		muts, _ := d.store.Outbox(ctx, 3)
		pushDirect(t, e, d.enr.Token, muts) // the server has 1–3
		// A server that refuses replays rather than skipping them answers a gap.
		first := true
		e.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == "/api/v1/push" && first {
				first = false
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusConflict)
				_, _ = w.Write([]byte(`{"code":"gap","message":"Des modifications manquent.","expected":4}`))
				return
			}
			next.ServeHTTP(w, r)
		})
		rep := d.mustSync(t)
		if rep.Pending != 0 || rep.Pushed != 2 {
			t.Errorf("report %+v", rep)
		}
		if got := e.device(d.enr.DeviceID).LastMutation; got != 5 {
			t.Errorf("server through %d", got)
		}
	})

	t.Run("server behind: the desk no longer has what it expects", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		e.importFixtures()
		d := e.newDesk(e.addSite("EDAS").ID, "A1", nil)
		for i := range 5 {
			d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "P" + string(rune('a'+i))})
		}
		d.store.Forget(2) // the desk lost 1–2 without the server having them
		for range 2 {     // twice: each sync stops, none loops
			before := e.count("/api/v1/push")
			rep, _, err := d.sync(t)
			if domain.ErrorCode(err) != domain.EGAP || !strings.Contains(rep.Error, "n° 1 ") || !strings.Contains(rep.Error, "administrateur") {
				t.Fatalf("gap: %v, %+v", err, rep)
			}
			if n := e.count("/api/v1/push") - before; n != 1 {
				t.Errorf("%d pushes in one sync", n)
			}
			if rep.Pending != 3 {
				t.Errorf("pending %d: the changes must stay", rep.Pending)
			}
		}
		// Meanwhile the desk still receives the directory.
		if d.store.Count(domain.KindService) != 2 {
			t.Errorf("no directory pulled while the push is stuck")
		}
	})
}

// pushDirect pushes mutations with a device's token, as another process of the desk would.
func pushDirect(t *testing.T, e *env, token string, muts []domain.Mutation) {
	t.Helper()
	tr := &transport{hc: newHTTPClient(nil), base: mustURL(t, e.url), token: token, sleep: sleepCtx}
	body, n, err := encodeBatch(muts, MaxBody)
	if err != nil || n != len(muts) {
		t.Fatal(n, err)
	}
	var res domain.PushResult
	if err := tr.do(context.Background(), http.MethodPost, "/api/v1/push", nil, body, &res); err != nil {
		t.Fatal(err)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := ParseServerURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestClient_Rejected: a change the server refuses is reported with its reason and kept for the
// worker, and the changes after it go through.
func TestClient_Rejected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.importFixtures()
	siteA, siteB := e.addSite("EDAS A"), e.addSite("EDAS B")
	a1, b1 := e.newDesk(siteA.ID, "A1", nil), e.newDesk(siteB.ID, "B1", nil)
	usagerB := newUUID()
	b1.store.Change(domain.KindUsager, usagerB, domain.MutUpsert, map[string]any{"display_name": "Mme B."})
	b1.mustSync(t)

	service := domain.RecordUUID(domain.KindService, "cd92", "cd92--v1")
	usagerA := newUUID()
	a1.store.Change(domain.KindService, service, domain.MutUpsert, map[string]any{"data": map[string]any{"nom": "pirate"}})
	a1.store.Change(domain.KindUsager, usagerB, domain.MutUpsert, map[string]any{"display_name": "écrasé"})
	a1.store.Change(domain.KindUsager, usagerA, domain.MutUpsert, map[string]any{"display_name": "M. A."})
	rep := a1.mustSync(t)
	if rep.Pushed != 1 || len(rep.Rejected) != 2 || rep.Pending != 0 {
		t.Fatalf("report %+v", rep)
	}
	if r := rep.Rejected[0]; r.Kind != domain.KindService || r.UUID != service || !strings.Contains(r.Reason, "serveur") {
		t.Errorf("first rejection %+v", r)
	}
	if r := rep.Rejected[1]; r.Kind != domain.KindUsager || r.UUID != usagerB || !strings.Contains(r.Reason, "autre EDAS") {
		t.Errorf("second rejection %+v", r)
	}
	kept, _ := a1.store.SyncRejections(context.Background())
	if len(kept) != 2 {
		t.Errorf("kept for the worker: %+v", kept)
	}
	if _, ok := e.serverRecord(siteA.ID, domain.KindUsager, usagerA); !ok {
		t.Error("the change after the rejected ones did not reach the server")
	}
	if r, _ := e.serverRecord(siteB.ID, domain.KindUsager, usagerB); field(r, "display_name") != `"Mme B."` {
		t.Errorf("another EDAS's usager was written: %+v", r)
	}
}

// TestClient_Revoked: a revoked device is told so, marked revoked, and sends nothing more until
// it is enrolled again.
func TestClient_Revoked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	site := e.addSite("EDAS")
	d := e.newDesk(site.ID, "A1", nil)
	d.mustSync(t)
	if _, err := e.srv.Revoke(ctx, d.enr.DeviceID); err != nil {
		t.Fatal(err)
	}
	d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "M. D."})

	rep, _, err := d.sync(t)
	if domain.ErrorCode(err) != domain.EREVOKED || !Permanent(err) {
		t.Fatalf("revoked: %v", err)
	}
	for _, want := range []string{"retiré", "inscrivez-le de nouveau"} {
		if !strings.Contains(rep.Error, want) {
			t.Errorf("message %q does not say %q", rep.Error, want)
		}
	}
	st, _ := d.store.SyncState(ctx)
	if !st.Revoked || st.Pending != 1 || st.LastError != rep.Error {
		t.Errorf("state %+v", st)
	}
	before := e.count("/api/v1/push") + e.count("/api/v1/pull")
	if _, _, err := d.sync(t); domain.ErrorCode(err) != domain.EREVOKED {
		t.Errorf("second sync: %v", err)
	}
	if after := e.count("/api/v1/push") + e.count("/api/v1/pull"); after != before {
		t.Errorf("a revoked desk sent %d requests", after-before)
	}

	t.Run("enrolled again, it syncs its waiting change", func(t *testing.T) {
		enr, err := Enroll(ctx, e.url, e.code(site.ID), "A1", EnrollOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.store.Enrol(ctx, enr); err != nil {
			t.Fatal(err)
		}
		rep := d.mustSync(t)
		if rep.Pushed != 1 || rep.Pending != 0 {
			t.Errorf("%+v", rep)
		}
	})
}

// TestClient_NotEnrolled: a desk never enrolled sends nothing and records nothing.
func TestClient_NotEnrolled(t *testing.T) {
	t.Parallel()
	store := memdesk.New(nil)
	c := New(store, ClientOptions{})
	rep, err := c.Sync(context.Background(), nil)
	if domain.ErrorCode(err) != domain.EUNAUTHORIZED || !Permanent(err) || !strings.Contains(rep.Error, "inscrit") {
		t.Fatalf("%v %+v", err, rep)
	}
	if n := store.CallCount("RecordSync"); n != 0 {
		t.Errorf("RecordSync called %d times", n)
	}
}

// TestClient_RateLimited: a 429 is waited out for as long as its Retry-After says, a bounded
// number of times; past that the sync stops and says when to come back.
func TestClient_RateLimited(t *testing.T) {
	t.Parallel()
	limited := func(r rate.Limit, burst int) func(*syncserver.Options) {
		return func(o *syncserver.Options) { o.DeviceRate, o.DeviceBurst = r, burst }
	}

	t.Run("waits and goes on", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, limited(1, 2)) // one request a second after two
		e.importFixtures()
		var waits []time.Duration
		d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) {
			o.PageSize = 1
			o.Sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				e.clock.Add(d) // the server's clock: its bucket refills
				return nil
			}
		})
		rep := d.mustSync(t) // one push and three pages: two requests over the burst
		if rep.Pulled != 3 {
			t.Errorf("%+v", rep)
		}
		if len(waits) != 2 {
			t.Fatalf("waits %v, want two of 1 s", waits)
		}
		for _, w := range waits {
			if w != time.Second {
				t.Errorf("waited %v, Retry-After said 1 s", w)
			}
		}
	})

	t.Run("gives up after a few waits", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, limited(1, 1))
		waits := 0
		d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) {
			o.Sleep = func(context.Context, time.Duration) error { waits++; return nil } // the clock stays
		})
		rep, _, err := d.sync(t) // the push takes the one token, the pull waits in vain
		if domain.ErrorCode(err) != domain.ERATELIMITED || Permanent(err) || waits != maxRateWaits {
			t.Fatalf("%v after %d waits", err, waits)
		}
		if ra, ok := RetryAfter(err); !ok || ra != time.Second {
			t.Errorf("retry after %v %v", ra, ok)
		}
		if !strings.Contains(rep.Error, "sollicité") {
			t.Errorf("message %q", rep.Error)
		}
	})

	t.Run("a long Retry-After ends the sync at once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, limited(rate.Every(time.Hour), 1))
		waits := 0
		d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) {
			o.Sleep = func(context.Context, time.Duration) error { waits++; return nil }
		})
		_, _, err := d.sync(t) // the push takes the one token
		ra, ok := RetryAfter(err)
		if domain.ErrorCode(err) != domain.ERATELIMITED || waits != 0 || !ok || ra < 59*time.Minute {
			t.Fatalf("%v, %d waits, retry after %v", err, waits, ra)
		}
	})
}

// TestClient_Resync: a cursor older than the tombstones the server keeps gets 410; the desk
// pulls its whole scope again and drops what the server no longer holds.
func TestClient_Resync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	e.importFixtures()
	site := e.addSite("EDAS")
	a1, a2 := e.newDesk(site.ID, "A1", nil), e.newDesk(site.ID, "A2", nil)
	gone, kept := newUUID(), newUUID()
	a1.store.Change(domain.KindUsager, gone, domain.MutUpsert, map[string]any{"display_name": "Effacé"})
	a1.store.Change(domain.KindUsager, kept, domain.MutUpsert, map[string]any{"display_name": "Gardé"})
	a1.mustSync(t)
	a2.mustSync(t)
	if _, ok := a2.store.Record(domain.KindUsager, gone); !ok {
		t.Fatal("A2 did not receive the usager")
	}
	// A1 erases a file; A2 is away while the server drops the tombstone.
	a1.store.Change(domain.KindUsager, gone, domain.MutDelete, nil)
	a1.mustSync(t)
	v, _ := e.store.Version(ctx)
	if err := e.store.DropTombstones(ctx, v+1); err != nil {
		t.Fatal(err)
	}
	mine := newUUID()
	a2.store.Change(domain.KindUsager, mine, domain.MutUpsert, map[string]any{"display_name": "Nouveau"})

	rep := a2.mustSync(t)
	if !rep.Resynced || rep.Pushed != 1 {
		t.Fatalf("report %+v", rep)
	}
	if r, ok := a2.store.Record(domain.KindUsager, gone); ok && !r.Deleted {
		t.Errorf("the erased file is still on A2: %+v", r)
	}
	for _, id := range []string{kept, mine} {
		if _, ok := a2.store.Record(domain.KindUsager, id); !ok {
			t.Errorf("usager %s lost in the resync", id)
		}
	}
	if a2.store.CallCount("ResetCursor") != 1 {
		t.Errorf("ResetCursor called %d times", a2.store.CallCount("ResetCursor"))
	}
	if rep := a2.mustSync(t); rep.Resynced || rep.Pulled != 0 {
		t.Errorf("next sync: %+v", rep)
	}
}

// TestClient_ServerFailures: a failing server, a closed one and a broken store each stop the
// sync with an error the worker can read, recorded in the store.
func TestClient_ServerFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("500 on pull", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		e.importFixtures()
		d := e.newDesk(e.addSite("EDAS").ID, "A1", nil)
		d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "M. D."})
		e.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == "/api/v1/pull" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"code":"internal","message":"Une erreur interne est survenue."}`))
				return
			}
			next.ServeHTTP(w, r)
		})
		rep, _, err := d.sync(t)
		if domain.ErrorCode(err) != EUNAVAILABLE || !strings.Contains(rep.Error, "HTTP 500") || rep.Pushed != 1 {
			t.Fatalf("%v %+v", err, rep)
		}
		if e.count("/api/v1/pull") != 1 {
			t.Errorf("%d pulls: a failing server is not retried within a sync", e.count("/api/v1/pull"))
		}
		st, _ := d.store.SyncState(ctx)
		if st.LastError != rep.Error || st.LastSyncAt != nil {
			t.Errorf("state %+v", st)
		}
	})

	t.Run("server gone", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		d := e.newDesk(e.addSite("EDAS").ID, "A1", nil)
		e.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		})
		rep, _, err := d.sync(t)
		if domain.ErrorCode(err) != EUNAVAILABLE || rep.Error == "" || strings.Contains(err.Error(), d.enr.Token) {
			t.Fatalf("%v %+v", err, rep)
		}
	})

	t.Run("the desk's store fails", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		e.importFixtures()
		d := e.newDesk(e.addSite("EDAS").ID, "A1", nil)
		d.store.FailApply = errors.New("disk full")
		rep, _, err := d.sync(t)
		if domain.ErrorCode(err) != domain.EINTERNAL || rep.Pulled != 0 || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("%v %+v", err, rep)
		}
		if st, _ := d.store.SyncState(ctx); st.Cursor != 0 {
			t.Errorf("cursor moved: %+v", st)
		}
	})

	t.Run("a cancelled sync records nothing", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		d := e.newDesk(e.addSite("EDAS").ID, "A1", nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.client.Sync(ctx, nil); err == nil {
			t.Fatal("no error")
		}
		if n := d.store.CallCount("RecordSync"); n != 0 {
			t.Errorf("RecordSync called %d times", n)
		}
	})
}

// TestClient_TooLarge: a change over the body limit on its own stops the push with a clear
// message; the desk still pulls.
func TestClient_TooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.importFixtures()
	d := e.newDesk(e.addSite("EDAS").ID, "A1", func(o *ClientOptions) { o.MaxBody = 1 << 20 })
	d.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"notes": strings.Repeat("x", 1<<20)})
	rep, _, err := d.sync(t)
	if domain.ErrorCode(err) != domain.ETOOLARGE || !strings.Contains(rep.Error, "n° 1") || rep.Directory != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
}

// TestClient_FirstSyncAfterHousekeeping: a new desk's first sync, in many pages, on a server
// that has dropped tombstones. Its pages' cursors are below the tombstone floor: the pull goes
// on by its since, to the end, without a resync — and so does a first sync cut half-way, at the
// next sync, from the cursor and since the desk kept.
func TestClient_FirstSyncAfterHousekeeping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	dir := e.importGenerated(30)
	site := e.addSite("EDAS")
	a1 := e.newDesk(site.ID, "A1", nil)
	gone := newUUID()
	a1.store.Change(domain.KindUsager, gone, domain.MutUpsert, map[string]any{"display_name": "Effacé"})
	a1.mustSync(t)
	a1.store.Change(domain.KindUsager, gone, domain.MutDelete, nil)
	a1.mustSync(t)
	v, _ := e.store.Version(ctx)
	if err := e.store.DropTombstones(ctx, v+1); err != nil {
		t.Fatal(err)
	}
	directory := func(d *desk) int { return d.store.Count(domain.KindService) + d.store.Count(domain.KindStructure) }

	t.Run("whole", func(t *testing.T) {
		d := e.newDesk(site.ID, "A2", func(o *ClientOptions) { o.PageSize = 4 })
		rep := d.mustSync(t)
		if rep.Resynced || directory(d) != dir || d.store.CallCount("ResetCursor") != 0 {
			t.Errorf("first sync: %+v, %d directory records of %d, %d resets; want all, no resync",
				rep, directory(d), dir, d.store.CallCount("ResetCursor"))
		}
		if st, _ := d.store.SyncState(ctx); st.Cursor != v || st.PullSince != 0 {
			t.Errorf("after the first sync: cursor %d since %d, want %d and 0", st.Cursor, st.PullSince, v)
		}
	})

	t.Run("cut half-way", func(t *testing.T) {
		d := e.newDesk(site.ID, "A3", func(o *ClientOptions) { o.PageSize = 4 })
		pulls := 0
		e.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == "/api/v1/pull" { // only A3 syncs meanwhile
				if pulls++; pulls == 3 {
					cutAfter(t, -1, w, r, next)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
		if _, _, err := d.sync(t); domain.ErrorCode(err) != EUNAVAILABLE {
			t.Fatalf("cut first sync: %v", err)
		}
		e.setHook(nil)
		st, _ := d.store.SyncState(ctx)
		if st.Cursor == 0 || st.Cursor >= v || st.PullSince != v {
			t.Fatalf("after the cut: cursor %d since %d; want a cursor below the floor %d and since %d", st.Cursor, st.PullSince, v, v)
		}
		rep := d.mustSync(t)
		if rep.Resynced || directory(d) != dir || d.store.CallCount("ResetCursor") != 0 {
			t.Errorf("sync after the cut: %+v, %d directory records of %d, %d resets; want the rest, no resync",
				rep, directory(d), dir, d.store.CallCount("ResetCursor"))
		}
	})
}
