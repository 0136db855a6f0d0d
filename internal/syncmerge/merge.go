// Package syncmerge holds the merge rules of the sync protocol (docs/sync-protocol.md), shared
// by the server (Apply: a pushed mutation into its records) and the desks (MergeRemote: a pulled
// record into theirs). It is pure: no storage, no clock, no network.
//
// The rules are chosen so that the result does not depend on the order in which writes arrive,
// nor on how often: the network drops, repeats and reorders, and every desk of a site must end
// with the server's data.
package syncmerge

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

// Apply merges a mutation pushed by a desk of a site into the server's current record of it
// (found is false when the server never saw the record). It returns the record to store, with
// changed false when nothing changes (a replay, an older write, an update of a deleted record):
// the caller then stores nothing. A mutation that breaks the protocol is not applied: reason
// says why, in French, for the worker (the caller reports it as a rejected mutation), and next
// is cur.
//
// The rules:
//   - per field, last writer wins by HLC; on equal stamps the current value stays;
//   - a delete leaves a tombstone (its HLC, the greatest of the deletes) and empties the
//     fields; deletes win: an upsert of a deleted record changes nothing;
//   - a new record takes the site of the pushing device; a record of another site is refused;
//   - answers are one field, AnswerField. When a write did not replace the current answer (its
//     base is not the current HLC) and says something else, both are kept: the higher HLC as
//     the value, the other in Conflicts, with the device its stamp names. A write whose base is
//     the current HLC settles the question: it clears the conflicts, and any write stamped at or
//     before the highest base (AnswerSettledField) that arrives later is no conflict any more;
//   - a referral event is written once: a newer write with other values is refused, but for
//     emptying its free texts (reason_text, note).
//
// device is the pushing device. The rules do not use it: a conflict records the device of its
// stamp, the only one a stored answer still knows, so that the record is the same in any order
// of arrival.
func Apply(cur domain.SyncRecord, found bool, m domain.Mutation, site, device string) (next domain.SyncRecord, changed bool, reason string) {
	sc, reason := check(cur, found, m, site)
	if reason != "" {
		return cur, false, reason
	}
	switch {
	case m.Op == domain.MutDelete:
		next, changed = applyDelete(cur, found, m, site)
	case found && cur.Deleted:
		return cur, false, "" // deletes win
	case m.Kind == domain.KindAnswer:
		next, changed = applyAnswer(cur, found, m, site)
	default:
		next, changed, reason = applyFields(sc, cur, found, m, site)
	}
	if !changed {
		return cur, false, reason
	}
	return next, true, ""
}

// check returns the schema of the mutation's kind, or why the mutation is refused.
func check(cur domain.SyncRecord, found bool, m domain.Mutation, site string) (kindSchema, string) {
	sc, ok := schema[m.Kind]
	switch {
	case !ok:
		return sc, "type d’enregistrement inconnu : « " + clip(m.Kind) + " »"
	case !sc.up:
		return sc, "les enregistrements « " + m.Kind + " » viennent du serveur : un poste ne peut pas les modifier"
	}
	if r := checkUUID(sc.uuid, m.UUID); r != "" {
		return sc, "identifiant invalide pour « " + m.Kind + " » : « " + clip(m.UUID) + " » (attendu " + r + ")"
	}
	if found && (cur.Kind != m.Kind || cur.UUID != m.UUID) {
		return sc, "enregistrement inattendu : « " + cur.Kind + " " + cur.UUID + " » au lieu de « " + m.Kind + " " + m.UUID + " »"
	}
	if sc.site && site == "" {
		// Stored without a site, the record would be everybody's.
		return sc, "ce poste n’est rattaché à aucune EDAS : modification refusée"
	}
	if sc.site && found && cur.Site != site {
		return sc, "cet enregistrement appartient à une autre EDAS : modification refusée"
	}
	if m.Op != domain.MutUpsert && m.Op != domain.MutDelete {
		return sc, "opération inconnue : « " + clip(m.Op) + " » (« upsert » ou « delete » attendu)"
	}
	if !hlc.Valid(m.HLC) {
		return sc, "horodatage (hlc) invalide : « " + clip(m.HLC) + " »"
	}
	if m.Base != "" {
		switch {
		case m.Kind != domain.KindAnswer:
			return sc, "« base » ne sert qu’aux réponses, pas aux enregistrements « " + m.Kind + " »"
		case !hlc.Valid(m.Base):
			return sc, "horodatage de la réponse remplacée (base) invalide : « " + clip(m.Base) + " »"
		case hlc.Compare(m.Base, m.HLC) >= 0:
			// A desk's clock moves past what it saw: a base at or after the write is a bug, and
			// taking it would settle the write's own future.
			return sc, "la réponse remplacée (base « " + m.Base + " ») devrait être antérieure à la modification (« " + m.HLC + " »)"
		}
	}
	if m.Op == domain.MutDelete {
		if len(m.Fields) > 0 {
			return sc, "une suppression ne porte pas de champs"
		}
		return sc, ""
	}
	if len(m.Fields) == 0 {
		return sc, "modification sans aucun champ"
	}
	var unknown, invalid []string
	for name, v := range m.Fields {
		if !sc.hasField(name) {
			unknown = append(unknown, "« "+clip(name)+" »")
		} else if len(v) == 0 || !json.Valid(v) {
			invalid = append(invalid, "« "+name+" »")
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown) // map order is random; the message should not be
		return sc, "champ inconnu pour « " + m.Kind + " » : " + strings.Join(unknown, ", ")
	}
	if len(invalid) > 0 {
		sort.Strings(invalid)
		return sc, "valeur illisible (JSON attendu) pour le champ " + strings.Join(invalid, ", ")
	}
	return sc, ""
}

// checkUUID returns "" when s is a uuid of the given form, else what was expected.
func checkUUID(form uuidForm, s string) string {
	switch form {
	case uuidQuestion:
		a, q, ok := strings.Cut(s, ":")
		if !ok || !isUUID(a) || !isSlug(q) {
			return "« uuid-de-l’entretien:identifiant-de-la-question »"
		}
	case uuidPair:
		a, b, ok := strings.Cut(s, ":")
		if !ok || !isUUID(a) || !isUUID(b) {
			return "« uuid-de-l’entretien:uuid-du-service »"
		}
	default:
		if !isUUID(s) {
			return "un UUID en minuscules"
		}
	}
	return ""
}

// isUUID reports whether s is a UUID in its canonical form (lowercase, with dashes): the form
// desks and the server write, so one record never has two spellings.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// isSlug reports whether s is a grid identifier: 1 to 100 of [a-z0-9-] (internal/grid).
func isSlug(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// clip keeps a value quoted in a reason short.
func clip(s string) string {
	const max = 80
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// applyDelete leaves a tombstone. Of several deletes the greatest HLC stays, whatever their
// order.
func applyDelete(cur domain.SyncRecord, found bool, m domain.Mutation, site string) (domain.SyncRecord, bool) {
	if found && cur.Deleted {
		if hlc.Compare(m.HLC, cur.DeletedAt) <= 0 {
			return cur, false
		}
		cur.DeletedAt = m.HLC
		return cur, true
	}
	next := domain.SyncRecord{Kind: m.Kind, UUID: m.UUID, Site: siteOf(cur, found, m.Kind, site),
		Deleted: true, DeletedAt: m.HLC, Fields: map[string]domain.FieldValue{}}
	if found {
		next.Version = cur.Version
	}
	return next, true
}

// siteOf is the site of the record a mutation writes: its own, or the pushing device's for a
// new record of a site-scoped kind.
func siteOf(cur domain.SyncRecord, found bool, kind, site string) string {
	switch {
	case found:
		return cur.Site
	case schema[kind].site:
		return site
	}
	return ""
}

// newRecord starts the next state of a record: a copy of the current one, or a new record.
func newRecord(cur domain.SyncRecord, found bool, m domain.Mutation, site string, extra int) domain.SyncRecord {
	if !found {
		cur = domain.SyncRecord{Kind: m.Kind, UUID: m.UUID, Site: siteOf(cur, found, m.Kind, site)}
	}
	fields := make(map[string]domain.FieldValue, len(cur.Fields)+extra)
	maps.Copy(fields, cur.Fields)
	cur.Fields = fields
	return cur
}

// applyFields merges an upsert field by field, last writer wins.
func applyFields(sc kindSchema, cur domain.SyncRecord, found bool, m domain.Mutation, site string) (domain.SyncRecord, bool, string) {
	next := newRecord(cur, found, m, site, len(m.Fields))
	changed := false
	for name, v := range m.Fields {
		old, had := next.Fields[name]
		if had && hlc.Compare(old.HLC, m.HLC) >= 0 {
			continue // the current value is newer, or this very write
		}
		if m.Kind == KindReferralEvent && had && !jsonEqual(old.V, v) && !(erasable[name] && isBlank(v)) {
			return cur, false, "un événement du suivi d’une orientation ne se modifie pas une fois écrit (champ « " + name + " »)"
		}
		next.Fields[name] = domain.FieldValue{V: v, HLC: m.HLC}
		changed = true
	}
	return next, changed || !found, ""
}

// isBlank reports whether a value is an erased text: "" or null.
func isBlank(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return string(v) == `""` || string(v) == "null"
}

// jsonEqual reports whether two JSON values say the same thing, whatever their spacing and the
// order of their keys.
func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// answerWrite is one write of an answer still in play: the value or a conflict.
type answerWrite struct {
	value  json.RawMessage
	hlc    string
	device string
}

// applyAnswer merges a write of an answer. The state it keeps is a function of the set of
// writes received, whatever their order: settled is the highest base of them all; a write
// stamped at or before settled is out; of the writes left, one per distinct value (the highest)
// stays; the highest of all is the value, the others are the conflicts.
func applyAnswer(cur domain.SyncRecord, found bool, m domain.Mutation, site string) (domain.SyncRecord, bool) {
	settled := ""
	if s, ok := cur.Fields[AnswerSettledField]; ok && found {
		settled = s.HLC
	}
	if hlc.Compare(m.Base, settled) > 0 {
		settled = m.Base
	}
	writes := make([]answerWrite, 0, 2+len(cur.Conflicts))
	if v, ok := cur.Fields[AnswerField]; ok && found {
		writes = append(writes, answerWrite{v.V, v.HLC, deviceOf(v.HLC)})
	}
	if found {
		for _, c := range cur.Conflicts {
			writes = append(writes, answerWrite{c.Value, c.HLC, c.Device})
		}
	}
	writes = append(writes, answerWrite{m.Fields[AnswerField], m.HLC, deviceOf(m.HLC)})

	// Highest first; a stable sort keeps the current write before an equal stamp (a replay).
	slices.SortStableFunc(writes, func(a, b answerWrite) int { return hlc.Compare(b.hlc, a.hlc) })
	kept := writes[:0]
	for _, w := range writes {
		if hlc.Compare(w.hlc, settled) <= 0 {
			continue // settled by a person who saw it
		}
		if slices.ContainsFunc(kept, func(k answerWrite) bool { return k.hlc == w.hlc || jsonEqual(k.value, w.value) }) {
			continue // a replay, or a value already kept with a higher stamp
		}
		kept = append(kept, w)
	}

	next := newRecord(cur, found, m, site, 0)
	delete(next.Fields, AnswerField)
	delete(next.Fields, AnswerSettledField)
	next.Conflicts = nil
	// kept is never empty: the highest write of all is above every base (a base precedes its
	// write), so it is never settled.
	next.Fields[AnswerField] = domain.FieldValue{V: kept[0].value, HLC: kept[0].hlc}
	if settled != "" {
		quoted, _ := json.Marshal(settled) // a stamp has nothing to escape
		next.Fields[AnswerSettledField] = domain.FieldValue{V: quoted, HLC: settled}
	}
	for _, w := range slices.Backward(kept[1:]) { // oldest conflict first
		next.Conflicts = append(next.Conflicts, domain.AnswerConflict{Value: w.value, HLC: w.hlc, Device: w.device})
	}
	return next, !found || !sameAnswer(cur, next)
}

// deviceOf returns the device named by a valid stamp.
func deviceOf(stamp string) string {
	st, _ := hlc.Parse(stamp)
	return st.Device
}

// sameAnswer reports whether two states of an answer have the same writes in play.
func sameAnswer(a, b domain.SyncRecord) bool {
	if a.Fields[AnswerField].HLC != b.Fields[AnswerField].HLC ||
		a.Fields[AnswerSettledField].HLC != b.Fields[AnswerSettledField].HLC || len(a.Conflicts) != len(b.Conflicts) {
		return false
	}
	for i := range a.Conflicts {
		if a.Conflicts[i].HLC != b.Conflicts[i].HLC {
			return false
		}
	}
	return true
}

// MergeRemote merges a record pulled from the server into the desk's state of it (found is
// false when the desk does not have it). A remote tombstone wins; a local tombstone (a delete
// not yet pushed) stays. Otherwise each field takes the higher HLC: a local field newer than the
// server's is a change not yet pushed, and is kept until the server has it. An answer's
// conflicts are the server's: only the server sees every desk's writes. The result shares no
// map or slice with its arguments.
func MergeRemote(local domain.SyncRecord, found bool, remote domain.SyncRecord) domain.SyncRecord {
	if found && local.Deleted && !remote.Deleted {
		out := clone(local)
		out.Version = max(local.Version, remote.Version)
		return out
	}
	out := clone(remote)
	if !found || remote.Deleted {
		return out
	}
	for name, lf := range local.Fields {
		if rf, ok := out.Fields[name]; !ok || hlc.Compare(lf.HLC, rf.HLC) > 0 {
			out.Fields[name] = lf
		}
	}
	return out
}

// clone copies a record's map and slice (json.RawMessage values are never modified in place,
// and are shared).
func clone(r domain.SyncRecord) domain.SyncRecord {
	fields := make(map[string]domain.FieldValue, len(r.Fields))
	maps.Copy(fields, r.Fields)
	r.Fields = fields
	r.Conflicts = slices.Clone(r.Conflicts)
	return r
}
