// Package servertest is the contract test suite of domain.ServerStore, the central server's
// store: one suite run against every implementation (SQLite today, PostgreSQL perhaps tomorrow),
// so that they all keep the promises the sync protocol (docs/sync-protocol.md) rests on.
//
// An implementation's test calls Run with a function opening a fresh, empty store; its benchmarks
// call BenchPush100 and BenchPull500. The package is imported by tests only.
//
// Beyond the doc comments of domain.ServerStore, the suite holds implementations to these
// choices, so that the server behaves the same on any of them:
//   - times come back in UTC, to the millisecond;
//   - site names are unique (ECONFLICT) and not blank (EINVALID);
//   - TouchDevice, RevokeDevice, SetLastMutation and Device return ENOTFOUND for an unknown
//     device; revoking twice keeps the first time;
//   - InTx returns fn's error itself (its domain code intact) and persists nothing of it, nor
//     of fn's panic, whatever the transactions running at the same time do;
//   - a record never changes scope: PutRecord returns ECONFLICT for a record of another site
//     (or global), ENOTFOUND for an unknown site; a tombstone keeps no fields; Fields is never
//     nil;
//   - versions are unique and strictly increasing in commit order, so that a desk pulling while
//     others push misses nothing;
//   - Pull's Cursor is the last version returned when More is set, else the server's version;
//     a cursor below the tombstone floor or above the server's version gets ERESYNC;
//   - suggestions: an empty status means "nouvelle", Suggestions("") lists all, oldest first.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// Run runs the contract suite against the stores open returns. open is called once per subtest
// and must return a fresh, empty store that it closes when t ends (t.Cleanup); subtests run in
// parallel.
func Run(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) domain.ServerStore)
	}{
		{"Sites", testSites},
		{"Enrolment", testEnrolment},
		{"DeviceByToken", testDeviceByToken},
		{"RevokeDevice", testRevokeDevice},
		{"TouchDevice", testTouchDevice},
		{"Devices", testDevices},
		{"LastMutation", testLastMutation},
		{"InTx", testInTx},
		{"InTxConcurrent", testInTxConcurrent},
		{"Record", testRecord},
		{"Versions", testVersions},
		{"VersionsConcurrent", testVersionsConcurrent},
		{"PullScope", testPullScope},
		{"PullPaging", testPullPaging},
		{"PullCursor", testPullCursor},
		{"PullWhilePushing", testPullWhilePushing},
		{"PullEncoded", testPullEncoded},
		{"Tombstones", testTombstones},
		{"Suggestions", testSuggestions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open)
		})
	}
}

// t0 is the suite's reference time: not UTC and with nanoseconds, to show that stores normalise
// both.
var t0 = time.Date(2026, 3, 1, 10, 30, 0, 123456789, time.FixedZone("CET", 3600))

// stored is t as a store keeps it: UTC, to the millisecond.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// fixture is a store with two sites and a device in each.
type fixture struct {
	st         domain.ServerStore
	siteA      domain.Site
	siteB      domain.Site
	devA, devB domain.Device
}

func newFixture(t *testing.T, open func(t *testing.T) domain.ServerStore) *fixture {
	t.Helper()
	f := &fixture{st: open(t)}
	f.siteA = mustSite(t, f.st, "EDAS Issy-les-Moulineaux–Vanves")
	f.siteB = mustSite(t, f.st, "EDAS Nanterre")
	f.devA = mustEnrol(t, f.st, f.siteA.ID, "poste-a", t0)
	f.devB = mustEnrol(t, f.st, f.siteB.ID, "poste-b", t0.Add(time.Second))
	return f
}

func mustSite(t testing.TB, st domain.ServerStore, name string) domain.Site {
	t.Helper()
	site, err := st.AddSite(context.Background(), name)
	if err != nil {
		t.Fatalf("AddSite(%q): %v", name, err)
	}
	return site
}

// mustEnrol enrols a device named name on a site at now, with code and token hashes made from
// its name.
func mustEnrol(t testing.TB, st domain.ServerStore, siteID, name string, now time.Time) domain.Device {
	t.Helper()
	ctx := context.Background()
	if err := st.AddEnrolment(ctx, siteID, "code-"+name, now.Add(24*time.Hour)); err != nil {
		t.Fatalf("AddEnrolment: %v", err)
	}
	dev, err := st.Enrol(ctx, "code-"+name, "token-"+name, name, now, "")
	if err != nil {
		t.Fatalf("Enrol(%s): %v", name, err)
	}
	return dev
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

// record builds a live record with one field per name=value pair (values are JSON), all written
// at hlc.
func record(kind, uuid, site, hlc string, kv ...string) domain.SyncRecord {
	rec := domain.SyncRecord{Kind: kind, UUID: uuid, Site: site, Fields: map[string]domain.FieldValue{}}
	for i := 0; i+1 < len(kv); i += 2 {
		rec.Fields[kv[i]] = domain.FieldValue{V: json.RawMessage(kv[i+1]), HLC: hlc}
	}
	return rec
}

// tombstone builds a deleted record.
func tombstone(kind, uuid, site, hlc string) domain.SyncRecord {
	return domain.SyncRecord{Kind: kind, UUID: uuid, Site: site, Deleted: true, DeletedAt: hlc}
}

// hlc returns an HLC of the protocol's form, at t0 plus n milliseconds.
func hlc(n int, device string) string {
	return fmt.Sprintf("%013d-%04x-%s", t0.UnixMilli()+int64(n), 0, device)
}

// put stores records in one transaction and returns their versions.
func put(t testing.TB, st domain.ServerStore, recs ...domain.SyncRecord) []int64 {
	t.Helper()
	var versions []int64
	err := st.InTx(context.Background(), func(tx domain.ServerTx) error {
		versions = versions[:0]
		for _, rec := range recs {
			v, err := tx.PutRecord(context.Background(), rec)
			if err != nil {
				return err
			}
			versions = append(versions, v)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	return versions
}

// get reads a record in a transaction of its own.
func get(t testing.TB, st domain.ServerStore, kind, uuid string) (domain.SyncRecord, bool) {
	t.Helper()
	var rec domain.SyncRecord
	var found bool
	err := st.InTx(context.Background(), func(tx domain.ServerTx) error {
		var err error
		rec, found, err = tx.Record(context.Background(), kind, uuid)
		return err
	})
	if err != nil {
		t.Fatalf("Record(%s, %s): %v", kind, uuid, err)
	}
	return rec, found
}

func version(t testing.TB, st domain.ServerStore) int64 {
	t.Helper()
	v, err := st.Version(context.Background())
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	return v
}

func pull(t testing.TB, st domain.ServerStore, siteID string, cursor int64, limit int) domain.PullResult {
	t.Helper()
	return pullSince(t, st, siteID, cursor, 0, limit)
}

// pullSince is pull of a later page of a pull: since is the previous page's Since.
func pullSince(t testing.TB, st domain.ServerStore, siteID string, cursor, since int64, limit int) domain.PullResult {
	t.Helper()
	res, err := st.Pull(context.Background(), siteID, cursor, since, limit)
	if err != nil {
		t.Fatalf("Pull(%s, %d, %d): %v", siteID, cursor, limit, err)
	}
	if res.Changes == nil {
		t.Fatalf("Pull(%s, %d, %d): Changes is nil, want an empty list (it travels as [])", siteID, cursor, limit)
	}
	return res
}

// pullAll pulls a site's scope from cursor to the end, page by page as a desk does (each page
// with the Since of the one before), and returns the changes and the final cursor.
func pullAll(t testing.TB, st domain.ServerStore, siteID string, cursor int64, limit int) ([]domain.SyncRecord, int64) {
	t.Helper()
	var all []domain.SyncRecord
	var since int64
	for range 100_000 {
		res := pullSince(t, st, siteID, cursor, since, limit)
		all = append(all, res.Changes...)
		cursor, since = res.Cursor, res.Since
		if !res.More {
			if res.Since != 0 {
				t.Errorf("Pull(%s, %d): the last page has Since %d, want 0", siteID, cursor, res.Since)
			}
			return all, cursor
		}
		if res.Since < 1 {
			t.Fatalf("Pull(%s, %d): a page with More has Since %d, want the version its pull began at", siteID, cursor, res.Since)
		}
	}
	t.Fatal("pullAll: More never ends")
	return nil, 0
}

// sameJSON reports whether two JSON texts hold the same value (a store may reformat them: a
// PostgreSQL jsonb column does).
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// checkRecord fails the test unless got is want's state: same identity, scope, version,
// deletion, fields (values compared as JSON) and conflicts. want.Fields nil means none.
func checkRecord(t testing.TB, got, want domain.SyncRecord) {
	t.Helper()
	if got.Kind != want.Kind || got.UUID != want.UUID || got.Site != want.Site || got.Version != want.Version ||
		got.Deleted != want.Deleted || got.DeletedAt != want.DeletedAt {
		t.Fatalf("record = {%s %s site %q v%d deleted %v at %q}, want {%s %s site %q v%d deleted %v at %q}",
			got.Kind, got.UUID, got.Site, got.Version, got.Deleted, got.DeletedAt,
			want.Kind, want.UUID, want.Site, want.Version, want.Deleted, want.DeletedAt)
	}
	if got.Fields == nil {
		t.Fatalf("record %s: Fields is nil, want a map (it travels as {})", got.UUID)
	}
	if len(got.Fields) != len(want.Fields) {
		t.Fatalf("record %s: fields = %v, want %v", got.UUID, fieldsText(got.Fields), fieldsText(want.Fields))
	}
	for name, w := range want.Fields {
		g, ok := got.Fields[name]
		if !ok || g.HLC != w.HLC || !sameJSON(g.V, w.V) {
			t.Fatalf("record %s: fields = %v, want %v", got.UUID, fieldsText(got.Fields), fieldsText(want.Fields))
		}
	}
	if len(got.Conflicts) != len(want.Conflicts) {
		t.Fatalf("record %s: %d conflicts, want %d", got.UUID, len(got.Conflicts), len(want.Conflicts))
	}
	for i, w := range want.Conflicts {
		g := got.Conflicts[i]
		if g.HLC != w.HLC || g.Device != w.Device || !sameJSON(g.Value, w.Value) {
			t.Fatalf("record %s: conflict %d = %s %s %s, want %s %s %s", got.UUID, i, g.Value, g.HLC, g.Device, w.Value, w.HLC, w.Device)
		}
	}
}

func fieldsText(fs map[string]domain.FieldValue) string {
	b, _ := json.Marshal(fs)
	return string(b)
}

// uuids returns the UUIDs of changes, in order.
func uuids(changes []domain.SyncRecord) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.UUID
	}
	return out
}

// checkVersionOrder fails the test unless the changes' versions strictly increase and stay
// within (after, upTo].
func checkVersionOrder(t testing.TB, changes []domain.SyncRecord, after, upTo int64) {
	t.Helper()
	prev := after
	for _, c := range changes {
		if c.Version <= prev || c.Version > upTo {
			t.Fatalf("change %s has version %d after %d (bounds (%d, %d]): versions %v", c.UUID, c.Version, prev, after, upTo, versionsOf(changes))
		}
		prev = c.Version
	}
}

func versionsOf(changes []domain.SyncRecord) []int64 {
	out := make([]int64, len(changes))
	for i, c := range changes {
		out[i] = c.Version
	}
	return out
}
