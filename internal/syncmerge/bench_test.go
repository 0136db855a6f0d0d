package syncmerge

import (
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// BenchmarkApply: a 10-field upsert of a usager file the server holds with its 11 fields, all
// older: the common push.
func BenchmarkApply(b *testing.B) {
	cur := usager(siteA, map[string]domain.FieldValue{})
	m := upsert(domain.KindUsager, usagerUUID, at(100, devB), fields())
	for i, name := range schema[domain.KindUsager].fields {
		cur.Fields[name] = fv(`"valeur d’avant"`, at(int64(i), devA))
		if i < 10 {
			m.Fields[name] = raw(`"une valeur un peu plus longue, comme une note"`)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, changed, reason := Apply(cur, true, m, siteA, devB); !changed || reason != "" {
			b.Fatalf("changed %v, reason %q", changed, reason)
		}
	}
}

// BenchmarkApply_answerConflict: an answer that conflicts with the current one, which already
// has two conflicts written with other spellings (the slow path of value comparison).
func BenchmarkApply_answerConflict(b *testing.B) {
	cur := answerRec(`{"text":"peut-etre","rating":3}`, at(30, devC), "",
		conflict(`{"text":"oui","rating":3}`, at(10, devA)), conflict(`{"text":"non","rating":3}`, at(20, devB)))
	m := answer(`{ "rating": 3, "text": "jamais" }`, at(40, devA), at(5, devA))
	b.ReportAllocs()
	for b.Loop() {
		if _, changed, reason := Apply(cur, true, m, siteA, devA); !changed || reason != "" {
			b.Fatalf("changed %v, reason %q", changed, reason)
		}
	}
}

// BenchmarkMergeRemote: a pulled usager file of 11 fields into the desk's, one field unsent.
func BenchmarkMergeRemote(b *testing.B) {
	local, remote := usager(siteA, map[string]domain.FieldValue{}), usager(siteA, map[string]domain.FieldValue{})
	for i, name := range schema[domain.KindUsager].fields {
		local.Fields[name] = fv(`"avant"`, at(int64(i), devA))
		remote.Fields[name] = fv(`"après"`, at(int64(50+i), devB))
	}
	local.Fields["notes"] = fv(`"pas encore envoyé"`, at(99, devA))
	b.ReportAllocs()
	for b.Loop() {
		MergeRemote(local, true, remote)
	}
}
