package sqlite

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"github.com/edas92/passerelle/internal/syncmerge"
)

// outbox returns every mutation waiting, failing the test on error.
func outbox(t fataler, db *DB) []domain.Mutation {
	t.Helper()
	muts, err := db.Outbox(context.Background(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return muts
}

// outboxAfter returns the mutations queued after the first n.
func outboxAfter(t testing.TB, db *DB, n int) []domain.Mutation {
	t.Helper()
	muts := outbox(t, db)
	if len(muts) < n {
		t.Fatalf("outbox has %d mutations, fewer than the %d before", len(muts), n)
	}
	return muts[n:]
}

// mutSummary is a mutation as tests compare it: kind, op and the sorted names of its fields.
type mutSummary struct {
	Kind   string
	Op     string
	Fields string
}

func summarize(muts []domain.Mutation) []mutSummary {
	out := make([]mutSummary, len(muts))
	for i, m := range muts {
		names := make([]string, 0, len(m.Fields))
		for n := range m.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		out[i] = mutSummary{m.Kind, m.Op, strings.Join(names, ",")}
	}
	return out
}

func up(kind, fields string) mutSummary { return mutSummary{kind, domain.MutUpsert, fields} }
func del(kind string) mutSummary        { return mutSummary{kind, domain.MutDelete, ""} }

// wantMuts fails the test unless muts are, in order, the mutations summarized.
func wantMuts(t testing.TB, muts []domain.Mutation, want ...mutSummary) {
	t.Helper()
	got := summarize(muts)
	if len(want) == 0 {
		want = []mutSummary{}
	}
	if len(got) == 0 {
		got = []mutSummary{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("mutations =\n  %+v\nwant\n  %+v", got, want)
	}
}

// field decodes a field of a mutation into v.
func field(t testing.TB, m domain.Mutation, name string, v any) {
	t.Helper()
	raw, ok := m.Fields[name]
	if !ok {
		t.Fatalf("mutation %d (%s %s) has no field %s: %v", m.ID, m.Kind, m.UUID, name, m.Fields)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("field %s = %s: %v", name, raw, err)
	}
}

// fullFields lists the fields of a kind as summarize writes them.
func fullFields(names ...string) string {
	s := slices.Clone(names)
	sort.Strings(s)
	return strings.Join(s, ",")
}

var (
	usagerFields = fullFields("display_name", "birth_year", "commune", "household", "contact", "notes", "consent_given",
		"consent_at", "consent_text", "last_contact_at", "anonymised")
	interviewFields = fullFields("usager_uuid", "grid_id", "grid_version", "status", "started_at", "completed_at",
		"current_domain", "next_contact")
	selectionFields = fullFields("interview_uuid", "service_uuid", "why", "domain", "selected_at", "selected")
	referralFields  = fullFields("sheet_uuid", "usager_uuid", "interview_uuid", "service_uuid", "service_name", "service_id",
		"need", "message", "include_health", "worker_name", "edas", "worker_phone", "status", "follow_up_on")
	eventFields = fullFields("referral_uuid", "status", "at", "reason", "reason_text", "note")
)

// remote issues the HLCs of a colleague's desk, on the test's clock.
type remote struct {
	clock *hlc.Clock
}

func newRemote(device string, now func() time.Time) *remote {
	return &remote{clock: hlc.New(device, now, "")}
}

// rec builds a pulled record whose fields (values as Go values) are all written at one new HLC.
func (r *remote) rec(version int64, kind, uuid string, fields map[string]any) domain.SyncRecord {
	stamp := r.clock.Now()
	rec := domain.SyncRecord{Version: version, Kind: kind, UUID: uuid, Fields: map[string]domain.FieldValue{}}
	for name, v := range fields {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		rec.Fields[name] = domain.FieldValue{V: b, HLC: stamp}
	}
	return rec
}

// tomb builds a pulled tombstone.
func (r *remote) tomb(version int64, kind, uuid string) domain.SyncRecord {
	return domain.SyncRecord{Version: version, Kind: kind, UUID: uuid, Deleted: true, DeletedAt: r.clock.Now(),
		Fields: map[string]domain.FieldValue{}}
}

// mustApply applies one page, failing the test on error.
func mustApply(t testing.TB, db *DB, cursor int64, more bool, recs ...domain.SyncRecord) domain.PullApplied {
	t.Helper()
	res, err := db.ApplyPull(context.Background(), domain.PullResult{Changes: recs, Cursor: cursor, More: more})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mustEnrol enrols db for a site with made-up server values.
func mustEnrol(t testing.TB, db *DB, site string) {
	t.Helper()
	if err := db.Enrol(context.Background(), domain.DeskEnrolment{ServerURL: "https://sync.example", Token: "jeton-" + site,
		DeviceID: domain.NewUUID(), SiteID: site, SiteName: "EDAS " + site}); err != nil {
		t.Fatal(err)
	}
}

// syncRecordOf returns what the desk knows of a record: pending state and fields.
func pendingOf(t testing.TB, db *DB, kind, uuid string) int {
	t.Helper()
	var p int
	if err := db.read.QueryRow(`SELECT pending FROM sync_record WHERE kind = ? AND uuid = ?`, kind, uuid).Scan(&p); err != nil {
		t.Fatalf("sync record %s %s: %v", kind, uuid, err)
	}
	return p
}

// memServer is the server's merge in memory (syncmerge.Apply, one version counter), for the
// tests of one desk's pull: the pages it serves are made of real mutations of a real desk. The
// round-trip tests use the real server over HTTP.
type memServer struct {
	site    string
	version int64
	recs    map[mark]domain.SyncRecord
}

func newMemServer() *memServer {
	return &memServer{site: "site-mem", recs: map[mark]domain.SyncRecord{}}
}

// push applies a desk's whole outbox as one device would, and acknowledges it.
func (m *memServer) push(t testing.TB, db *DB) {
	t.Helper()
	muts := outbox(t, db)
	var rejected []domain.MutationRejection
	for _, mu := range muts {
		if mu.Kind == domain.KindSuggestion {
			continue
		}
		k := mark{mu.Kind, mu.UUID}
		cur, found := m.recs[k]
		next, changed, reason := syncmerge.Apply(cur, found, mu, m.site, "device")
		if reason != "" {
			rejected = append(rejected, domain.MutationRejection{ID: mu.ID, Reason: reason})
			continue
		}
		if changed {
			m.version++
			next.Version = m.version
			m.recs[k] = next
		}
	}
	if len(muts) > 0 {
		if err := db.Acknowledge(context.Background(), muts[len(muts)-1].ID, rejected); err != nil {
			t.Fatal(err)
		}
	}
	if len(rejected) > 0 {
		t.Fatalf("memory server rejected %+v", rejected)
	}
}

// put stores a record as the server publishes it (the directory, grids).
func (m *memServer) put(rec domain.SyncRecord) {
	m.version++
	rec.Version = m.version
	m.recs[mark{rec.Kind, rec.UUID}] = rec
}

// changes returns the records above a version, in version order.
func (m *memServer) changes(cursor int64) []domain.SyncRecord {
	var out []domain.SyncRecord
	for _, r := range m.recs {
		if r.Version > cursor && syncmerge.Pulled(r.Kind) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out
}

// pullAll applies every change above the desk's cursor as one page.
func (m *memServer) pullAll(t testing.TB, db *DB) domain.PullApplied {
	t.Helper()
	st, err := db.SyncState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return mustApply(t, db, m.version, false, m.changes(st.Cursor)...)
}
