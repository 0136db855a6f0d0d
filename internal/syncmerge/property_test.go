package syncmerge

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"pgregory.net/rapid"
)

// drawStamps draws n distinct stamps, close together so that equal milliseconds and ties broken
// by the device happen, in ascending order.
func drawStamps(t *rapid.T, min, max int) []string {
	gen := rapid.Custom(func(t *rapid.T) string {
		return hlc.Stamp{
			Millis:  t0 + rapid.Int64Range(0, 20).Draw(t, "ms"),
			Counter: rapid.Uint16Range(0, 2).Draw(t, "ctr"),
			Device:  rapid.SampledFrom([]string{devA, devB, devC}).Draw(t, "dev"),
		}.String()
	})
	s := rapid.SliceOfNDistinct(gen, min, max, rapid.ID[string]).Draw(t, "stamps")
	slices.Sort(s)
	return s
}

// values are the values fields take: a few, so that writes often agree. The two spellings of
// "oui" say the same thing.
var values = []string{`{"text":"oui"}`, `{ "text": "oui" }`, `{"text":"non"}`, `{"text":"peut-etre"}`, `2`, `null`}

// applyAll applies mutations in order from a record never seen, checking on the way that none is
// rejected, that changed says whether the record changed, and that applying the same mutation
// again right away changes nothing.
func applyAll(t *rapid.T, muts []domain.Mutation) (domain.SyncRecord, bool) {
	var cur domain.SyncRecord
	found := false
	for _, m := range muts {
		next, changed, reason := Apply(cur, found, m, siteA, devA)
		if reason != "" {
			t.Fatalf("%s %s @%s rejected: %s", m.Op, m.Kind, m.HLC, reason)
		}
		if found && changed == sameRecord(cur, next) {
			t.Fatalf("%s @%s: changed = %v, but the record went from\n%s\nto\n%s", m.Op, m.HLC, changed, show(cur), show(next))
		}
		if !found && !changed {
			t.Fatalf("%s @%s: the first write of a record reported no change", m.Op, m.HLC)
		}
		again, changedAgain, reason := Apply(next, true, m, siteA, devA)
		if reason != "" || changedAgain || !sameRecord(again, next) {
			t.Fatalf("%s @%s applied twice: changed %v, reason %q, record\n%s\nafter once\n%s", m.Op, m.HLC, changedAgain, reason, show(again), show(next))
		}
		cur, found = next, true
	}
	return cur, found
}

// withReplays returns muts in a random order with some of them repeated anywhere: what a
// network that repeats and reorders delivers.
func withReplays(t *rapid.T, muts []domain.Mutation) []domain.Mutation {
	seq := append(slices.Clone(muts), rapid.SliceOfN(rapid.SampledFrom(muts), 0, len(muts)).Draw(t, "replays")...)
	return rapid.Permutation(seq).Draw(t, "order")
}

// kindUUID is a uuid of the right form for a kind.
func kindUUID(kind string) string {
	switch schema[kind].uuid {
	case uuidQuestion:
		return answerUUID
	case uuidPair:
		return interviewUUID + ":" + serviceUUID
	}
	return usagerUUID
}

// TestApply_convergesFields: for every kind merged field by field, applying one set of writes
// in any order, with replays, gives one record: the model's (per field the highest stamp; a
// delete anywhere leaves a tombstone at the highest delete, with no field).
func TestApply_convergesFields(t *testing.T) {
	t.Parallel()
	kinds := []string{domain.KindUsager, domain.KindInterview, domain.KindSelection, domain.KindReferral, domain.KindSuggestion}
	rapid.Check(t, func(t *rapid.T) {
		kind := rapid.SampledFrom(kinds).Draw(t, "kind")
		uuid := kindUUID(kind)
		var muts []domain.Mutation
		for _, st := range drawStamps(t, 1, 12) {
			if rapid.IntRange(0, 5).Draw(t, "op") == 0 {
				muts = append(muts, del(kind, uuid, st))
				continue
			}
			names := rapid.SliceOfNDistinct(rapid.SampledFrom(schema[kind].fields), 1, 4, rapid.ID[string]).Draw(t, "fields")
			f := map[string]json.RawMessage{}
			for _, n := range names {
				f[n] = raw(rapid.SampledFrom(values).Draw(t, n))
			}
			muts = append(muts, upsert(kind, uuid, st, f))
		}

		want := domain.SyncRecord{Kind: kind, UUID: uuid, Site: siteA, Fields: map[string]domain.FieldValue{}}
		for _, m := range muts { // the model
			if m.Op == domain.MutDelete {
				want.Deleted, want.DeletedAt = true, max(want.DeletedAt, m.HLC)
				continue
			}
			for n, v := range m.Fields {
				if m.HLC > want.Fields[n].HLC {
					want.Fields[n] = domain.FieldValue{V: v, HLC: m.HLC}
				}
			}
		}
		if want.Deleted {
			want.Fields = map[string]domain.FieldValue{}
		}

		got, _ := applyAll(t, withReplays(t, muts))
		if !sameRecord(got, want) {
			t.Fatalf("got\n%s\nwant\n%s", show(got), show(want))
		}
	})
}

// TestApply_convergesAnswers: the writes of one answer, with their bases, applied in any order
// with replays, give one record: the same value, the same conflicts. The model: settled is the
// highest base; the writes stamped above it stay, one per distinct value (the highest); the
// highest write of all is the value and the others are the conflicts, oldest first. Deletes win.
func TestApply_convergesAnswers(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		stamps := drawStamps(t, 1, 10)
		var muts []domain.Mutation
		for i, st := range stamps {
			if rapid.IntRange(0, 9).Draw(t, "op") == 0 {
				muts = append(muts, del(domain.KindAnswer, answerUUID, st))
				continue
			}
			base := ""
			if i > 0 && rapid.Bool().Draw(t, "based") { // built on a write it saw: an earlier one
				base = stamps[rapid.IntRange(0, i-1).Draw(t, "base")]
			}
			muts = append(muts, answer(rapid.SampledFrom(values).Draw(t, "value"), st, base))
		}

		want := domain.SyncRecord{Kind: domain.KindAnswer, UUID: answerUUID, Site: siteA, Fields: map[string]domain.FieldValue{}}
		settled := ""
		for _, m := range muts {
			if m.Op == domain.MutDelete {
				want.Deleted, want.DeletedAt = true, max(want.DeletedAt, m.HLC)
			}
			settled = max(settled, m.Base)
		}
		if !want.Deleted {
			var kept []domain.Mutation // highest first, one per value
			for _, m := range slices.Backward(muts) {
				if m.HLC <= settled || slices.ContainsFunc(kept, func(k domain.Mutation) bool { return jsonEqual(k.Fields[AnswerField], m.Fields[AnswerField]) }) {
					continue
				}
				kept = append(kept, m)
			}
			want.Fields[AnswerField] = domain.FieldValue{V: kept[0].Fields[AnswerField], HLC: kept[0].HLC}
			if settled != "" {
				want.Fields[AnswerSettledField] = fv(`"`+settled+`"`, settled)
			}
			for _, k := range slices.Backward(kept[1:]) {
				want.Conflicts = append(want.Conflicts, conflict(string(k.Fields[AnswerField]), k.HLC))
			}
		}

		got, _ := applyAll(t, withReplays(t, muts))
		if !sameRecord(got, want) {
			t.Fatalf("got\n%s\nwant\n%s", show(got), show(want))
		}
	})
}

// TestApply_referralEventConverges: an event written once, perhaps erased later (its free texts
// emptied, the rest sent again), gives one record in any order with replays, and nothing is
// refused.
func TestApply_referralEventConverges(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		stamps := drawStamps(t, 2, 3)
		written := upsert(KindReferralEvent, usagerUUID, stamps[0], fields("referral_uuid", `"`+serviceUUID+`"`, "status", `"non-recours"`,
			"at", `"2025-11-23T10:00:00Z"`, "reason", `"autre"`, "reason_text", `"Garde d’enfant"`, "note", `"Rappeler"`))
		muts := []domain.Mutation{written}
		if rapid.Bool().Draw(t, "erased") {
			muts = append(muts, upsert(KindReferralEvent, usagerUUID, stamps[1], fields("status", `"non-recours"`, "reason", `"autre"`, "reason_text", `""`, "note", `""`)))
		}
		if len(stamps) == 3 && rapid.Bool().Draw(t, "deleted") {
			muts = append(muts, del(KindReferralEvent, usagerUUID, stamps[2]))
		}
		first, _ := applyAll(t, muts)
		got, _ := applyAll(t, withReplays(t, muts))
		if !sameRecord(got, first) {
			t.Fatalf("got\n%s\nin order\n%s", show(got), show(first))
		}
	})
}

// TestMergeRemote_serverStateWins: a desk whose state holds only writes the server also has (no
// newer local field) takes the server's state exactly, whatever the kind, the writes, and the
// order the desk saw them in.
func TestMergeRemote_serverStateWins(t *testing.T) {
	t.Parallel()
	kinds := []string{domain.KindUsager, domain.KindInterview, domain.KindSelection, domain.KindReferral, domain.KindAnswer}
	rapid.Check(t, func(t *rapid.T) {
		kind := rapid.SampledFrom(kinds).Draw(t, "kind")
		uuid := kindUUID(kind)
		stamps := drawStamps(t, 1, 10)
		var muts []domain.Mutation
		for i, st := range stamps {
			switch {
			case rapid.IntRange(0, 7).Draw(t, "op") == 0:
				muts = append(muts, del(kind, uuid, st))
			case kind == domain.KindAnswer:
				m := answer(rapid.SampledFrom(values).Draw(t, "value"), st, "")
				if i > 0 && rapid.Bool().Draw(t, "based") {
					m.Base = stamps[rapid.IntRange(0, i-1).Draw(t, "base")]
				}
				muts = append(muts, m)
			default:
				n := rapid.SampledFrom(schema[kind].fields).Draw(t, "field")
				muts = append(muts, upsert(kind, uuid, st, fields(n, rapid.SampledFrom(values).Draw(t, "value"))))
			}
		}
		server, _ := applyAll(t, rapid.Permutation(muts).Draw(t, "server order"))
		server.Version = 1200
		seen := rapid.SliceOfDistinct(rapid.SampledFrom(muts), func(m domain.Mutation) string { return m.HLC }).Draw(t, "desk saw")
		desk, found := applyAll(t, seen)
		if got := MergeRemote(desk, found, server); !sameRecord(got, server) {
			t.Fatalf("desk\n%s\nmerged with the server's\n%s\ngives\n%s", show(desk), show(server), show(got))
		}
	})
}
