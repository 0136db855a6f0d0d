package syncmerge

import (
	"maps"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func TestApply_rejects(t *testing.T) {
	t.Parallel()
	live := usager(siteA, map[string]domain.FieldValue{"commune": fv(`"92040"`, at(0, devA))})
	other := usager(siteB, map[string]domain.FieldValue{"commune": fv(`"92050"`, at(0, devB))})
	event := domain.SyncRecord{Kind: KindReferralEvent, UUID: usagerUUID, Site: siteA, Fields: map[string]domain.FieldValue{
		"status": fv(`"non-recours"`, at(0, devA)), "reason": fv(`"trop-loin"`, at(0, devA)), "note": fv(`"Bus trop rare"`, at(0, devA))}}
	withBase := func(m domain.Mutation, base string) domain.Mutation { m.Base = base; return m }
	withOp := func(m domain.Mutation, op string) domain.Mutation { m.Op = op; return m }
	ok := fields("commune", `"92040"`)
	tests := []struct {
		name string
		cur  *domain.SyncRecord // nil: never seen
		m    domain.Mutation
		site string
		want string // a part of the reason
	}{
		{"unknown kind", nil, upsert("note", usagerUUID, at(1, devA), ok), siteA, "type d’enregistrement inconnu : « note »"},
		{"empty kind", nil, upsert("", usagerUUID, at(1, devA), ok), siteA, "type d’enregistrement inconnu"},
		{"service comes from the server", nil, upsert(domain.KindService, usagerUUID, at(1, devA), fields("data", `{}`)), siteA, "viennent du serveur"},
		{"structure comes from the server", nil, del(domain.KindStructure, usagerUUID, at(1, devA)), siteA, "viennent du serveur"},
		{"grid comes from the server", nil, upsert(domain.KindGrid, usagerUUID, at(1, devA), fields("data", `{}`)), siteA, "viennent du serveur"},
		{"uuid not a uuid", nil, upsert(domain.KindUsager, "42", at(1, devA), ok), siteA, "identifiant invalide pour « usager » : « 42 » (attendu un UUID"},
		{"uuid in capitals", nil, upsert(domain.KindUsager, strings.ToUpper(usagerUUID), at(1, devA), ok), siteA, "identifiant invalide"},
		{"uuid without dashes", nil, upsert(domain.KindUsager, strings.ReplaceAll(usagerUUID, "-", "")+"abcd", at(1, devA), ok), siteA, "identifiant invalide"},
		{"answer uuid without question", nil, answer(`{"text":"oui"}`, at(1, devA), ""), siteA, ""},
		{"answer uuid is a plain uuid", nil, func() domain.Mutation { m := answer(`1`, at(1, devA), ""); m.UUID = interviewUUID; return m }(), siteA, "uuid-de-l’entretien:identifiant-de-la-question"},
		{"answer question not a slug", nil, func() domain.Mutation {
			m := answer(`1`, at(1, devA), "")
			m.UUID = interviewUUID + ":Liens Soutien"
			return m
		}(), siteA, "identifiant invalide pour « answer »"},
		{"selection of a service id", nil, upsert(domain.KindSelection, interviewUUID+":dora--123", at(1, devA), fields("why", `"x"`)), siteA, "uuid-de-l’entretien:uuid-du-service"},
		{"another site's record", &other, upsert(domain.KindUsager, usagerUUID, at(1, devA), ok), siteA, "appartient à une autre EDAS"},
		{"another site's record, deleted", &other, del(domain.KindUsager, usagerUUID, at(1, devA)), siteA, "appartient à une autre EDAS"},
		{"a device of no site", nil, upsert(domain.KindUsager, usagerUUID, at(1, devA), ok), "", "aucune EDAS"},
		{"another record than the mutation's", &live, upsert(domain.KindUsager, interviewUUID, at(1, devA), ok), siteA, "enregistrement inattendu"},
		{"unknown op", nil, withOp(upsert(domain.KindUsager, usagerUUID, at(1, devA), ok), "merge"), siteA, "opération inconnue : « merge »"},
		{"empty op", nil, withOp(upsert(domain.KindUsager, usagerUUID, at(1, devA), ok), ""), siteA, "opération inconnue"},
		{"malformed hlc", nil, upsert(domain.KindUsager, usagerUUID, "2025-11-23T10:00:00Z", ok), siteA, "horodatage (hlc) invalide"},
		{"empty hlc", nil, upsert(domain.KindUsager, usagerUUID, "", ok), siteA, "horodatage (hlc) invalide"},
		{"base on a usager", &live, withBase(upsert(domain.KindUsager, usagerUUID, at(1, devA), ok), at(0, devA)), siteA, "« base » ne sert qu’aux réponses"},
		{"malformed base", nil, answer(`1`, at(1, devA), "hier"), siteA, "(base) invalide"},
		{"base after the write", nil, answer(`1`, at(1, devA), at(2, devB)), siteA, "devrait être antérieure"},
		{"base equal to the write", nil, answer(`1`, at(1, devA), at(1, devA)), siteA, "devrait être antérieure"},
		{"fields on a delete", &live, func() domain.Mutation { m := del(domain.KindUsager, usagerUUID, at(1, devA)); m.Fields = ok; return m }(), siteA, "une suppression ne porte pas de champs"},
		{"upsert without fields", &live, upsert(domain.KindUsager, usagerUUID, at(1, devA), nil), siteA, "sans aucun champ"},
		{"unknown fields, listed in order", &live, upsert(domain.KindUsager, usagerUUID, at(1, devA), fields("commune", `"92040"`, "nir", `"1 85"`, "iban", `"FR76"`)), siteA, "champ inconnu pour « usager » : « iban », « nir »"},
		{"a field of another kind", nil, upsert(domain.KindInterview, usagerUUID, at(1, devA), fields("display_name", `"M. D."`)), siteA, "champ inconnu pour « interview » : « display_name »"},
		{"the settled field is the server's", nil, upsert(domain.KindAnswer, answerUUID, at(1, devA), fields(AnswerField, `1`, AnswerSettledField, `"x"`)), siteA, "champ inconnu pour « answer » : « settled »"},
		{"answer without its value", nil, upsert(domain.KindAnswer, answerUUID, at(1, devA), fields("text", `"oui"`)), siteA, "champ inconnu"},
		{"value not JSON", &live, upsert(domain.KindUsager, usagerUUID, at(1, devA), fields("commune", `92040"`)), siteA, "valeur illisible (JSON attendu) pour le champ « commune »"},
		{"empty value", &live, upsert(domain.KindUsager, usagerUUID, at(1, devA), fields("commune", ``)), siteA, "valeur illisible"},
		{"referral event modified", &event, upsert(KindReferralEvent, usagerUUID, at(1, devA), fields("reason", `"horaires"`)), siteA, "ne se modifie pas une fois écrit (champ « reason »)"},
		{"referral event note rewritten", &event, upsert(KindReferralEvent, usagerUUID, at(1, devA), fields("note", `"Autre chose"`)), siteA, "ne se modifie pas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cur domain.SyncRecord
			if tt.cur != nil {
				cur = *tt.cur
			}
			before := normal(cur)
			before.Fields = maps.Clone(before.Fields)
			next, changed, reason := Apply(cur, tt.cur != nil, tt.m, tt.site, devA)
			if tt.want == "" { // a control: the same mutation, well formed, is accepted
				if reason != "" || !changed {
					t.Fatalf("Apply = changed %v, reason %q; want it applied", changed, reason)
				}
				return
			}
			if !strings.Contains(reason, tt.want) {
				t.Errorf("reason = %q, want it to say %q", reason, tt.want)
			}
			if changed || !sameRecord(next, cur) || !sameRecord(cur, before) {
				t.Errorf("a rejected mutation changed something: changed %v, next %s", changed, show(next))
			}
		})
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	base := usager(siteA, map[string]domain.FieldValue{
		"display_name": fv(`"M. D."`, at(10, devA)),
		"commune":      fv(`"92040"`, at(20, devB)),
	})
	tomb := domain.SyncRecord{Version: 9, Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA,
		Deleted: true, DeletedAt: at(30, devB), Fields: map[string]domain.FieldValue{}}
	tests := []struct {
		name    string
		cur     *domain.SyncRecord
		m       domain.Mutation
		want    domain.SyncRecord
		changed bool
	}{
		{"a new record takes the device's site", nil,
			upsert(domain.KindUsager, usagerUUID, at(5, devA), fields("display_name", `"M. D."`, "commune", `"92040"`)),
			domain.SyncRecord{Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Fields: map[string]domain.FieldValue{
				"display_name": fv(`"M. D."`, at(5, devA)), "commune": fv(`"92040"`, at(5, devA))}}, true},
		{"a newer field replaces, an older one stays", &base,
			upsert(domain.KindUsager, usagerUUID, at(15, devC), fields("display_name", `"Mme D."`, "commune", `"92050"`)),
			usager(siteA, map[string]domain.FieldValue{"display_name": fv(`"Mme D."`, at(15, devC)), "commune": fv(`"92040"`, at(20, devB))}), true},
		{"two desks editing different fields both keep their change", &base,
			upsert(domain.KindUsager, usagerUUID, at(12, devC), fields("notes", `"Voir l’épicerie"`)),
			usager(siteA, map[string]domain.FieldValue{"display_name": fv(`"M. D."`, at(10, devA)), "commune": fv(`"92040"`, at(20, devB)),
				"notes": fv(`"Voir l’épicerie"`, at(12, devC))}), true},
		{"an older write changes nothing", &base,
			upsert(domain.KindUsager, usagerUUID, at(1, devC), fields("display_name", `"X"`, "commune", `"92000"`)),
			base, false},
		{"equal stamps keep the current value", &base,
			upsert(domain.KindUsager, usagerUUID, at(10, devA), fields("display_name", `"Autre"`)),
			base, false},
		{"a replay changes nothing", &base,
			upsert(domain.KindUsager, usagerUUID, at(20, devB), fields("commune", `"92040"`)),
			base, false},
		{"the device breaks a tie of milliseconds", &base,
			upsert(domain.KindUsager, usagerUUID, at(20, devC), fields("commune", `"92060"`)),
			usager(siteA, map[string]domain.FieldValue{"display_name": fv(`"M. D."`, at(10, devA)), "commune": fv(`"92060"`, at(20, devC))}), true},
		{"the lower device loses a tie of milliseconds", &base,
			upsert(domain.KindUsager, usagerUUID, at(20, devA), fields("commune", `"92060"`)),
			base, false},
		{"a delete leaves an empty tombstone", &base,
			del(domain.KindUsager, usagerUUID, at(5, devC)),
			domain.SyncRecord{Version: 7, Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Deleted: true, DeletedAt: at(5, devC), Fields: map[string]domain.FieldValue{}}, true},
		{"a delete of a record never seen leaves a tombstone", nil,
			del(domain.KindUsager, usagerUUID, at(5, devC)),
			domain.SyncRecord{Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Deleted: true, DeletedAt: at(5, devC), Fields: map[string]domain.FieldValue{}}, true},
		{"deletes win over a newer update", &tomb,
			upsert(domain.KindUsager, usagerUUID, at(99, devA), fields("display_name", `"M. D."`)),
			tomb, false},
		{"an older delete keeps the tombstone", &tomb,
			del(domain.KindUsager, usagerUUID, at(1, devA)),
			tomb, false},
		{"a newer delete moves the tombstone's stamp", &tomb,
			del(domain.KindUsager, usagerUUID, at(40, devA)),
			domain.SyncRecord{Version: 9, Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Deleted: true, DeletedAt: at(40, devA), Fields: map[string]domain.FieldValue{}}, true},
		{"a suggestion goes up", nil,
			upsert(domain.KindSuggestion, usagerUUID, at(1, devA), fields("type", `"correction"`, "service", `{"telephone":"01 41 00 00 00"}`, "message", `"Nouveau numéro"`)),
			domain.SyncRecord{Kind: domain.KindSuggestion, UUID: usagerUUID, Site: siteA, Fields: map[string]domain.FieldValue{
				"type": fv(`"correction"`, at(1, devA)), "service": fv(`{"telephone":"01 41 00 00 00"}`, at(1, devA)), "message": fv(`"Nouveau numéro"`, at(1, devA))}}, true},
		{"a selection of an interview's suggestion", nil,
			upsert(domain.KindSelection, interviewUUID+":"+serviceUUID, at(1, devA), fields("selected", `true`)),
			domain.SyncRecord{Kind: domain.KindSelection, UUID: interviewUUID + ":" + serviceUUID, Site: siteA, Fields: map[string]domain.FieldValue{
				"selected": fv(`true`, at(1, devA))}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cur domain.SyncRecord
			if tt.cur != nil {
				cur = *tt.cur
			}
			snapshot := maps.Clone(cur.Fields)
			next, changed := mustApply(t, cur, tt.cur != nil, tt.m)
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			if !sameRecord(next, tt.want) {
				t.Errorf("next =\n%s\nwant\n%s", show(next), show(tt.want))
			}
			if !maps.EqualFunc(cur.Fields, snapshot, func(a, b domain.FieldValue) bool { return a.HLC == b.HLC && string(a.V) == string(b.V) }) {
				t.Error("Apply modified the current record's fields in place")
			}
		})
	}
}

func TestApply_referralEvent(t *testing.T) {
	t.Parallel()
	const uuid = usagerUUID
	written := domain.SyncRecord{Kind: KindReferralEvent, UUID: uuid, Site: siteA, Fields: map[string]domain.FieldValue{
		"status": fv(`"non-recours"`, at(10, devA)), "reason": fv(`"autre"`, at(10, devA)),
		"reason_text": fv(`"Garde d’enfant"`, at(10, devA)), "note": fv(`"Rappeler en mars"`, at(10, devA))}}
	tests := []struct {
		name    string
		m       domain.Mutation
		want    map[string]domain.FieldValue
		changed bool
	}{
		{"the same event again changes nothing",
			upsert(KindReferralEvent, uuid, at(10, devA), fields("status", `"non-recours"`, "reason", `"autre"`)),
			written.Fields, false},
		{"the same values with a newer stamp move the stamps only",
			upsert(KindReferralEvent, uuid, at(11, devB), fields("status", `"non-recours"`)),
			map[string]domain.FieldValue{"status": fv(`"non-recours"`, at(11, devB)), "reason": fv(`"autre"`, at(10, devA)),
				"reason_text": fv(`"Garde d’enfant"`, at(10, devA)), "note": fv(`"Rappeler en mars"`, at(10, devA))}, true},
		{"erasing the free texts is allowed",
			upsert(KindReferralEvent, uuid, at(20, devB), fields("reason_text", `""`, "note", `null`, "status", `"non-recours"`)),
			map[string]domain.FieldValue{"status": fv(`"non-recours"`, at(20, devB)), "reason": fv(`"autre"`, at(10, devA)),
				"reason_text": fv(`""`, at(20, devB)), "note": fv(`null`, at(20, devB))}, true},
		{"an older different write loses without a rejection",
			upsert(KindReferralEvent, uuid, at(5, devB), fields("reason", `"horaires"`)),
			written.Fields, false},
		{"a field it did not have yet is added",
			upsert(KindReferralEvent, uuid, at(12, devA), fields("referral_uuid", `"`+serviceUUID+`"`)),
			func() map[string]domain.FieldValue {
				f := maps.Clone(written.Fields)
				f["referral_uuid"] = fv(`"`+serviceUUID+`"`, at(12, devA))
				return f
			}(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			next, changed := mustApply(t, written, true, tt.m)
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			want := written
			want.Fields = tt.want
			if !sameRecord(next, want) {
				t.Errorf("next =\n%s\nwant\n%s", show(next), show(want))
			}
		})
	}
}

func TestApply_answer(t *testing.T) {
	t.Parallel()
	oui, non, peut := `{"text":"oui"}`, `{"text":"non"}`, `{"text":"peut-etre"}`
	w1, w2, w3 := at(10, devA), at(20, devB), at(30, devC)
	tests := []struct {
		name    string
		cur     *domain.SyncRecord
		m       domain.Mutation
		want    domain.SyncRecord
		changed bool
	}{
		{"a first answer", nil, answer(oui, w1, ""),
			func() domain.SyncRecord { r := answerRec(oui, w1, ""); r.Version = 0; return r }(), true},
		{"a first answer naming a base the server never saw", nil, answer(oui, w2, w1),
			func() domain.SyncRecord { r := answerRec(oui, w2, w1); r.Version = 0; return r }(), true},
		{"an answer replacing the current one", ptr(answerRec(oui, w1, "")), answer(non, w2, w1),
			answerRec(non, w2, w1), true},
		{"two first answers that differ are both kept", ptr(answerRec(oui, w1, "")), answer(non, w2, ""),
			answerRec(non, w2, "", conflict(oui, w1)), true},
		{"the higher stamp wins even when it arrives first", ptr(answerRec(non, w2, "")), answer(oui, w1, ""),
			answerRec(non, w2, "", conflict(oui, w1)), true},
		{"an answer built on an older one conflicts", ptr(answerRec(non, w2, w1)), answer(peut, w3, w1),
			answerRec(peut, w3, w1, conflict(non, w2)), true},
		{"two first answers that agree are no conflict", ptr(answerRec(oui, w1, "")), answer(oui, w2, ""),
			answerRec(oui, w2, ""), true},
		{"the same value, spelt otherwise, is no conflict", ptr(answerRec(`{"text":"oui","sensitive":false}`, w1, "")), answer(`{ "sensitive": false, "text": "oui" }`, w2, ""),
			answerRec(`{ "sensitive": false, "text": "oui" }`, w2, ""), true},
		{"an older agreeing answer changes nothing", ptr(answerRec(oui, w2, "")), answer(oui, w1, ""),
			answerRec(oui, w2, ""), false},
		{"settling clears every conflict", ptr(answerRec(peut, w3, "", conflict(oui, w1), conflict(non, w2))), answer(non, at(40, devA), w3),
			answerRec(non, at(40, devA), w3), true},
		{"a conflict joins the others, oldest first", ptr(answerRec(peut, w3, "", conflict(non, w2))), answer(`{"text":"jamais"}`, w1, ""),
			answerRec(peut, w3, "", conflict(`{"text":"jamais"}`, w1), conflict(non, w2)), true},
		{"a late write already settled is no conflict", ptr(answerRec(non, w3, w2)), answer(oui, w1, ""),
			answerRec(non, w3, w2), false},
		{"a write at the settled stamp is settled", ptr(answerRec(non, w3, w2)), answer(oui, w2, ""),
			answerRec(non, w3, w2), false},
		{"a replay of the value changes nothing", ptr(answerRec(non, w2, "", conflict(oui, w1))), answer(non, w2, ""),
			answerRec(non, w2, "", conflict(oui, w1)), false},
		{"a replay of a conflict changes nothing", ptr(answerRec(non, w2, "", conflict(oui, w1))), answer(oui, w1, ""),
			answerRec(non, w2, "", conflict(oui, w1)), false},
		{"settling on a conflict's stamp drops it and older ones", ptr(answerRec(peut, w3, "", conflict(oui, w1), conflict(non, w2))), answer(non, at(25, devA), w2),
			answerRec(peut, w3, w2, conflict(non, at(25, devA))), true},
		{"a delete clears the answer and its conflicts", ptr(answerRec(non, w2, w1, conflict(peut, at(15, devC)))), del(domain.KindAnswer, answerUUID, w3),
			domain.SyncRecord{Version: 3, Kind: domain.KindAnswer, UUID: answerUUID, Site: siteA, Deleted: true, DeletedAt: w3, Fields: map[string]domain.FieldValue{}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cur domain.SyncRecord
			if tt.cur != nil {
				cur = *tt.cur
			}
			next, changed := mustApply(t, cur, tt.cur != nil, tt.m)
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			if !sameRecord(next, tt.want) {
				t.Errorf("next =\n%s\nwant\n%s", show(next), show(tt.want))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestMergeRemote(t *testing.T) {
	t.Parallel()
	server := usager(siteA, map[string]domain.FieldValue{
		"display_name": fv(`"Mme D."`, at(20, devB)),
		"commune":      fv(`"92040"`, at(10, devA)),
	})
	server.Version = 120
	tomb := domain.SyncRecord{Version: 130, Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Deleted: true, Fields: map[string]domain.FieldValue{}}
	tests := []struct {
		name   string
		local  *domain.SyncRecord
		remote domain.SyncRecord
		want   domain.SyncRecord
	}{
		{"a record the desk never had", nil, server, server},
		{"older local fields take the server's",
			ptr(usager(siteA, map[string]domain.FieldValue{"display_name": fv(`"M. D."`, at(10, devA)), "commune": fv(`"92040"`, at(10, devA))})),
			server, server},
		{"a newer local field is an unsent change and stays",
			ptr(usager(siteA, map[string]domain.FieldValue{"display_name": fv(`"M. Dupont"`, at(30, devC)), "commune": fv(`"92040"`, at(10, devA))})),
			server,
			func() domain.SyncRecord {
				r := server
				r.Fields = map[string]domain.FieldValue{"display_name": fv(`"M. Dupont"`, at(30, devC)), "commune": fv(`"92040"`, at(10, devA))}
				return r
			}()},
		{"a local field the server lacks stays",
			ptr(usager(siteA, map[string]domain.FieldValue{"notes": fv(`"Appeler"`, at(5, devC))})),
			server,
			func() domain.SyncRecord {
				r := server
				r.Fields = map[string]domain.FieldValue{"display_name": fv(`"Mme D."`, at(20, devB)), "commune": fv(`"92040"`, at(10, devA)), "notes": fv(`"Appeler"`, at(5, devC))}
				return r
			}()},
		{"a remote tombstone wins over unsent changes",
			ptr(usager(siteA, map[string]domain.FieldValue{"display_name": fv(`"M. Dupont"`, at(99, devC))})),
			tomb, tomb},
		{"a local tombstone not yet pushed stays",
			&domain.SyncRecord{Version: 100, Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Deleted: true, DeletedAt: at(5, devC), Fields: map[string]domain.FieldValue{}},
			server,
			domain.SyncRecord{Version: 120, Kind: domain.KindUsager, UUID: usagerUUID, Site: siteA, Deleted: true, DeletedAt: at(5, devC), Fields: map[string]domain.FieldValue{}}},
		{"an answer's conflicts are the server's",
			ptr(answerRec(`1`, at(10, devA), "", conflict(`2`, at(5, devB)))),
			answerRec(`3`, at(30, devC), at(10, devA)),
			answerRec(`3`, at(30, devC), at(10, devA))},
		{"the server's new conflicts show beside an unsent local answer",
			ptr(answerRec(`4`, at(50, devA), "")),
			answerRec(`3`, at(30, devC), "", conflict(`2`, at(20, devB))),
			func() domain.SyncRecord {
				r := answerRec(`4`, at(50, devA), "", conflict(`2`, at(20, devB)))
				return r
			}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var local domain.SyncRecord
			if tt.local != nil {
				local = *tt.local
			}
			got := MergeRemote(local, tt.local != nil, tt.remote)
			if !sameRecord(got, tt.want) {
				t.Errorf("MergeRemote =\n%s\nwant\n%s", show(got), show(tt.want))
			}
			got.Fields["x"] = domain.FieldValue{}
			if _, leaked := tt.remote.Fields["x"]; leaked {
				t.Error("the result shares its fields with the remote record")
			}
			if _, leaked := local.Fields["x"]; leaked {
				t.Error("the result shares its fields with the local record")
			}
		})
	}
}

func TestSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind                       string
		pushable, pulled, siteWise bool
		field                      string // one of its fields
	}{
		{domain.KindStructure, false, true, false, "data"},
		{domain.KindService, false, true, false, "data"},
		{domain.KindGrid, false, true, false, "content"},
		{domain.KindUsager, true, true, true, "consent_given"},
		{domain.KindInterview, true, true, true, "next_contact"},
		{domain.KindAnswer, true, true, true, AnswerField},
		{domain.KindSelection, true, true, true, "selected"},
		{domain.KindReferral, true, true, true, "follow_up_on"},
		{KindReferralEvent, true, true, true, "reason_text"},
		{domain.KindSuggestion, true, false, true, "service"},
		{domain.KindNote, false, false, false, ""}, // worker notes never travel
		{"", false, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			if Pushable(tt.kind) != tt.pushable || Pulled(tt.kind) != tt.pulled || SiteScoped(tt.kind) != tt.siteWise {
				t.Errorf("Pushable, Pulled, SiteScoped = %v, %v, %v; want %v, %v, %v", Pushable(tt.kind), Pulled(tt.kind), SiteScoped(tt.kind), tt.pushable, tt.pulled, tt.siteWise)
			}
			f := Fields(tt.kind)
			if (tt.field == "") != (f == nil) || tt.field != "" && !strings.Contains(","+strings.Join(f, ",")+",", ","+tt.field+",") {
				t.Errorf("Fields = %q, want one of them %q", f, tt.field)
			}
			if len(f) > 0 {
				f[0] = "changed"
				if Fields(tt.kind)[0] == "changed" {
					t.Error("Fields returns the schema's own slice")
				}
			}
		})
	}
}
