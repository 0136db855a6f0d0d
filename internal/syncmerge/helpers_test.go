package syncmerge

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

const (
	siteA = "site-issy"
	siteB = "site-nanterre"
	devA  = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	devB  = "0190ffff-0000-7000-8000-000000000001"
	devC  = "01910000-0000-7000-8000-00000000000c" // sorts after devB, which sorts after devA

	usagerUUID    = "0190aaaa-0000-7000-8000-000000000001"
	interviewUUID = "0190bbbb-0000-7000-8000-000000000002"
	serviceUUID   = "0190cccc-0000-7000-8000-000000000003"
	answerUUID    = interviewUUID + ":liens-soutien"
	t0            = 1763892000000
)

// at is the stamp of device dev at t0+ms.
func at(ms int64, dev string) string {
	return hlc.Stamp{Millis: t0 + ms, Device: dev}.String()
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func fv(v, stamp string) domain.FieldValue { return domain.FieldValue{V: raw(v), HLC: stamp} }

func fields(kv ...string) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = raw(kv[i+1])
	}
	return m
}

func upsert(kind, uuid, stamp string, f map[string]json.RawMessage) domain.Mutation {
	return domain.Mutation{ID: 1, Kind: kind, UUID: uuid, Op: domain.MutUpsert, HLC: stamp, Fields: f}
}

func del(kind, uuid, stamp string) domain.Mutation {
	return domain.Mutation{ID: 1, Kind: kind, UUID: uuid, Op: domain.MutDelete, HLC: stamp}
}

// answer is a write of an answer.
func answer(value, stamp, base string) domain.Mutation {
	m := upsert(domain.KindAnswer, answerUUID, stamp, fields(AnswerField, value))
	m.Base = base
	return m
}

func usager(site string, f map[string]domain.FieldValue) domain.SyncRecord {
	return domain.SyncRecord{Version: 7, Kind: domain.KindUsager, UUID: usagerUUID, Site: site, Fields: f}
}

// answerRec is the state of the test answer.
func answerRec(value, stamp, settled string, conflicts ...domain.AnswerConflict) domain.SyncRecord {
	r := domain.SyncRecord{Version: 3, Kind: domain.KindAnswer, UUID: answerUUID, Site: siteA,
		Fields: map[string]domain.FieldValue{AnswerField: fv(value, stamp)}, Conflicts: conflicts}
	if settled != "" {
		r.Fields[AnswerSettledField] = fv(`"`+settled+`"`, settled)
	}
	return r
}

func conflict(value, stamp string) domain.AnswerConflict {
	st, _ := hlc.Parse(stamp)
	return domain.AnswerConflict{Value: raw(value), HLC: stamp, Device: st.Device}
}

// normal gives equal records one form: no nil-versus-empty differences.
func normal(r domain.SyncRecord) domain.SyncRecord {
	if r.Fields == nil {
		r.Fields = map[string]domain.FieldValue{}
	}
	if len(r.Conflicts) == 0 {
		r.Conflicts = nil
	}
	return r
}

func sameRecord(a, b domain.SyncRecord) bool { return reflect.DeepEqual(normal(a), normal(b)) }

// show prints a record readably in a failure.
func show(r domain.SyncRecord) string {
	type out struct {
		Version   int64
		Site      string
		Deleted   bool
		DeletedAt string
		Fields    map[string]string
		Conflicts []string
	}
	o := out{Version: r.Version, Site: r.Site, Deleted: r.Deleted, DeletedAt: r.DeletedAt, Fields: map[string]string{}}
	for _, k := range slices.Sorted(maps.Keys(r.Fields)) {
		o.Fields[k] = string(r.Fields[k].V) + " @" + r.Fields[k].HLC
	}
	for _, c := range r.Conflicts {
		o.Conflicts = append(o.Conflicts, string(c.Value)+" @"+c.HLC+" by "+c.Device)
	}
	b, _ := json.MarshalIndent(o, "", "  ")
	return string(b)
}

// mustApply applies a mutation that must not be rejected.
func mustApply(t testing.TB, cur domain.SyncRecord, found bool, m domain.Mutation) (domain.SyncRecord, bool) {
	t.Helper()
	next, changed, reason := Apply(cur, found, m, siteA, devA)
	if reason != "" {
		t.Fatalf("Apply(%s %s %s) rejected: %s", m.Op, m.Kind, m.HLC, reason)
	}
	return next, changed
}
