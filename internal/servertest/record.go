package servertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func testInTx(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	ctx := context.Background()

	// writeAll writes one of everything a transaction can write.
	writeAll := func(f *fixture, tx domain.ServerTx) error {
		if _, err := tx.PutRecord(ctx, record("usager", "u1", f.siteA.ID, hlc(1, "d"), "display_name", `"M. D."`)); err != nil {
			return err
		}
		if _, err := tx.PutRecord(ctx, record("service", "s1", "", hlc(1, "d"), "data", `{"nom":"Jardin"}`)); err != nil {
			return err
		}
		if err := tx.SetLastMutation(ctx, f.devA.ID, 7); err != nil {
			return err
		}
		return tx.AddSuggestion(ctx, domain.CuratorSuggestion{UUID: "sg1", SiteID: f.siteA.ID, DeviceID: f.devA.ID,
			Type: "proposition", Service: json.RawMessage(`{"nom":"Repair café"}`), Message: "Nouveau", CreatedAt: t0})
	}
	// checkNothing fails unless nothing writeAll writes persisted.
	checkNothing := func(t *testing.T, f *fixture, v0 int64) {
		t.Helper()
		if v := version(t, f.st); v != v0 {
			t.Errorf("Version = %d after a rollback, want %d", v, v0)
		}
		if _, found := get(t, f.st, "usager", "u1"); found {
			t.Error("a record of the rolled-back transaction persists")
		}
		if _, found := get(t, f.st, "service", "s1"); found {
			t.Error("a global record of the rolled-back transaction persists")
		}
		if res := pull(t, f.st, f.siteA.ID, v0, 100); len(res.Changes) != 0 {
			t.Errorf("Pull after a rollback = %v, want nothing", uuids(res.Changes))
		}
		if dev, err := f.st.DeviceByToken(ctx, "token-poste-a"); err != nil || dev.LastMutation != 0 {
			t.Errorf("device after a rollback = %+v, %v; want LastMutation 0", dev, err)
		}
		if sgs, err := f.st.Suggestions(ctx, ""); err != nil || len(sgs) != 0 {
			t.Errorf("Suggestions after a rollback = %+v, %v; want none", sgs, err)
		}
	}
	// checkUsable fails unless the store commits a new transaction, with a version above v0.
	checkUsable := func(t *testing.T, f *fixture, v0 int64) {
		t.Helper()
		vs := put(t, f.st, record("usager", "u2", f.siteA.ID, hlc(2, "d"), "display_name", `"Mme L."`))
		if vs[0] <= v0 {
			t.Errorf("after a rollback, a commit got version %d, want above %d", vs[0], v0)
		}
	}

	t.Run("commit", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, open)
		if err := f.st.InTx(ctx, func(tx domain.ServerTx) error { return writeAll(f, tx) }); err != nil {
			t.Fatal(err)
		}
		if v := version(t, f.st); v != 2 {
			t.Errorf("Version = %d after two records, want 2", v)
		}
		if _, found := get(t, f.st, "usager", "u1"); !found {
			t.Error("the record is not stored")
		}
		if dev, err := f.st.DeviceByToken(ctx, "token-poste-a"); err != nil || dev.LastMutation != 7 {
			t.Errorf("device = %+v, %v; want LastMutation 7", dev, err)
		}
		if sgs, err := f.st.Suggestions(ctx, ""); err != nil || len(sgs) != 1 {
			t.Errorf("Suggestions = %+v, %v; want one", sgs, err)
		}
	})

	t.Run("rollback on error", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, open)
		put(t, f.st, record("grid", "g1", "", hlc(0, "srv"), "content", `{}`))
		v0 := version(t, f.st)
		sentinel := errors.New("the push failed half-way")
		err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
			if err := writeAll(f, tx); err != nil {
				return err
			}
			return fmt.Errorf("apply mutation 8: %w", sentinel)
		})
		if !errors.Is(err, sentinel) {
			t.Fatalf("InTx = %v, want fn's error", err)
		}
		checkNothing(t, f, v0)
		checkUsable(t, f, v0)
	})

	t.Run("domain error of fn", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, open)
		err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
			if err := writeAll(f, tx); err != nil {
				return err
			}
			return domain.Errorf(domain.EGAP, "Il manque des modifications.")
		})
		// The code reaches the caller, which maps it to HTTP 409.
		wantCode(t, err, domain.EGAP)
		checkNothing(t, f, 0)
	})

	t.Run("rollback on panic", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, open)
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recovered %v, want the panic of fn", r)
				}
			}()
			_ = f.st.InTx(ctx, func(tx domain.ServerTx) error {
				if err := writeAll(f, tx); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		checkNothing(t, f, 0)
		// The writer is free again.
		checkUsable(t, f, 0)
	})

	t.Run("failed step, committed others", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, open)
		// fn may carry on after a refused step (a push rejects a mutation and applies the next):
		// what it wrote commits, the refused step leaves nothing.
		err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
			if _, err := tx.PutRecord(ctx, record("usager", "u1", "no-such-site", hlc(1, "d"), "a", `1`)); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("PutRecord on an unknown site = %v, want not_found", err)
			}
			_, err := tx.PutRecord(ctx, record("usager", "u2", f.siteA.ID, hlc(1, "d"), "a", `1`))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, found := get(t, f.st, "usager", "u1"); found {
			t.Error("the refused record is stored")
		}
		if rec, found := get(t, f.st, "usager", "u2"); !found || rec.Version != version(t, f.st) {
			t.Errorf("the second record = %+v (found %v), want it at the server's version", rec, found)
		}
	})
}

func testRecord(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	A, B := f.siteA.ID, f.siteB.ID

	if _, found := get(t, f.st, "usager", "u1"); found {
		t.Fatal("a record never stored is found")
	}

	usager := record("usager", "u1", A, hlc(1, "d1"), "display_name", `"M. D."`, "commune", `"92040"`)
	usager.Fields["commune"] = domain.FieldValue{V: json.RawMessage(`"92040"`), HLC: hlc(2, "d2")}
	service := record("service", "s1", "", hlc(0, "srv"), "data", `{"nom":"Épicerie « solidaire »","thematiques":["a","b"],"n":1.5,"x":null}`)
	answer := record("answer", "i1:liens-auto", A, hlc(5, "d1"), "value", `{"number":2}`)
	answer.Conflicts = []domain.AnswerConflict{{Value: json.RawMessage(`{"number":4}`), HLC: hlc(4, "d2"), Device: "d2"}}
	empty := record("usager", "u-empty", A, "")
	// Same UUID, another kind: another record.
	sameUUID := record("interview", "u1", A, hlc(3, "d1"), "date", `"2026-03-01"`)

	recs := []domain.SyncRecord{usager, service, answer, empty, sameUUID}
	vs := put(t, f.st, recs...)
	for i := range recs {
		recs[i].Version = vs[i]
	}
	for _, want := range recs {
		t.Run("get "+want.Kind+" "+want.UUID, func(t *testing.T) {
			got, found := get(t, f.st, want.Kind, want.UUID)
			if !found {
				t.Fatal("not found")
			}
			checkRecord(t, got, want)
		})
	}

	t.Run("records at once", func(t *testing.T) {
		var got []domain.SyncRecord
		err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
			var err error
			got, err = tx.Records(ctx, []domain.RecordKey{
				{Kind: "usager", UUID: "u1"}, {Kind: "service", UUID: "s1"}, {Kind: "usager", UUID: "jamais-vu"},
				{Kind: "interview", UUID: "u1"}, {Kind: "answer", UUID: "i1:liens-auto"}, {Kind: "usager", UUID: "u1"},
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]domain.SyncRecord{}
		for _, r := range got {
			if _, dup := byKey[r.Kind+"/"+r.UUID]; dup {
				t.Errorf("%s/%s returned twice", r.Kind, r.UUID)
			}
			byKey[r.Kind+"/"+r.UUID] = r
		}
		if len(byKey) != 4 {
			t.Errorf("Records returned %d records, want the 4 the store holds: %v", len(byKey), uuids(got))
		}
		for _, want := range []domain.SyncRecord{recs[0], recs[1], recs[2], recs[4]} {
			if r, ok := byKey[want.Kind+"/"+want.UUID]; !ok {
				t.Errorf("%s/%s not returned", want.Kind, want.UUID)
			} else {
				checkRecord(t, r, want)
			}
		}
		err = f.st.InTx(ctx, func(tx domain.ServerTx) error {
			none, err := tx.Records(ctx, nil)
			if err == nil && len(none) != 0 {
				t.Errorf("Records(no key) = %v, want nothing", none)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("update replaces the state", func(t *testing.T) {
		next := record("usager", "u1", A, hlc(9, "d1"), "display_name", `"Monsieur D."`)
		next.Version = put(t, f.st, next)[0]
		if next.Version <= vs[len(vs)-1] {
			t.Errorf("update got version %d, want above %d", next.Version, vs[len(vs)-1])
		}
		got, _ := get(t, f.st, "usager", "u1")
		checkRecord(t, got, next)
		// The other kind with the same UUID is untouched.
		got, _ = get(t, f.st, "interview", "u1")
		checkRecord(t, got, recs[4])
	})

	t.Run("conflicts cleared", func(t *testing.T) {
		settled := record("answer", "i1:liens-auto", A, hlc(10, "d1"), "value", `{"number":3}`)
		settled.Version = put(t, f.st, settled)[0]
		got, _ := get(t, f.st, "answer", "i1:liens-auto")
		checkRecord(t, got, settled)
	})

	t.Run("tombstone keeps no field", func(t *testing.T) {
		del := tombstone("usager", "u1", A, hlc(11, "d2"))
		// Whatever the caller leaves in it: erased data must not stay on the server.
		del.Fields = usager.Fields
		del.Conflicts = answer.Conflicts
		v := put(t, f.st, del)[0]
		got, found := get(t, f.st, "usager", "u1")
		if !found {
			t.Fatal("a tombstone is not found")
		}
		checkRecord(t, got, domain.SyncRecord{Kind: "usager", UUID: "u1", Site: A, Version: v, Deleted: true, DeletedAt: hlc(11, "d2")})
	})

	t.Run("global tombstone", func(t *testing.T) {
		v := put(t, f.st, tombstone("service", "s1", "", hlc(12, "srv")))[0]
		got, _ := get(t, f.st, "service", "s1")
		checkRecord(t, got, domain.SyncRecord{Kind: "service", UUID: "s1", Version: v, Deleted: true, DeletedAt: hlc(12, "srv")})
		// A directory record deleted and imported again comes back.
		back := record("service", "s1", "", hlc(13, "srv"), "data", `{"nom":"Jardin"}`)
		back.Version = put(t, f.st, back)[0]
		got, _ = get(t, f.st, "service", "s1")
		checkRecord(t, got, back)
	})

	for _, tt := range []struct {
		name string
		rec  domain.SyncRecord
		code string
	}{
		{"no kind", record("", "u9", A, hlc(1, "d"), "a", `1`), domain.EINVALID},
		{"no uuid", record("usager", "", A, hlc(1, "d"), "a", `1`), domain.EINVALID},
		{"field not JSON", record("usager", "u9", A, hlc(1, "d"), "a", `{nope`), domain.EINVALID},
		{"unknown site", record("usager", "u9", "no-such-site", hlc(1, "d"), "a", `1`), domain.ENOTFOUND},
		{"another site's record", record("answer", "i1:liens-auto", B, hlc(20, "d"), "value", `1`), domain.ECONFLICT},
		{"a site's record made global", record("answer", "i1:liens-auto", "", hlc(20, "d"), "value", `1`), domain.ECONFLICT},
		{"a global record taken by a site", record("service", "s1", A, hlc(20, "d"), "data", `{}`), domain.ECONFLICT},
		{"another site's tombstone", tombstone("interview", "u1", B, hlc(20, "d")), domain.ECONFLICT},
	} {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			v0 := version(t, f.st)
			before, existed := get(t, f.st, tt.rec.Kind, tt.rec.UUID)
			err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
				_, err := tx.PutRecord(ctx, tt.rec)
				return err
			})
			wantCode(t, err, tt.code)
			if v := version(t, f.st); v != v0 {
				t.Errorf("Version = %d after a refused write, want %d", v, v0)
			}
			after, found := get(t, f.st, tt.rec.Kind, tt.rec.UUID)
			if found != existed {
				t.Fatalf("found = %v after a refused write, want %v", found, existed)
			}
			if existed {
				checkRecord(t, after, before)
			}
		})
	}
}

func testVersions(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	if v := version(t, f.st); v != 0 {
		t.Fatalf("Version of an empty store = %d, want 0", v)
	}
	var all []int64
	for i := range 5 {
		var recs []domain.SyncRecord
		for j := range 3 {
			recs = append(recs, record("usager", fmt.Sprintf("u%d", j), f.siteA.ID, hlc(i, "d"), "n", fmt.Sprint(i)))
		}
		recs = append(recs, record("service", "s", "", hlc(i, "srv"), "n", fmt.Sprint(i)))
		vs := put(t, f.st, recs...)
		all = append(all, vs...)
		if v := version(t, f.st); v != vs[len(vs)-1] {
			t.Fatalf("Version = %d after a commit whose last version is %d", v, vs[len(vs)-1])
		}
	}
	for i := 1; i < len(all); i++ {
		if all[i] <= all[i-1] {
			t.Fatalf("versions %v do not strictly increase", all)
		}
	}
	if all[0] < 1 {
		t.Errorf("first version %d, want at least 1 (0 is the cursor of a desk that saw nothing)", all[0])
	}
	// Each record holds the version of its last write.
	if rec, _ := get(t, f.st, "service", "s"); rec.Version != all[len(all)-1] {
		t.Errorf("record version = %d, want %d", rec.Version, all[len(all)-1])
	}
	if rec, _ := get(t, f.st, "usager", "u0"); rec.Version != all[len(all)-4] {
		t.Errorf("record version = %d, want %d", rec.Version, all[len(all)-4])
	}
}

// concurrency is the shape of the concurrent tests: writers pushing txs transactions of size
// records each.
const (
	writers = 8
	txs     = 10
	size    = 10
)

func testVersionsConcurrent(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()

	var mu sync.Mutex
	seen := map[int64]string{} // version → uuid
	var errs []error
	var wg sync.WaitGroup
	for w := range writers {
		site := f.siteA.ID
		if w%2 == 1 {
			site = f.siteB.ID
		}
		wg.Go(func() {
			var last int64
			for i := range txs {
				var got []int64
				err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
					got = got[:0]
					for j := range size {
						rec := record("usager", fmt.Sprintf("w%d-t%d-r%d", w, i, j), site, hlc(i, "d"), "n", fmt.Sprint(j))
						v, err := tx.PutRecord(ctx, rec)
						if err != nil {
							return err
						}
						got = append(got, v)
					}
					return nil
				})
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				for j, v := range got {
					// A later transaction of this writer commits after the earlier one, so its
					// versions are above.
					if v <= last {
						errs = append(errs, fmt.Errorf("writer %d: version %d after %d", w, v, last))
					}
					last = v
					if other, dup := seen[v]; dup {
						errs = append(errs, fmt.Errorf("version %d given to %s and to w%d-t%d-r%d", v, other, w, i, j))
					}
					seen[v] = fmt.Sprintf("w%d-t%d-r%d", w, i, j)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	total := writers * txs * size
	if len(seen) != total {
		t.Fatalf("%d versions for %d records", len(seen), total)
	}
	var maxV int64
	for v := range seen {
		maxV = max(maxV, v)
	}
	if v := version(t, f.st); v != maxV {
		t.Errorf("Version = %d, want the highest version given, %d", v, maxV)
	}
	// Each stored record holds the version its PutRecord returned.
	for _, site := range []string{f.siteA.ID, f.siteB.ID} {
		changes, _ := pullAll(t, f.st, site, 0, 1000)
		if len(changes) != total/2 {
			t.Errorf("site %s: %d records pulled, want %d", site, len(changes), total/2)
		}
		for _, c := range changes {
			if seen[c.Version] != c.UUID {
				t.Errorf("record %s has version %d, which PutRecord gave to %q", c.UUID, c.Version, seen[c.Version])
			}
		}
	}
}

// testInTxConcurrent runs transactions from many goroutines at once, as a crowd of desks pushing
// does: each must be all-or-nothing on its own, whatever the others do (a store may run them
// together, as the SQLite one does), and each must see everything committed before it.
func testInTxConcurrent(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	const calls = 60
	sentinel := errors.New("refused half-way")
	counter := func(tx domain.ServerTx) (int, error) {
		rec, found, err := tx.Record(ctx, "usager", "compteur")
		if err != nil || !found {
			return 0, err
		}
		var n int
		err = json.Unmarshal(rec.Fields["n"].V, &n)
		return n, err
	}
	var wg sync.WaitGroup
	outcomes := make([]string, calls) // "ok", "error" or "panic"
	for i := range calls {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					if r != "boom" {
						t.Errorf("call %d: recovered %v, want fn's panic", i, r)
					}
					outcomes[i] = "panic"
				}
			}()
			err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
				n, err := counter(tx)
				if err != nil {
					return err
				}
				// Every call writes, then some give up after their writes.
				if _, err := tx.PutRecord(ctx, record("usager", "compteur", f.siteA.ID, hlc(n+1, "d"), "n", fmt.Sprint(n+1))); err != nil {
					return err
				}
				if _, err := tx.PutRecord(ctx, record("usager", fmt.Sprintf("appel-%02d", i), f.siteA.ID, hlc(1, "d"), "n", fmt.Sprint(i))); err != nil {
					return err
				}
				if err := tx.SetLastMutation(ctx, f.devA.ID, int64(i)); err != nil {
					return err
				}
				switch i % 5 {
				case 1:
					return fmt.Errorf("call %d: %w", i, sentinel)
				case 3:
					panic("boom")
				}
				return nil
			})
			switch {
			case err == nil:
				outcomes[i] = "ok"
			case errors.Is(err, sentinel):
				outcomes[i] = "error"
			default:
				t.Errorf("call %d: InTx = %v", i, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	committed := 0
	for i, o := range outcomes {
		_, found := get(t, f.st, "usager", fmt.Sprintf("appel-%02d", i))
		if want := o == "ok"; found != want {
			t.Errorf("call %d (%s): its record stored = %v, want %v", i, o, found, want)
		}
		if o == "ok" {
			committed++
		}
	}
	// Each committed call read the counter its predecessors left and added one: a lost update
	// or a rolled-back call's write showing through would break the count.
	rec, found := get(t, f.st, "usager", "compteur")
	if !found || string(rec.Fields["n"].V) != fmt.Sprint(committed) {
		t.Errorf("counter = %s (found %v), want %d: one per committed call", rec.Fields["n"].V, found, committed)
	}
	if committed != calls-2*calls/5 {
		t.Errorf("%d calls committed, want %d", committed, calls-2*calls/5)
	}
	changes, _ := pullAll(t, f.st, f.siteA.ID, 0, 1000)
	var maxV int64
	for _, c := range changes {
		maxV = max(maxV, c.Version)
	}
	if v := version(t, f.st); v != maxV {
		t.Errorf("Version = %d, want the highest version stored, %d", v, maxV)
	}
	if dev, err := f.st.DeviceByToken(ctx, "token-poste-a"); err != nil {
		t.Fatal(err)
	} else if o := outcomes[dev.LastMutation]; o != "ok" {
		t.Errorf("LastMutation = %d, set by a call that ended with %s", dev.LastMutation, o)
	}
}
