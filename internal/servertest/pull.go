package servertest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func testPullScope(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	A, B := f.siteA.ID, f.siteB.ID
	put(t, f.st,
		record("usager", "a1", A, hlc(1, "da"), "display_name", `"M. D."`),
		record("usager", "b1", B, hlc(1, "db"), "display_name", `"Mme B."`),
		record("service", "g1", "", hlc(1, "srv"), "data", `{}`),
		record("interview", "a2", A, hlc(2, "da"), "date", `"2026-03-01"`),
		record("interview", "b2", B, hlc(2, "db"), "date", `"2026-03-02"`),
		record("grid", "g2", "", hlc(2, "srv"), "content", `{}`),
	)
	put(t, f.st, tombstone("usager", "b1", B, hlc(3, "db")))

	for _, tt := range []struct {
		name, site string
		want       []string
	}{
		{"site A", A, []string{"a1", "g1", "a2", "g2"}},
		{"site B", B, []string{"g1", "b2", "g2", "b1"}},
		{"unknown site", "no-such-site", []string{"g1", "g2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Whole, and one record per page: the scope holds on every page.
			for _, limit := range []int{100, 1} {
				changes, cursor := pullAll(t, f.st, tt.site, 0, limit)
				if got := uuids(changes); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("limit %d: pulled %v, want %v", limit, got, tt.want)
				}
				checkVersionOrder(t, changes, 0, cursor)
				for _, c := range changes {
					if c.Site != "" && c.Site != tt.site {
						t.Errorf("site %s received %s of site %s", tt.site, c.UUID, c.Site)
					}
				}
			}
		})
	}

	// Each change is the record's full state.
	res := pull(t, f.st, A, 0, 1)
	want := record("usager", "a1", A, hlc(1, "da"), "display_name", `"M. D."`)
	want.Version = 1
	checkRecord(t, res.Changes[0], want)
	res = pull(t, f.st, B, 0, 100)
	last := res.Changes[len(res.Changes)-1]
	checkRecord(t, last, domain.SyncRecord{Kind: "usager", UUID: "b1", Site: B, Version: 7, Deleted: true, DeletedAt: hlc(3, "db")})
}

func testPullPaging(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	A, B := f.siteA.ID, f.siteB.ID
	var recs []domain.SyncRecord
	var wantA []string
	for i := range 25 {
		a := fmt.Sprintf("a%02d", i)
		wantA = append(wantA, a)
		recs = append(recs, record("usager", a, A, hlc(i, "da"), "n", fmt.Sprint(i)), record("usager", fmt.Sprintf("b%02d", i), B, hlc(i, "db"), "n", fmt.Sprint(i)))
	}
	put(t, f.st, recs...)

	t.Run("pages", func(t *testing.T) {
		var got []string
		var cursor int64
		for i, want := range []struct {
			n    int
			more bool
		}{{10, true}, {10, true}, {5, false}} {
			res := pull(t, f.st, A, cursor, 10)
			if len(res.Changes) != want.n || res.More != want.more {
				t.Fatalf("page %d: %d changes, More %v; want %d, %v", i, len(res.Changes), res.More, want.n, want.more)
			}
			checkVersionOrder(t, res.Changes, cursor, res.Cursor)
			if res.More && res.Cursor != res.Changes[len(res.Changes)-1].Version {
				t.Errorf("page %d: Cursor = %d, want the last version returned, %d", i, res.Cursor, res.Changes[len(res.Changes)-1].Version)
			}
			got = append(got, uuids(res.Changes)...)
			cursor = res.Cursor
		}
		if !reflect.DeepEqual(got, wantA) {
			t.Errorf("pages hold %v, want %v", got, wantA)
		}
	})

	for _, tt := range []struct {
		limit int
		n     int
		more  bool
	}{{24, 24, true}, {25, 25, false}, {26, 25, false}, {1000, 25, false}} {
		t.Run(fmt.Sprintf("limit %d", tt.limit), func(t *testing.T) {
			res := pull(t, f.st, A, 0, tt.limit)
			if len(res.Changes) != tt.n || res.More != tt.more {
				t.Errorf("%d changes, More %v; want %d, %v", len(res.Changes), res.More, tt.n, tt.more)
			}
		})
	}

	t.Run("latest state only", func(t *testing.T) {
		first := pull(t, f.st, A, 0, 10)
		// a03 was on the first page; it changes twice before the desk pulls the rest.
		put(t, f.st, record("usager", "a03", A, hlc(100, "da"), "n", `"second"`))
		latest := record("usager", "a03", A, hlc(101, "da"), "n", `"third"`)
		latest.Version = put(t, f.st, latest)[0]

		rest, _ := pullAll(t, f.st, A, first.Cursor, 4)
		want := append(slices.Clone(wantA[10:]), "a03")
		if got := uuids(rest); !reflect.DeepEqual(got, want) {
			t.Errorf("after the changes, pulled %v, want %v", got, want)
		}
		checkRecord(t, rest[len(rest)-1], latest)

		// From 0, a03 comes once, as it is now.
		all, _ := pullAll(t, f.st, A, 0, 7)
		want = append(slices.Clone(wantA[:3]), wantA[4:]...)
		want = append(want, "a03")
		if got := uuids(all); !reflect.DeepEqual(got, want) {
			t.Errorf("from 0, pulled %v, want %v", got, want)
		}
	})
}

func testPullCursor(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	A, B := f.siteA.ID, f.siteB.ID

	res := pull(t, f.st, A, 0, 10)
	if len(res.Changes) != 0 || res.More || res.Cursor != 0 {
		t.Fatalf("Pull of an empty store = %+v, want no change, cursor 0", res)
	}

	// Site A writes versions 1–3, then only site B writes, up to 10.
	put(t, f.st, record("usager", "a1", A, hlc(1, "da"), "n", `1`), record("usager", "a2", A, hlc(1, "da"), "n", `2`),
		record("usager", "a3", A, hlc(1, "da"), "n", `3`))
	for i := range 7 {
		put(t, f.st, record("usager", fmt.Sprintf("b%d", i), B, hlc(i, "db"), "n", `1`))
	}
	v := version(t, f.st)
	if v != 10 {
		t.Fatalf("Version = %d, want 10", v)
	}

	for _, tt := range []struct {
		name   string
		cursor int64
		limit  int
		want   []string
		more   bool
		next   int64 // the Cursor wanted
	}{
		// The last page moves the cursor to the server's version: a quiet site's desk keeps up
		// with the tombstone floor, and its next pull skips the other sites' versions.
		{"whole scope", 0, 100, []string{"a1", "a2", "a3"}, false, 10},
		{"middle", 1, 100, []string{"a2", "a3"}, false, 10},
		{"first page", 0, 2, []string{"a1", "a2"}, true, 2},
		{"nothing new", 3, 100, []string{}, false, 10},
		{"up to date", 10, 100, []string{}, false, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := pull(t, f.st, A, tt.cursor, tt.limit)
			if got := uuids(res.Changes); !reflect.DeepEqual(got, tt.want) || res.More != tt.more || res.Cursor != tt.next {
				t.Errorf("Pull(A, %d, %d) = %v, More %v, Cursor %d; want %v, %v, %d",
					tt.cursor, tt.limit, got, res.More, res.Cursor, tt.want, tt.more, tt.next)
			}
		})
	}

	t.Run("new write after the cursor", func(t *testing.T) {
		g := record("service", "g1", "", hlc(20, "srv"), "data", `{}`)
		g.Version = put(t, f.st, g)[0]
		res := pull(t, f.st, A, v, 100)
		if len(res.Changes) != 1 || res.Cursor != g.Version {
			t.Fatalf("Pull(A, %d) = %v, Cursor %d; want g1, Cursor %d", v, uuids(res.Changes), res.Cursor, g.Version)
		}
		checkRecord(t, res.Changes[0], g)
	})

	for _, tt := range []struct {
		name   string
		cursor int64
		limit  int
		code   string
	}{
		{"negative cursor", -1, 10, domain.EINVALID},
		{"limit 0", 0, 0, domain.EINVALID},
		{"negative limit", 0, -5, domain.EINVALID},
		// A cursor the server never gave: it lost writes the desk had seen (a restored backup).
		{"cursor ahead of the server", version(t, f.st) + 1, 10, domain.ERESYNC},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.st.Pull(ctx, A, tt.cursor, 0, tt.limit)
			wantCode(t, err, tt.code)
		})
	}
}

// testPullWhilePushing has desks pull while others push: a desk must miss nothing, which holds
// only if versions become visible in their order (a version committed after a higher one would
// be skipped by a desk whose cursor passed it).
func testPullWhilePushing(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	sites := []string{f.siteA.ID, f.siteB.ID, ""}

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
				err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
					for j := range size {
						rec := record("usager", fmt.Sprintf("w%d-t%d-r%d", w, i, j), site, hlc(i, "d"), "n", fmt.Sprint(j))
						if _, err := tx.PutRecord(ctx, rec); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					fail(err)
					return
				}
			}
		})
	}

	// One following desk per site: it pulls small pages as long as the writers write, then
	// catches up.
	got := make([]map[string]int64, 2)
	var desksWG sync.WaitGroup
	for d := range got {
		got[d] = map[string]int64{}
		desksWG.Go(func() {
			var cursor int64
			follow := func() bool {
				res, err := f.st.Pull(ctx, sites[d], cursor, 0, 7)
				if err != nil {
					fail(err)
					return false
				}
				for _, c := range res.Changes {
					if c.Version <= cursor {
						fail(fmt.Errorf("desk %d: change %s at version %d, not above its cursor %d", d, c.UUID, c.Version, cursor))
					}
					got[d][c.UUID] = c.Version
				}
				cursor = res.Cursor
				return res.More
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

	for d, site := range sites[:2] {
		want, _ := pullAll(t, f.st, site, 0, 1000)
		if len(want) == 0 {
			t.Fatalf("site %d: nothing stored", d)
		}
		if len(got[d]) != len(want) {
			t.Errorf("desk of site %d holds %d records, the scope has %d", d, len(got[d]), len(want))
		}
		for _, rec := range want {
			if v, ok := got[d][rec.UUID]; !ok || v != rec.Version {
				t.Errorf("desk of site %d: %s at version %d (held %v), want version %d", d, rec.UUID, v, ok, rec.Version)
			}
		}
	}
}

func testTombstones(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	A, B := f.siteA.ID, f.siteB.ID
	st := f.st

	var live []domain.SyncRecord
	for i := 1; i <= 6; i++ {
		live = append(live, record("usager", fmt.Sprintf("r%d", i), A, hlc(i, "da"), "n", fmt.Sprint(i)))
	}
	live = append(live, record("service", "g1", "", hlc(0, "srv"), "data", `{}`), record("usager", "b1", B, hlc(0, "db"), "n", `1`))
	put(t, st, live...)
	put(t, st, tombstone("usager", "r1", A, hlc(10, "da")), tombstone("usager", "r2", A, hlc(11, "da")),
		tombstone("service", "g1", "", hlc(12, "srv")), tombstone("usager", "b1", B, hlc(13, "db")))
	drop := put(t, st, record("usager", "r3", A, hlc(14, "da"), "n", `"three"`))[0]
	put(t, st, tombstone("usager", "r4", A, hlc(15, "da")))
	v := version(t, st)

	if err := st.DropTombstones(ctx, drop); err != nil {
		t.Fatal(err)
	}
	if got := version(t, st); got != v {
		t.Errorf("Version = %d after DropTombstones, want %d", got, v)
	}

	t.Run("records", func(t *testing.T) {
		for _, tt := range []struct {
			kind, uuid     string
			found, deleted bool
		}{
			{"usager", "r1", false, false},
			{"usager", "r2", false, false},
			{"service", "g1", false, false},
			{"usager", "b1", false, false},
			{"usager", "r4", true, true}, // deleted after the floor: kept
			{"usager", "r3", true, false},
			{"usager", "r5", true, false}, // live records stay whatever their version
			{"usager", "r6", true, false},
		} {
			rec, found := get(t, st, tt.kind, tt.uuid)
			if found != tt.found || rec.Deleted != tt.deleted {
				t.Errorf("%s: found %v, deleted %v; want %v, %v", tt.uuid, found, rec.Deleted, tt.found, tt.deleted)
			}
		}
	})

	t.Run("cursors", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			site   string
			cursor int64
			code   string
			want   []string
		}{
			{"below the floor", A, drop - 1, domain.ERESYNC, nil},
			{"below the floor, other site", B, drop - 1, domain.ERESYNC, nil},
			{"far below the floor", A, 1, domain.ERESYNC, nil},
			{"at the floor", A, drop, "", []string{"r4"}},
			{"full resync", A, 0, "", []string{"r5", "r6", "r3", "r4"}},
			{"full resync, other site", B, 0, "", []string{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res, err := st.Pull(ctx, tt.site, tt.cursor, 0, 100)
				wantCode(t, err, tt.code)
				if tt.code == "" {
					if got := uuids(res.Changes); !reflect.DeepEqual(got, tt.want) {
						t.Errorf("pulled %v, want %v", got, tt.want)
					}
				}
			})
		}
	})

	// A resync from 0 must end on a cursor the next pull accepts, whatever the site (B has no
	// record left): otherwise a desk would resync forever.
	resyncEnds := func(t *testing.T) {
		t.Helper()
		for _, site := range []string{A, B} {
			_, cursor := pullAll(t, st, site, 0, 1000)
			if res, err := st.Pull(ctx, site, cursor, 0, 100); err != nil || len(res.Changes) != 0 {
				t.Errorf("site %s: after a full resync, Pull(%d) = %v, %v; want nothing new", site, cursor, res.Changes, err)
			}
		}
	}
	t.Run("resync ends", resyncEnds)

	t.Run("paged resync ends", func(t *testing.T) {
		// The pages of a resync from 0 have cursors below the floor; their Since (the version
		// the pull began at) is above it, so a new desk whose scope needs many pages gets them
		// all once tombstones were dropped.
		changes, cursor := pullAll(t, st, A, 0, 1)
		if got := uuids(changes); !reflect.DeepEqual(got, []string{"r5", "r6", "r3", "r4"}) {
			t.Errorf("paged resync pulled %v, want r5 r6 r3 r4", got)
		}
		if _, err := st.Pull(ctx, A, cursor, 0, 100); err != nil {
			t.Errorf("after a paged resync, Pull(%d): %v", cursor, err)
		}
		first := pull(t, st, A, 0, 1)
		if !first.More || first.Cursor >= drop || first.Since != v {
			t.Fatalf("first page of a resync = cursor %d, more %v, since %d; want a cursor below the floor %d, more, since %d",
				first.Cursor, first.More, first.Since, drop, v)
		}
		// Without its since, the cursor is a stale desk's: refused.
		_, err := st.Pull(ctx, A, first.Cursor, 0, 1)
		wantCode(t, err, domain.ERESYNC)
		// A since below the floor is a pull begun before tombstones it may lack were dropped:
		// a desk whose resync was cut long ago starts again.
		_, err = st.Pull(ctx, A, first.Cursor, drop-1, 1)
		wantCode(t, err, domain.ERESYNC)
		// A since ahead of the server's version: the server lost what the desk had seen.
		_, err = st.Pull(ctx, A, first.Cursor, v+1, 1)
		wantCode(t, err, domain.ERESYNC)
		_, err = st.Pull(ctx, A, first.Cursor, -1, 1)
		wantCode(t, err, domain.EINVALID)
	})

	t.Run("floor never goes down", func(t *testing.T) {
		if err := st.DropTombstones(ctx, 2); err != nil {
			t.Fatal(err)
		}
		_, err := st.Pull(ctx, A, drop-1, 0, 100)
		wantCode(t, err, domain.ERESYNC)
	})

	t.Run("beyond the version", func(t *testing.T) {
		if err := st.DropTombstones(ctx, v+1000); err != nil {
			t.Fatal(err)
		}
		if _, found := get(t, st, "usager", "r4"); found {
			t.Error("the last tombstone is still there")
		}
		// A desk up to date stays so.
		if _, err := st.Pull(ctx, A, v, 0, 100); err != nil {
			t.Errorf("Pull at the server's version after dropping every tombstone: %v", err)
		}
		resyncEnds(t)
		// Later writes and their tombstones are kept and pulled.
		put(t, st, tombstone("usager", "r5", A, hlc(30, "da")))
		res := pull(t, st, A, v, 100)
		if got := uuids(res.Changes); !reflect.DeepEqual(got, []string{"r5"}) || !res.Changes[0].Deleted {
			t.Errorf("after a new delete, pulled %v, want the tombstone of r5", got)
		}
	})
}
