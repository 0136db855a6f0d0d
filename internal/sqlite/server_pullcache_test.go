package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/edas92/passerelle/internal/domain"
)

// The pull cache is checked against the SQLite path it stands in for: sqliteOnly(s) is the same
// store with no cache, so that a page can be read both ways from the same file.

// sqliteOnly returns s's store without its pull cache: every PullEncoded reads SQLite.
func sqliteOnly(s *ServerDB) *ServerDB { return &ServerDB{db: s.db} }

// pcSite adds a site and returns its id.
func pcSite(t fataler, s *ServerDB, name string) string {
	t.Helper()
	site, err := s.AddSite(context.Background(), name)
	if err != nil {
		t.Fatalf("AddSite(%q): %v", name, err)
	}
	return site.ID
}

// pcRecord is a live record of one field n, with an answer conflict when n is odd, so that both
// the fields and the conflicts columns travel.
func pcRecord(kind, uuid, site string, n int) domain.SyncRecord {
	h := fmt.Sprintf("%013d-0000-d", 1763892000000+int64(n))
	rec := domain.SyncRecord{Kind: kind, UUID: uuid, Site: site, Fields: map[string]domain.FieldValue{
		"n": {V: json.RawMessage(fmt.Sprint(n)), HLC: h},
	}}
	if n%2 == 1 {
		rec.Conflicts = []domain.AnswerConflict{{Value: json.RawMessage(`{"text":"« autre »"}`), HLC: h, Device: "d2"}}
	}
	return rec
}

// pcTombstone is a deleted record.
func pcTombstone(kind, uuid, site string) domain.SyncRecord {
	return domain.SyncRecord{Kind: kind, UUID: uuid, Site: site, Deleted: true, DeletedAt: "1763892000000-0000-d"}
}

// pcPut writes records in one transaction; the error is InTx's (the whole transaction is then
// rolled back).
func pcPut(s *ServerDB, recs ...domain.SyncRecord) error {
	ctx := context.Background()
	return s.InTx(ctx, func(tx domain.ServerTx) error {
		for _, rec := range recs {
			if _, err := tx.PutRecord(ctx, rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func mustPut(t testing.TB, s *ServerDB, recs ...domain.SyncRecord) {
	t.Helper()
	if err := pcPut(s, recs...); err != nil {
		t.Fatalf("put: %v", err)
	}
}

// pcChange is what a desk reads of an encoded change.
type pcChange struct {
	Version int64  `json:"version"`
	Kind    string `json:"kind"`
	UUID    string `json:"uuid"`
	Deleted bool   `json:"deleted"`
}

// pcDesk is a simulated desk: its site, its cursor, and the records it holds (tombstones
// delete), with the version of each record's last state it received.
type pcDesk struct {
	site   string
	cursor int64
	since  int64               // the Since of the last page, while its pull has more
	held   map[recordKey]int64 // live records and their versions
	seen   map[recordKey]int64 // the last version received of every record, tombstones too
}

func newPCDesk(site string) *pcDesk {
	return &pcDesk{site: site, held: map[recordKey]int64{}, seen: map[recordKey]int64{}}
}

// checkPage checks a page on its own, from a desk at cursor: versions above the cursor and
// strictly increasing, one entry per record, Cursor the last version when More; it returns the
// decoded changes.
func checkPage(page domain.EncodedPage, cursor int64) ([]pcChange, error) {
	changes := make([]pcChange, len(page.Changes))
	inPage := map[recordKey]bool{}
	prev := cursor
	for i, raw := range page.Changes {
		c := &changes[i]
		if err := json.Unmarshal(raw, c); err != nil {
			return nil, fmt.Errorf("change %d is not JSON: %v: %s", i, err, raw)
		}
		if c.Version <= prev {
			return nil, fmt.Errorf("change %s %s at version %d after %d (cursor %d)", c.Kind, c.UUID, c.Version, prev, cursor)
		}
		prev = c.Version
		k := recordKey{c.Kind, c.UUID}
		if inPage[k] {
			return nil, fmt.Errorf("record %s %s twice in one page", c.Kind, c.UUID)
		}
		inPage[k] = true
	}
	if page.More && (len(changes) == 0 || page.Cursor != changes[len(changes)-1].Version) {
		return nil, fmt.Errorf("More with Cursor %d, want the last version of the page", page.Cursor)
	}
	if !page.More && page.Cursor < prev {
		return nil, fmt.Errorf("last page's Cursor %d below its last version %d", page.Cursor, prev)
	}
	return changes, nil
}

// apply applies a checked page as a desk does: each change replaces the record's state, a
// tombstone deletes it. It fails when a record goes back to an older state.
func (d *pcDesk) apply(page domain.EncodedPage, changes []pcChange) error {
	for _, c := range changes {
		k := recordKey{c.Kind, c.UUID}
		if c.Version < d.seen[k] {
			return fmt.Errorf("record %s %s went back from version %d to %d", c.Kind, c.UUID, d.seen[k], c.Version)
		}
		d.seen[k] = c.Version
		if c.Deleted {
			delete(d.held, k)
		} else {
			d.held[k] = c.Version
		}
	}
	d.cursor, d.since = page.Cursor, page.Since
	return nil
}

// resync starts the desk over from 0, as on ERESYNC: a full pull replaces what it holds.
func (d *pcDesk) resync() {
	d.cursor, d.since = 0, 0
	clear(d.held)
}

// scopeState reads the live records of a site's scope, and their versions, from the file.
func scopeState(t fataler, s *ServerDB, site string) map[recordKey]int64 {
	t.Helper()
	rows, err := s.db.read.Query(`SELECT kind, uuid, version FROM record
		WHERE (site = ? OR site IS NULL) AND deleted = 0`, site)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[recordKey]int64{}
	for rows.Next() {
		var k recordKey
		var v int64
		if err := rows.Scan(&k.kind, &k.uuid, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// drain pulls pages of limit until More is false; it returns how many pages it pulled.
func drain(t testing.TB, s *ServerDB, d *pcDesk, limit int) int {
	t.Helper()
	for n := 1; n < 100_000; n++ {
		page, err := s.PullEncoded(context.Background(), d.site, d.cursor, d.since, limit)
		if domain.ErrorCode(err) == domain.ERESYNC {
			d.resync()
			continue
		} else if err != nil {
			t.Fatalf("PullEncoded(%d, %d): %v", d.cursor, limit, err)
		}
		changes, err := checkPage(page, d.cursor)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.apply(page, changes); err != nil {
			t.Fatal(err)
		}
		if !page.More {
			return n
		}
	}
	t.Fatal("More never ends")
	return 0
}

// checkHolds fails the test unless the desk holds exactly its scope's live records.
func checkHolds(t testing.TB, s *ServerDB, d *pcDesk, who string) {
	t.Helper()
	want := scopeState(t, s, d.site)
	if !maps.Equal(d.held, want) {
		t.Fatalf("%s holds %d records, the scope %d: %v, want %v", who, len(d.held), len(want), d.held, want)
	}
}

// cacheState reads the cache's bounds.
func cacheState(c *pullCache) (floor, upTo int64, entries int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.floor, c.upTo, len(c.order)
}

// TestPullCache_Property drives random writes (several sites and global records, updates,
// tombstones, transactions rolled back, records re-created in another scope once their
// tombstone is dropped, tombstones dropped) and pulls of desks at their cursors with random
// limits, on caches with random bounds and a clock that moves. Every page the cache serves must
// be, byte for byte, the page of the SQLite path; no page holds a record twice or versions out of
// order; a desk never goes back to an older state of a record; and a desk that pulled through
// holds exactly its scope's live records.
func TestPullCache_Property(t *testing.T) {
	if raceEnabled {
		// The race detector makes SQLite about 45 times slower: a few cases only. (The flag
		// is rapid's own, read when Check starts; TestSync_Convergence sets it alike.)
		if err := flag.Set("rapid.checks", "5"); err != nil {
			t.Fatal(err)
		}
	}
	maxSteps := 120
	if raceEnabled {
		maxSteps = 40
	}
	var fromCache, pages, zero, belowFloor atomic.Int64
	dir := t.TempDir()
	var run atomic.Int64
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		clock := &testClock{t: t0}
		s, err := OpenServer(filepath.Join(dir, fmt.Sprintf("server-%d.db", run.Add(1))), ServerOptions{Now: clock.Now})
		if err != nil {
			rt.Fatal(err)
		}
		defer s.Close()
		plain := sqliteOnly(s)
		c := s.cache
		c.maxBytes = rapid.SampledFrom([]int64{pullCacheMaxBytes, pullCacheMaxBytes, 2 << 10, 700}).Draw(rt, "maxBytes")
		c.maxCatchUp = rapid.SampledFrom([]int64{pullCacheMaxCatchUp, pullCacheMaxCatchUp, 4}).Draw(rt, "maxCatchUp")
		c.compactMin = rapid.SampledFrom([]int{pullCacheCompactMin, 2}).Draw(rt, "compactMin")

		sites := []string{pcSite(rt, s, "EDAS A"), pcSite(rt, s, "EDAS B"), pcSite(rt, s, "EDAS C")}
		scopes := append([]string{""}, sites...) // "" writes global records
		// Each key lives in a home scope; a uuid with characters JSON escapes checks the bytes.
		uuids := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", `u7 "é"`, "u8", "u9", "u10", "u11"}
		moved := map[recordKey]string{} // keys re-created in another scope than their home
		home := func(kind string, i int) string {
			if site, ok := moved[recordKey{kind, uuids[i]}]; ok {
				return site
			}
			return scopes[i%len(scopes)]
		}
		desks := []*pcDesk{newPCDesk(sites[0]), newPCDesk(sites[0]), newPCDesk(sites[1]), newPCDesk("pas-de-site")}
		n := 0

		checkDesk := func(d *pcDesk, who string) {
			want := scopeState(rt, s, d.site)
			if !maps.Equal(d.held, want) {
				rt.Fatalf("%s holds %v, its scope %v", who, d.held, want)
			}
		}

		var pullOnce func(d *pcDesk, limit int) bool
		pullOnce = func(d *pcDesk, limit int) bool {
			floor, _, _ := cacheState(c)
			var tombstoneFloor int64
			if err := s.db.read.QueryRow(`SELECT tombstone_floor FROM meta WHERE id = 1`).Scan(&tombstoneFloor); err != nil {
				rt.Fatal(err)
			}
			// Below the tombstone floor (the pages of a resync, served by their since), SQLite
			// answers: the cache may hold the tombstones the housekeeping dropped.
			cached := d.cursor > 0 && d.cursor >= floor && d.cursor >= tombstoneFloor
			got, err := s.PullEncoded(ctx, d.site, d.cursor, d.since, limit)
			want, werr := plain.PullEncoded(ctx, d.site, d.cursor, d.since, limit)
			if domain.ErrorCode(err) != domain.ErrorCode(werr) || (err == nil) != (werr == nil) {
				rt.Fatalf("PullEncoded(%d, %d): error %v, SQLite's %v", d.cursor, limit, err, werr)
			}
			if domain.ErrorCode(err) == domain.ERESYNC {
				d.resync()
				return pullOnce(d, limit)
			} else if err != nil {
				rt.Fatal(err)
			}
			pages.Add(1)
			if d.cursor == 0 {
				zero.Add(1)
			} else if d.cursor < tombstoneFloor {
				belowFloor.Add(1)
			}
			if cached {
				fromCache.Add(1)
			}
			if got.Cursor != want.Cursor || got.More != want.More || len(got.Changes) != len(want.Changes) {
				rt.Fatalf("PullEncoded(%d, %d) = %d changes, Cursor %d, More %v; SQLite gives %d, %d, %v",
					d.cursor, limit, len(got.Changes), got.Cursor, got.More, len(want.Changes), want.Cursor, want.More)
			}
			for i := range got.Changes {
				if !bytes.Equal(got.Changes[i], want.Changes[i]) {
					rt.Fatalf("PullEncoded(%d, %d) change %d = %s, SQLite gives %s", d.cursor, limit, i, got.Changes[i], want.Changes[i])
				}
			}
			changes, err := checkPage(got, d.cursor)
			if err != nil {
				rt.Fatal(err)
			}
			if err := d.apply(got, changes); err != nil {
				rt.Fatal(err)
			}
			return got.More
		}

		through := func(d *pcDesk, limit int) {
			for range 10_000 {
				if !pullOnce(d, limit) {
					return
				}
			}
			rt.Fatal("More never ends")
		}

		for range rapid.IntRange(maxSteps/4, maxSteps).Draw(rt, "steps") {
			switch rapid.IntRange(0, 9).Draw(rt, "op") {
			case 0, 1, 2: // a push: one transaction of a few writes in the keys' home scopes
				var recs []domain.SyncRecord
				for range rapid.IntRange(1, 4).Draw(rt, "writes") {
					i := rapid.IntRange(0, len(uuids)-1).Draw(rt, "key")
					kind := rapid.SampledFrom([]string{"usager", "interview"}).Draw(rt, "kind")
					if rapid.IntRange(0, 3).Draw(rt, "delete") == 0 {
						recs = append(recs, pcTombstone(kind, uuids[i], home(kind, i)))
					} else {
						n++
						recs = append(recs, pcRecord(kind, uuids[i], home(kind, i), n))
					}
				}
				if err := pcPut(s, recs...); err != nil {
					rt.Fatalf("put: %v", err)
				}
			case 3: // a record written in another scope: refused unless its tombstone was dropped
				i := rapid.IntRange(0, len(uuids)-1).Draw(rt, "key")
				n++
				scope := rapid.SampledFrom(scopes).Draw(rt, "scope")
				err := pcPut(s, pcRecord("usager", uuids[i], scope, n))
				if err == nil {
					moved[recordKey{"usager", uuids[i]}] = scope
				} else if domain.ErrorCode(err) != domain.ECONFLICT {
					rt.Fatalf("put in another scope: %v", err)
				}
			case 4: // a transaction that fails after its writes: nothing of it persists
				n++
				err := s.InTx(ctx, func(tx domain.ServerTx) error {
					if _, err := tx.PutRecord(ctx, pcRecord("usager", "rolled-back", sites[0], n)); err != nil {
						return err
					}
					return domain.Errorf(domain.EINVALID, "annulée")
				})
				if domain.ErrorCode(err) != domain.EINVALID {
					rt.Fatalf("failed transaction: %v", err)
				}
			case 5: // housekeeping
				v, err := s.Version(ctx)
				if err != nil {
					rt.Fatal(err)
				}
				if err := s.DropTombstones(ctx, rapid.Int64Range(0, v+3).Draw(rt, "before")); err != nil {
					rt.Fatal(err)
				}
			case 6: // time passes: the cache's age bound is an hour
				clock.Advance(time.Duration(rapid.IntRange(0, 40).Draw(rt, "minutes")) * time.Minute)
			case 7, 8: // a desk pulls one page
				d := rapid.SampledFrom(desks).Draw(rt, "desk")
				pullOnce(d, rapid.IntRange(1, 6).Draw(rt, "limit"))
			case 9: // a desk pulls through
				di := rapid.IntRange(0, len(desks)-1).Draw(rt, "desk")
				limit := rapid.IntRange(1, 6).Draw(rt, "limit")
				through(desks[di], limit)
				checkDesk(desks[di], fmt.Sprintf("desk %d", di))
			}
		}
		for di, d := range desks {
			through(d, 5)
			checkDesk(d, fmt.Sprintf("desk %d at the end", di))
		}
	})
	// The property says nothing if the cache never served. Random bounds (tiny ones too) send
	// many cursors below the cache's floor, to SQLite: a quarter of the pages it may serve is
	// asked of it (it serves about two thirds of them over 2,000 runs).
	if p, f := pages.Load()-zero.Load()-belowFloor.Load(), fromCache.Load(); f*4 < p {
		t.Errorf("the cache served %d pages of the %d from a cursor other than 0 and not below the tombstone floor", f, p)
	}
	t.Logf("the cache served %d pages of %d (%d from 0, %d below the tombstone floor)", fromCache.Load(), pages.Load(), zero.Load(), belowFloor.Load())
}

// TestPullCache_Pages checks pages of a known history served from the cache: scopes, paging,
// a record written again after a desk pulled its older state, and the desks the cache does not
// serve.
func TestPullCache_Pages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openServerTest(t, ServerOptions{})
	A, B := pcSite(t, s, "EDAS A"), pcSite(t, s, "EDAS B")
	if v, err := s.Version(ctx); err != nil || v != 0 {
		t.Fatalf("Version = %d, %v; want 0 (sites are no record): the cases count versions from 1", v, err)
	}
	mustPut(t, s, pcRecord("usager", "a1", A, 1), pcRecord("usager", "b1", B, 2), pcRecord("service", "g1", "", 3))
	mustPut(t, s, pcRecord("usager", "a2", A, 4), pcTombstone("usager", "b1", B), pcRecord("usager", "a1", A, 5))

	uuids := func(page domain.EncodedPage) []string {
		changes, err := checkPage(page, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range changes {
			out = append(out, fmt.Sprintf("%s@%d", c.UUID, c.Version))
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		site   string
		cursor int64
		limit  int
		want   []string
		more   bool
		cached bool
	}{
		{"site A from 0", A, 0, 10, []string{"g1@3", "a2@4", "a1@6"}, false, false},
		{"site A from the start", A, 1, 10, []string{"g1@3", "a2@4", "a1@6"}, false, true},
		{"site A, a page of 2", A, 1, 2, []string{"g1@3", "a2@4"}, true, true},
		{"site A after the first state of a1", A, 2, 10, []string{"g1@3", "a2@4", "a1@6"}, false, true},
		{"site B: its tombstone", B, 1, 10, []string{"g1@3", "b1@5"}, false, true},
		{"unknown site: the global records", "pas-de-site", 1, 10, []string{"g1@3"}, false, true},
		{"no site: the global records once", "", 1, 10, []string{"g1@3"}, false, true},
		{"up to date", A, 6, 10, nil, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cursor := tt.cursor
			got, err := s.PullEncoded(ctx, tt.site, cursor, 0, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sqliteOnly(s).PullEncoded(ctx, tt.site, cursor, 0, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if g := uuids(got); fmt.Sprint(g) != fmt.Sprint(tt.want) || got.More != tt.more {
				t.Errorf("page %v, More %v; want %v, %v", g, got.More, tt.want, tt.more)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("page %s; SQLite gives %s", got.Changes, want.Changes)
			}
			floor, _, _ := cacheState(s.cache)
			if cached := cursor > 0 && cursor >= floor; cached != tt.cached {
				t.Errorf("served from the cache: %v, want %v (floor %d)", cached, tt.cached, floor)
			}
		})
	}
}

// TestPullCache_OtherProcess has a second store on the same file write (another process: the
// CLI, another server): the first store's next pull sees it, from its cache, with no hook.
func TestPullCache_OtherProcess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "server.db")
	first, err := OpenServer(path, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	other, err := OpenServer(path, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	A := pcSite(t, first, "EDAS A")
	mustPut(t, first, pcRecord("usager", "a1", A, 1), pcRecord("usager", "a2", A, 2))
	d := newPCDesk(A)
	drain(t, first, d, 10) // from 0: SQLite
	checkHolds(t, first, d, "the desk")

	for _, tt := range []struct {
		name   string
		writer *ServerDB
		recs   []domain.SyncRecord
	}{
		{"a new record", other, []domain.SyncRecord{pcRecord("usager", "a3", A, 3)}},
		{"an update and a delete", other, []domain.SyncRecord{pcRecord("usager", "a1", A, 4), pcTombstone("usager", "a2", A)}},
		{"the directory", other, []domain.SyncRecord{pcRecord("service", "g1", "", 5)}},
		{"its own write", first, []domain.SyncRecord{pcRecord("usager", "a4", A, 6)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mustPut(t, tt.writer, tt.recs...)
			floor, _, _ := cacheState(first.cache)
			if d.cursor < floor {
				t.Fatalf("the desk's cursor %d is below the cache's floor %d: not served by the cache", d.cursor, floor)
			}
			drain(t, first, d, 1)
			checkHolds(t, first, d, "the desk")
			v, err := other.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, upTo, _ := cacheState(first.cache); upTo != v || d.cursor != v {
				t.Errorf("cache at %d, desk at %d; want both at the version %d", upTo, d.cursor, v)
			}
		})
	}

	t.Run("housekeeping of the other", func(t *testing.T) {
		old := d.cursor
		mustPut(t, other, pcTombstone("usager", "a3", A))
		drain(t, first, d, 10)
		v, err := other.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.DropTombstones(ctx, v+1); err != nil {
			t.Fatal(err)
		}
		if _, err := first.PullEncoded(ctx, A, old, 0, 10); domain.ErrorCode(err) != domain.ERESYNC {
			t.Errorf("a cursor below the other's tombstone floor: %v, want ERESYNC", err)
		}
		drain(t, first, d, 10)
		checkHolds(t, first, d, "the desk")
	})
}

// TestPullCache_Bounds lowers each bound of the cache: its floor rises, desks whose cursor fell
// below it are served by SQLite and still get everything, and the others by the cache.
func TestPullCache_Bounds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		tune  func(c *pullCache)
		every int // the desk that keeps up pulls after every so many pushes
		check func(t *testing.T, c *pullCache)
	}{
		{"bytes", func(c *pullCache) { c.maxBytes = 4 << 10 }, 1, func(t *testing.T, c *pullCache) {
			c.mu.RLock()
			defer c.mu.RUnlock()
			if c.bytes > c.maxBytes {
				t.Errorf("the cache holds %d bytes, over its bound %d", c.bytes, c.maxBytes)
			}
		}},
		// 30 versions between two catch-ups: each is a restart.
		{"catch-up", func(c *pullCache) { c.maxCatchUp = 20 }, 10, nil},
		{"age", nil, 1, nil}, // the clock moves past the age below
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := &testClock{t: t0}
			s := openServerTest(t, ServerOptions{Now: clock.Now})
			if tt.tune != nil {
				tt.tune(s.cache)
			}
			A, B := pcSite(t, s, "EDAS A"), pcSite(t, s, "EDAS B")
			mustPut(t, s, pcRecord("usager", "a0", A, 0))
			late, early := newPCDesk(A), newPCDesk(B)
			drain(t, s, late, 10)
			drain(t, s, early, 10)
			start := late.cursor

			// 60 versions: every desk but one keeps up; the late one stays at start.
			for i := range 20 {
				mustPut(t, s, pcRecord("usager", fmt.Sprintf("a%d", i), A, i), pcRecord("usager", fmt.Sprintf("b%d", i), B, i),
					pcRecord("service", fmt.Sprintf("g%d", i%5), "", i))
				if (i+1)%tt.every == 0 {
					drain(t, s, early, 7)
				}
			}
			if tt.name == "age" {
				clock.Advance(pullCacheMaxAge + time.Minute)
				if _, err := s.PullEncoded(ctx, B, early.cursor, 0, 10); err != nil { // no write: the age is checked at a pull
					t.Fatal(err)
				}
			}
			floor, upTo, entries := cacheState(s.cache)
			if floor <= start {
				t.Fatalf("the cache's floor %d is still at or below the late desk's cursor %d", floor, start)
			}
			if tt.name != "bytes" && (floor != upTo || entries != 0) {
				t.Errorf("cache (%d, %d] with %d entries, want it empty at the version", floor, upTo, entries)
			}
			if tt.check != nil {
				tt.check(t, s.cache)
			}
			drain(t, s, late, 3)
			checkHolds(t, s, late, "the late desk")
			checkHolds(t, s, early, "the desk that kept up")

			// Both now pull from the cache again.
			mustPut(t, s, pcRecord("usager", "a-new", A, 100), pcRecord("usager", "b-new", B, 100))
			for _, d := range []*pcDesk{late, early} {
				if floor, _, _ := cacheState(s.cache); d.cursor < floor {
					t.Errorf("a desk at %d is below the floor %d after it pulled through", d.cursor, floor)
				}
				drain(t, s, d, 3)
				checkHolds(t, s, d, "a desk")
			}
		})
	}
}

// TestPullCache_Age checks when the age bound drops entries: not before 7/8 of the age after
// their catch-up, and by the age.
func TestPullCache_Age(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &testClock{t: t0}
	s := openServerTest(t, ServerOptions{Now: clock.Now})
	A := pcSite(t, s, "EDAS A")
	mustPut(t, s, pcRecord("usager", "seed", A, 0)) // so that the desk's cursor is not 0
	d := newPCDesk(A)
	drain(t, s, d, 10)
	step := pullCacheMaxAge / 16
	var cursors []int64
	for i := range 8 { // a write and a catch-up every 1/16 of the age, over half of it
		mustPut(t, s, pcRecord("usager", fmt.Sprintf("a%d", i), A, i))
		cursors = append(cursors, d.cursor)
		drain(t, s, d, 10)
		clock.Advance(step)
	}
	// Now at 8/16 of the age after the first catch-up.
	for _, tt := range []struct {
		at      time.Duration // since the first catch-up
		minKept int           // the oldest catch-up whose cursor must still be served
	}{
		{pullCacheMaxAge * 7 / 8, 0},
		{pullCacheMaxAge + step, 2},
		{pullCacheMaxAge * 3 / 2, 8},
	} {
		clock.mu.Lock()
		clock.t = t0.Add(tt.at)
		clock.mu.Unlock()
		if _, err := s.PullEncoded(ctx, A, d.cursor, 0, 10); err != nil {
			t.Fatal(err)
		}
		floor, _, _ := cacheState(s.cache)
		for i, c := range cursors {
			if i >= tt.minKept && c < floor {
				t.Errorf("at %v: the cursor of catch-up %d (%d) is below the floor %d: dropped too early", tt.at, i, c, floor)
			}
		}
		if tt.minKept > 0 && cursors[tt.minKept-1] >= floor {
			t.Errorf("at %v: catch-up %d (cursor %d) is still above the floor %d: kept over the age", tt.at, tt.minKept-1, cursors[tt.minKept-1], floor)
		}
	}
}

// TestPullCache_Compact writes one record again and again: its dead entries are compacted away
// and pages still hold it once, at its last version.
func TestPullCache_Compact(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	s.cache.compactMin = 8
	A := pcSite(t, s, "EDAS A")
	mustPut(t, s, pcRecord("usager", "stable", A, 0))
	d := newPCDesk(A)
	drain(t, s, d, 10)
	from, base := d.cursor, maps.Clone(d.held)
	for i := range 200 {
		mustPut(t, s, pcRecord("usager", "busy", A, i), pcRecord("service", "g", "", i))
		if i%10 == 0 {
			drain(t, s, d, 1) // catch-ups along the way, as pulls make them
		}
	}
	drain(t, s, d, 1)
	checkHolds(t, s, d, "the desk")
	if _, _, entries := cacheState(s.cache); entries > 2*2+s.cache.compactMin*2 {
		t.Errorf("%d entries in the cache for the 2 records written since it started", entries)
	}
	late := newPCDesk(A)
	late.cursor, late.held = from, base
	if n := drain(t, s, late, 1); n != 2 {
		t.Errorf("pulled in %d pages of 1, want 2: one per record written since", n)
	}
	checkHolds(t, s, late, "the late desk")
}

// TestPullCache_PullWhilePushing has desks pull through the cache while writers push, as a sync
// wave does, with a default cache and with tiny bounds: every desk ends with exactly its scope.
func TestPullCache_PullWhilePushing(t *testing.T) {
	t.Parallel()
	writers, txs, size := 4, 30, 8
	if raceEnabled {
		txs = 10
	}
	for _, tt := range []struct {
		name string
		tune func(c *pullCache)
	}{
		{"default", nil},
		{"tiny", func(c *pullCache) { c.maxBytes, c.maxCatchUp, c.compactMin = 3<<10, 30, 4 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := openServerTest(t, ServerOptions{})
			if tt.tune != nil {
				tt.tune(s.cache)
			}
			sites := []string{pcSite(t, s, "EDAS A"), pcSite(t, s, "EDAS B"), ""}
			mustPut(t, s, pcRecord("usager", "seed", sites[0], 0))

			desks := []*pcDesk{newPCDesk(sites[0]), newPCDesk(sites[0]), newPCDesk(sites[1])}
			for _, d := range desks {
				drain(t, s, d, 50) // from 0, by SQLite: the desks then follow the cache
			}

			var done atomic.Bool
			var mu sync.Mutex
			var errs []error
			fail := func(err error) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			var writersWG sync.WaitGroup
			for w := range writers {
				site := sites[w%len(sites)]
				writersWG.Go(func() {
					for i := range txs {
						var recs []domain.SyncRecord
						for j := range size {
							// Half new records, half updates of a few: entries die as they are pulled.
							uuid := fmt.Sprintf("w%d-t%d-r%d", w, i, j)
							if j%2 == 0 {
								uuid = fmt.Sprintf("w%d-hot%d", w, j%3)
							}
							if i%7 == 3 && j == 1 {
								recs = append(recs, pcTombstone("usager", fmt.Sprintf("w%d-hot0", w), site))
								continue
							}
							recs = append(recs, pcRecord("usager", uuid, site, i*size+j))
						}
						if err := pcPut(s, recs...); err != nil {
							fail(err)
							return
						}
					}
				})
			}
			var desksWG sync.WaitGroup
			for di, d := range desks {
				desksWG.Go(func() {
					follow := func() bool {
						page, err := s.PullEncoded(ctx, d.site, d.cursor, d.since, 3+di)
						if err != nil {
							fail(err)
							return false
						}
						changes, err := checkPage(page, d.cursor)
						if err == nil {
							err = d.apply(page, changes)
						}
						if err != nil {
							fail(fmt.Errorf("desk %d: %w", di, err))
							return false
						}
						return page.More
					}
					for !done.Load() {
						follow()
					}
					for follow() {
					}
				})
			}
			writersWG.Wait()
			done.Store(true)
			desksWG.Wait()
			for _, err := range errs {
				t.Error(err)
			}
			for di, d := range desks {
				checkHolds(t, s, d, fmt.Sprintf("desk %d", di))
			}
		})
	}
}

// TestPullCache_TailQueryPlan checks that the catch-up reads a range of the version index, not
// the table: its cost follows the writes since the last catch-up, not the store's size.
func TestPullCache_TailQueryPlan(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	plan := strings.Split(queryPlan(t, s, pullTailSQL, 1, 2), "\n")
	if len(plan) != 1 || !strings.Contains(plan[0], "USING INDEX") || !strings.Contains(plan[0], "version>?") ||
		strings.Contains(plan[0], "TEMP B-TREE") {
		t.Errorf("plan %q, want one search of the version index in its order", plan)
	}
}
