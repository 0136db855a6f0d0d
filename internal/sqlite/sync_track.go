package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"github.com/edas92/passerelle/internal/syncmerge"
)

// Tracking: a local change of the desk's work becomes one outbox mutation in the transaction of
// the change. Every write of the work already writes change-log rows; a trigger (migration 0004)
// marks the records they name in sync_dirty, and the write calls trackChanges last, which
// compares each marked record's row with the last values known to the server side
// (sync_field) and queues the fields that differ, with a new HLC, as one mutation.
//
// How records are written as synced fields (syncmerge.Fields gives the names):
//   - usager, interview, referral: one field per column of the schema, as JSON (text as a
//     string, nullable columns as null, flags as booleans, times as stored: RFC 3339 UTC
//     with milliseconds);
//   - answer, uuid "interview-uuid:question-id": one field "value", the answerValue object
//     below, or null for an answer cleared by the worker (a clearing must not be a delete:
//     deletes win, and the question could never be answered again);
//   - selection, uuid "interview-uuid:service-uuid": its columns and "selected", false once
//     unticked (for the same reason);
//   - referral_event, a plain UUIDv7 given to each step of a referral's history (sync_event),
//     with "referral_uuid" and the step's columns.
//
// A delete mutation is sent when a usager, an interview or a referral is deleted (its row keeps a
// tombstone), and for the answers and selections of a deleted interview, and the answers deleted
// with an anonymised file: erased data must never come back.

// kindReferralEvent is the kind of a step of a referral's history.
const kindReferralEvent = syncmerge.KindReferralEvent

// workKindsSQL lists the kinds of the desk's work, for SQL.
const workKindsSQL = `'usager', 'interview', 'answer', 'selection', 'referral', 'referral_event'`

// kindRank orders kinds parents first: a child written before its parent cannot be written into
// the desk's tables (foreign keys), so mutations and pulled records go in this order.
func kindRank(kind string) int {
	switch kind {
	case domain.KindStructure:
		return 0
	case domain.KindService:
		return 1
	case domain.KindGrid:
		return 2
	case domain.KindUsager:
		return 3
	case domain.KindInterview:
		return 4
	case domain.KindAnswer:
		return 5
	case domain.KindSelection:
		return 6
	case domain.KindReferral:
		return 7
	case kindReferralEvent:
		return 8
	}
	return 9
}

// isWorkKind reports whether a kind is of the desk's work (usagers and what hangs on them).
func isWorkKind(kind string) bool {
	r := kindRank(kind)
	return r >= 3 && r <= 8
}

// answerValue is the one field of a synced answer. answered_at is not in it: two people giving
// the same answer at different times agree, they are no conflict; a desk writing a pulled answer
// dates it by its HLC. The value is domain.AnswerValue as the answer tables store it.
type answerValue struct {
	Value        json.RawMessage `json:"value"`
	WorkerRating *int            `json:"worker_rating"`
	Sensitive    bool            `json:"sensitive"`
	Correction   bool            `json:"correction"`
}

// rowState is what the desk's tables hold of a synced record.
type rowState int

const (
	rowAbsent  rowState = iota // no row: never written here
	rowDeleted                 // a tombstone, or gone with its parent
	rowLive
)

// current is a record as the desk's tables hold it, as synced fields.
type current struct {
	state  rowState
	fields map[string]json.RawMessage
	// group and order sort the mutations of one transaction as the records were made: the
	// referrals of a sheet by position, the steps of a referral by sequence.
	group string
	order int64
}

// JSON encodings of column values. encoding/json writes a string the same way every time, so a
// field read twice compares equal as bytes.
var jsonNull = json.RawMessage("null")

func jsonStr(s string) json.RawMessage {
	b, _ := json.Marshal(s) // a Go string always marshals
	return b
}

func jsonNullStr(s sql.NullString) json.RawMessage {
	if !s.Valid {
		return jsonNull
	}
	return jsonStr(s.String)
}

func jsonInt(n int64) json.RawMessage { return json.RawMessage(strconv.FormatInt(n, 10)) }

func jsonNullInt(n sql.NullInt64) json.RawMessage {
	if !n.Valid {
		return jsonNull
	}
	return jsonInt(n.Int64)
}

func jsonBool(b bool) json.RawMessage {
	if b {
		return json.RawMessage("true")
	}
	return json.RawMessage("false")
}

// jsonEqual reports whether two JSON values say the same thing, whatever their spacing and the
// order of their keys (bytes first: it is nearly always that).
func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// readCurrent reads a record of the work from the desk's tables.
func (s *syncTx) readCurrent(kind, uuid string) (current, error) {
	switch kind {
	case domain.KindUsager:
		return s.readUsager(uuid)
	case domain.KindInterview:
		return s.readInterview(uuid)
	case domain.KindAnswer:
		return s.readAnswer(uuid)
	case domain.KindSelection:
		return s.readSelection(uuid)
	case domain.KindReferral:
		return s.readReferral(uuid)
	case kindReferralEvent:
		return s.readEvent(uuid)
	}
	return current{}, fmt.Errorf("read %s %s: not a kind of the desk's work", kind, uuid)
}

func (s *syncTx) readUsager(uuid string) (current, error) {
	var (
		name, commune, household, contact, notes, consentText, lastContact string
		birth                                                              sql.NullInt64
		consentAt                                                          sql.NullString
		consent, anonymised, deleted                                       bool
	)
	err := s.queryRow(`SELECT display_name, birth_year, commune, household, contact, notes, consent_given, consent_at,
		consent_text, last_contact_at, anonymised, deleted_at IS NOT NULL FROM usager WHERE uuid = ?`, uuid).
		Scan(&name, &birth, &commune, &household, &contact, &notes, &consent, &consentAt, &consentText, &lastContact,
			&anonymised, &deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return current{state: rowAbsent}, nil
	case err != nil:
		return current{}, fmt.Errorf("read usager: %w", err)
	case deleted:
		return current{state: rowDeleted}, nil
	}
	return current{state: rowLive, fields: map[string]json.RawMessage{
		"display_name": jsonStr(name), "birth_year": jsonNullInt(birth), "commune": jsonStr(commune),
		"household": jsonStr(household), "contact": jsonStr(contact), "notes": jsonStr(notes),
		"consent_given": jsonBool(consent), "consent_at": jsonNullStr(consentAt), "consent_text": jsonStr(consentText),
		"last_contact_at": jsonStr(lastContact), "anonymised": jsonBool(anonymised),
	}}, nil
}

func (s *syncTx) readInterview(uuid string) (current, error) {
	var (
		usager, gridID, status, started, currentDomain string
		gridVersion                                    int64
		completed, next                                sql.NullString
		deleted                                        bool
	)
	err := s.queryRow(`SELECT usager_uuid, grid_id, grid_version, status, started_at, completed_at, current_domain,
		next_contact, deleted_at IS NOT NULL FROM interview WHERE uuid = ?`, uuid).
		Scan(&usager, &gridID, &gridVersion, &status, &started, &completed, &currentDomain, &next, &deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return current{state: rowAbsent}, nil
	case err != nil:
		return current{}, fmt.Errorf("read interview: %w", err)
	case deleted:
		return current{state: rowDeleted}, nil
	}
	return current{state: rowLive, fields: map[string]json.RawMessage{
		"usager_uuid": jsonStr(usager), "grid_id": jsonStr(gridID), "grid_version": jsonInt(gridVersion),
		"status": jsonStr(status), "started_at": jsonStr(started), "completed_at": jsonNullStr(completed),
		"current_domain": jsonStr(currentDomain), "next_contact": jsonNullStr(next),
	}}, nil
}

// interviewState says whether an interview is live, and whether its file was anonymised.
func (s *syncTx) interviewState(uuid string) (state rowState, anonymised bool, err error) {
	var deleted bool
	var anon sql.NullBool
	err = s.queryRow(`SELECT i.deleted_at IS NOT NULL, u.anonymised FROM interview AS i
		LEFT JOIN usager AS u ON u.uuid = i.usager_uuid WHERE i.uuid = ?`, uuid).Scan(&deleted, &anon)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return rowAbsent, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("read interview: %w", err)
	case deleted:
		return rowDeleted, anon.Bool, nil
	}
	return rowLive, anon.Bool, nil
}

// splitPair cuts an "interview-uuid:other" uuid.
func splitPair(uuid string) (string, string, bool) {
	return strings.Cut(uuid, ":")
}

func (s *syncTx) readAnswer(uuid string) (current, error) {
	iv, q, ok := splitPair(uuid)
	if !ok {
		return current{state: rowAbsent}, nil
	}
	var (
		value      []byte
		rating     sql.NullInt64
		correction bool
		sensitive  bool
	)
	err := s.queryRow(`SELECT value, worker_rating, correction, 0 FROM answer WHERE interview_uuid = ?1 AND question_id = ?2
		UNION ALL SELECT value, worker_rating, correction, 1 FROM answer_sensitive WHERE interview_uuid = ?1 AND question_id = ?2
		LIMIT 1`, iv, q).Scan(&value, &rating, &correction, &sensitive)
	if err == nil {
		av := answerValue{Value: json.RawMessage(value), Sensitive: sensitive, Correction: correction}
		if rating.Valid {
			av.WorkerRating = domain.Ptr(int(rating.Int64))
		}
		b, err := json.Marshal(av)
		if err != nil {
			return current{}, fmt.Errorf("encode answer %s: %w", uuid, err)
		}
		return current{state: rowLive, fields: map[string]json.RawMessage{syncmerge.AnswerField: b}}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return current{}, fmt.Errorf("read answer: %w", err)
	}
	// No answer: cleared by the worker, or gone with its interview or its file's anonymisation
	// (erased for good: a tombstone).
	st, anonymised, err := s.interviewState(iv)
	if err != nil {
		return current{}, err
	}
	if st != rowLive || anonymised {
		return current{state: rowDeleted}, nil
	}
	return current{state: rowLive, fields: map[string]json.RawMessage{syncmerge.AnswerField: jsonNull}}, nil
}

func (s *syncTx) readSelection(uuid string) (current, error) {
	iv, sv, ok := splitPair(uuid)
	if !ok {
		return current{state: rowAbsent}, nil
	}
	var why, dom, at string
	err := s.queryRow(`SELECT why, domain, selected_at FROM selection WHERE interview_uuid = ? AND service_uuid = ?`, iv, sv).
		Scan(&why, &dom, &at)
	if err == nil {
		return current{state: rowLive, fields: map[string]json.RawMessage{
			"interview_uuid": jsonStr(iv), "service_uuid": jsonStr(sv), "why": jsonStr(why), "domain": jsonStr(dom),
			"selected_at": jsonStr(at), "selected": jsonBool(true),
		}}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return current{}, fmt.Errorf("read selection: %w", err)
	}
	st, _, err := s.interviewState(iv)
	if err != nil {
		return current{}, err
	}
	if st != rowLive {
		return current{state: rowDeleted}, nil
	}
	// Unticked: only that is known (the other fields keep their last values).
	return current{state: rowLive, fields: map[string]json.RawMessage{"selected": jsonBool(false)}}, nil
}

func (s *syncTx) readReferral(uuid string) (current, error) {
	var (
		sheet, service, serviceName, serviceID, need, message, worker, edas, phone, status, followUp string
		usager, interview                                                                            sql.NullString
		health, deleted                                                                              bool
		position                                                                                     int64
	)
	err := s.queryRow(`SELECT sheet_uuid, usager_uuid, interview_uuid, service_uuid, service_name, service_id, need,
		message, include_health, worker_name, edas, worker_phone, status, follow_up_on, position, deleted_at IS NOT NULL
		FROM referral WHERE uuid = ?`, uuid).Scan(&sheet, &usager, &interview, &service, &serviceName, &serviceID, &need,
		&message, &health, &worker, &edas, &phone, &status, &followUp, &position, &deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return current{state: rowAbsent}, nil
	case err != nil:
		return current{}, fmt.Errorf("read referral: %w", err)
	case deleted:
		return current{state: rowDeleted}, nil
	}
	return current{state: rowLive, group: sheet, order: position, fields: map[string]json.RawMessage{
		"sheet_uuid": jsonStr(sheet), "usager_uuid": jsonNullStr(usager), "interview_uuid": jsonNullStr(interview),
		"service_uuid": jsonStr(service), "service_name": jsonStr(serviceName), "service_id": jsonStr(serviceID),
		"need": jsonStr(need), "message": jsonStr(message), "include_health": jsonBool(health),
		"worker_name": jsonStr(worker), "edas": jsonStr(edas), "worker_phone": jsonStr(phone), "status": jsonStr(status),
		"follow_up_on": jsonStr(followUp),
	}}, nil
}

func (s *syncTx) readEvent(uuid string) (current, error) {
	var (
		referral                             string
		seq                                  int64
		status, at, reason, reasonText, note sql.NullString
	)
	err := s.queryRow(`SELECT m.referral_uuid, m.seq, e.status, e.at, e.reason, e.reason_text, e.note
		FROM sync_event AS m LEFT JOIN referral_event AS e ON e.referral_uuid = m.referral_uuid AND e.seq = m.seq
		WHERE m.uuid = ?`, uuid).Scan(&referral, &seq, &status, &at, &reason, &reasonText, &note)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return current{state: rowAbsent}, nil
	case err != nil:
		return current{}, fmt.Errorf("read referral step: %w", err)
	case !status.Valid:
		return current{state: rowDeleted}, nil
	}
	return current{state: rowLive, group: referral, order: seq, fields: map[string]json.RawMessage{
		"referral_uuid": jsonStr(referral), "status": jsonStr(status.String), "at": jsonStr(at.String),
		"reason": jsonStr(reason.String), "reason_text": jsonStr(reasonText.String), "note": jsonStr(note.String),
	}}, nil
}

// localRecord is what the desk knows of a synced record: sync_record and sync_field.
type localRecord struct {
	found     bool
	tomb      bool   // a tombstone
	deleted   string // its HLC
	version   int64
	conflicts string // JSON, "" when none
	pending   int
	fields    map[string]domain.FieldValue // V is nil for a value kept in its own table
}

func (s *syncTx) loadLocal(kind, uuid string) (localRecord, error) {
	var l localRecord
	err := s.query(`SELECT r.deleted, r.version, r.conflicts, r.pending, f.field, f.value, f.hlc
		FROM sync_record AS r LEFT JOIN sync_field AS f ON f.kind = r.kind AND f.uuid = r.uuid
		WHERE r.kind = ? AND r.uuid = ?`, []any{kind, uuid}, func(r scanner) error {
		var (
			deleted, conflicts, name, value, stamp sql.NullString
		)
		if err := r.Scan(&deleted, &l.version, &conflicts, &l.pending, &name, &value, &stamp); err != nil {
			return err
		}
		if !l.found {
			l.found, l.tomb, l.deleted, l.conflicts = true, deleted.Valid, deleted.String, conflicts.String
			l.fields = map[string]domain.FieldValue{}
		}
		if name.Valid {
			fv := domain.FieldValue{HLC: stamp.String}
			if value.Valid {
				fv.V = json.RawMessage(value.String)
			}
			l.fields[name.String] = fv
		}
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("read sync record: %w", err)
	}
	return l, nil
}

// record returns the local state as the merge rules see it.
func (l localRecord) record(kind, uuid string) (domain.SyncRecord, error) {
	r := domain.SyncRecord{Version: l.version, Kind: kind, UUID: uuid, Deleted: l.tomb, DeletedAt: l.deleted,
		Fields: l.fields}
	if r.Fields == nil {
		r.Fields = map[string]domain.FieldValue{}
	}
	if l.conflicts != "" {
		if err := json.Unmarshal([]byte(l.conflicts), &r.Conflicts); err != nil {
			return r, fmt.Errorf("decode conflicts of %s %s: %w", kind, uuid, err)
		}
	}
	return r, nil
}

// planned is a mutation to queue, before it gets its HLC.
type planned struct {
	kind, uuid string
	op         string
	fields     map[string]json.RawMessage
	base       string // answers: the HLC of the value replaced
	group      string
	order      int64
}

// plan compares a record's row with what the desk last knew of it and returns the mutation
// that says the difference, nil when there is none. A record waiting to be written from a pull
// (pending) is left alone: its row does not show its synced state yet.
func (s *syncTx) plan(kind, uuid string) (*planned, error) {
	cur, err := s.readCurrent(kind, uuid)
	if err != nil {
		return nil, err
	}
	l, err := s.loadLocal(kind, uuid)
	if err != nil {
		return nil, err
	}
	if l.found && l.pending != 0 {
		return nil, nil
	}
	p := &planned{kind: kind, uuid: uuid, group: cur.group, order: cur.order}
	switch cur.state {
	case rowAbsent, rowDeleted:
		// A record the server never knew needs no tombstone.
		if !l.found || l.tomb {
			return nil, nil
		}
		p.op = domain.MutDelete
		return p, nil
	}
	if l.tomb {
		return nil, nil // deleted here or by a colleague: deletes win
	}
	for name, v := range cur.fields {
		if old, ok := l.fields[name]; ok && old.V != nil && jsonEqual(old.V, v) {
			continue
		}
		if p.fields == nil {
			p.fields = map[string]json.RawMessage{}
		}
		p.fields[name] = v
	}
	if len(p.fields) == 0 && kind == domain.KindAnswer && uuid == s.settle && l.conflicts != "" {
		p.fields = map[string]json.RawMessage{syncmerge.AnswerField: cur.fields[syncmerge.AnswerField]}
	}
	if len(p.fields) == 0 {
		return nil, nil
	}
	p.op = domain.MutUpsert
	if kind == domain.KindAnswer {
		p.base = l.fields[syncmerge.AnswerField].HLC
	}
	return p, nil
}

// trackChanges turns the records of the work this transaction changed (marked by the change
// log) into outbox mutations. Every write of the work calls it last, in its transaction, so that
// a change and its mutation commit together or not at all.
func (db *DB) trackChanges(ctx context.Context, tx *sql.Tx) error {
	s := db.newSyncTx(ctx, tx)
	defer s.close()
	if err := s.flush(); err != nil {
		return fmt.Errorf("track changes: %w", err)
	}
	return s.saveClock()
}

// trackAnswer is trackChanges for SaveAnswer: saving an answer to a question in conflict settles
// the conflict, even when the value saved is the one already shown (the worker chose it), so the
// answer is sent with the latest answer as its base whether it changed or not.
func (db *DB) trackAnswer(ctx context.Context, tx *sql.Tx, key string) error {
	s := db.newSyncTx(ctx, tx)
	defer s.close()
	if _, err := s.exec(`INSERT OR IGNORE INTO sync_dirty (kind, uuid)
		SELECT kind, uuid FROM sync_record WHERE kind = 'answer' AND uuid = ? AND conflicts IS NOT NULL`, key); err != nil {
		return fmt.Errorf("track changes: %w", err)
	}
	s.settle = key
	if err := s.flush(); err != nil {
		return fmt.Errorf("track changes: %w", err)
	}
	return s.saveClock()
}

// mark is a record named by sync_dirty.
type mark struct{ kind, uuid string }

// flush queues the mutations of every marked record and clears the marks. Mutations go parents
// first (a colleague's desk can write a child only after its parent), the records of one kind in
// the order they were made; deletes go last, children first, so that a colleague erasing a file
// finds its interviews and answers already gone.
func (s *syncTx) flush() error {
	var marks []mark
	if err := s.query(`SELECT kind, uuid FROM sync_dirty`, nil, func(r scanner) error {
		var m mark
		if err := r.Scan(&m.kind, &m.uuid); err != nil {
			return err
		}
		marks = append(marks, m)
		return nil
	}); err != nil {
		return fmt.Errorf("read marks: %w", err)
	}
	if len(marks) == 0 {
		return nil
	}
	var plans []*planned
	done := make(map[mark]bool, len(marks))
	add := func(kind, uuid string) error {
		if done[mark{kind, uuid}] {
			return nil
		}
		done[mark{kind, uuid}] = true
		p, err := s.plan(kind, uuid)
		if p != nil {
			plans = append(plans, p)
		}
		return err
	}
	for i := 0; i < len(marks); i++ {
		m := marks[i]
		if err := add(m.kind, m.uuid); err != nil {
			return err
		}
		switch m.kind {
		case domain.KindReferral:
			// The steps of a referral's history change with it (a new status, texts erased).
			events, err := s.eventUUIDs(m.uuid)
			if err != nil {
				return err
			}
			for _, e := range events {
				if err := add(kindReferralEvent, e); err != nil {
					return err
				}
			}
		case domain.KindInterview:
			// A deleted interview takes every synced answer and selection with it, those without
			// a row too (an answer cleared, a service unticked): none stays on the server.
			if p := plans; len(p) == 0 || p[len(p)-1].uuid != m.uuid || p[len(p)-1].op != domain.MutDelete {
				continue
			}
			if err := s.query(`SELECT kind, uuid FROM sync_record WHERE kind IN ('answer', 'selection')
				AND uuid > ? AND uuid < ? AND deleted IS NULL`, []any{m.uuid + ":", m.uuid + ";"}, func(r scanner) error {
				var c mark
				if err := r.Scan(&c.kind, &c.uuid); err != nil {
					return err
				}
				marks = append(marks, c)
				return nil
			}); err != nil {
				return fmt.Errorf("read children: %w", err)
			}
		}
	}
	if _, err := s.exec(`DELETE FROM sync_dirty`); err != nil {
		return fmt.Errorf("clear marks: %w", err)
	}
	slices.SortFunc(plans, func(a, b *planned) int {
		da, db := a.op == domain.MutDelete, b.op == domain.MutDelete
		switch {
		case da != db:
			if da {
				return 1
			}
			return -1
		case da: // deletes: children first
			if c := kindRank(b.kind) - kindRank(a.kind); c != 0 {
				return c
			}
		default:
			if c := kindRank(a.kind) - kindRank(b.kind); c != 0 {
				return c
			}
			if c := strings.Compare(a.group, b.group); c != 0 {
				return c
			}
			if a.order != b.order {
				if a.order < b.order {
					return -1
				}
				return 1
			}
		}
		return strings.Compare(a.uuid, b.uuid)
	})
	for _, p := range plans {
		if err := s.commit(p); err != nil {
			return err
		}
	}
	return nil
}

// eventUUIDs returns the uuids of a referral's steps in order, giving one to each step that has
// none yet.
func (s *syncTx) eventUUIDs(referral string) ([]string, error) {
	type step struct {
		seq  int64
		uuid sql.NullString
	}
	var steps []step
	if err := s.query(`SELECT e.seq, m.uuid FROM referral_event AS e
		LEFT JOIN sync_event AS m ON m.referral_uuid = e.referral_uuid AND m.seq = e.seq
		WHERE e.referral_uuid = ? ORDER BY e.seq`, []any{referral}, func(r scanner) error {
		var st step
		if err := r.Scan(&st.seq, &st.uuid); err != nil {
			return err
		}
		steps = append(steps, st)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read referral steps: %w", err)
	}
	uuids := make([]string, 0, len(steps))
	for _, st := range steps {
		if !st.uuid.Valid {
			st.uuid.String = domain.NewUUID()
			if _, err := s.exec(`INSERT INTO sync_event (uuid, referral_uuid, seq) VALUES (?, ?, ?)`,
				st.uuid.String, referral, st.seq); err != nil {
				return nil, fmt.Errorf("name referral step: %w", err)
			}
		}
		uuids = append(uuids, st.uuid.String)
	}
	return uuids, nil
}

// commit stamps a planned mutation, records its fields as the desk's last known values and
// queues it.
func (s *syncTx) commit(p *planned) error {
	stamp, err := s.stamp()
	if err != nil {
		return err
	}
	if p.op == domain.MutDelete {
		if _, err := s.exec(`INSERT INTO sync_record (kind, uuid, deleted) VALUES (?, ?, ?)
			ON CONFLICT (kind, uuid) DO UPDATE SET deleted = excluded.deleted, conflicts = NULL, seen = 1`,
			p.kind, p.uuid, stamp); err != nil {
			return fmt.Errorf("record tombstone: %w", err)
		}
		if _, err := s.exec(`DELETE FROM sync_field WHERE kind = ? AND uuid = ?`, p.kind, p.uuid); err != nil {
			return fmt.Errorf("empty tombstone: %w", err)
		}
		return s.enqueue(p.kind, p.uuid, domain.MutDelete, stamp, nil, "")
	}
	// A person answering again settles the question: the server clears its conflicts (the base
	// is the latest answer, above every conflict), and so does the desk at once.
	if _, err := s.exec(`INSERT INTO sync_record (kind, uuid) VALUES (?, ?)
		ON CONFLICT (kind, uuid) DO UPDATE SET seen = 1,
		conflicts = CASE WHEN excluded.kind = 'answer' THEN NULL ELSE conflicts END`, p.kind, p.uuid); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	for name, v := range p.fields {
		if err := s.putField(p.kind, p.uuid, name, v, stamp); err != nil {
			return err
		}
	}
	base := p.base
	if hlc.Compare(base, stamp) >= 0 {
		// Only a stamp the clock refused to follow (more than a day ahead) can be there: the
		// server would refuse a base after its write.
		base = ""
	}
	return s.enqueue(p.kind, p.uuid, domain.MutUpsert, stamp, p.fields, base)
}

// putField stores a field's value and HLC (value nil: NULL, kept in its own table).
func (s *syncTx) putField(kind, uuid, name string, v json.RawMessage, stamp string) error {
	var value sql.NullString
	if v != nil {
		value = sql.NullString{String: string(v), Valid: true}
	}
	if _, err := s.exec(`INSERT INTO sync_field (kind, uuid, field, value, hlc) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, uuid, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc`,
		kind, uuid, name, value, stamp); err != nil {
		return fmt.Errorf("record field %s: %w", name, err)
	}
	return nil
}

// enqueue appends a mutation to the outbox.
func (s *syncTx) enqueue(kind, uuid, op, stamp string, fields map[string]json.RawMessage, base string) error {
	var enc sql.NullString
	if op == domain.MutUpsert {
		b, err := json.Marshal(fields) // keys sorted: the same change gives the same text
		if err != nil {
			return fmt.Errorf("encode mutation: %w", err)
		}
		enc = sql.NullString{String: string(b), Valid: true}
	}
	if _, err := s.exec(`INSERT INTO sync_outbox (kind, uuid, op, hlc, fields, base) VALUES (?, ?, ?, ?, ?, ?)`,
		kind, uuid, op, stamp, enc, base); err != nil {
		return fmt.Errorf("queue mutation: %w", err)
	}
	return nil
}

// backfill marks every record of the work the desk holds but never tracked (written before
// sync existed on this desk) and queues them.
func (s *syncTx) backfill() error {
	for _, q := range []string{
		`SELECT 'usager' AS kind, uuid AS uuid FROM usager`,
		`SELECT 'interview' AS kind, uuid AS uuid FROM interview`,
		`SELECT 'answer' AS kind, interview_uuid || ':' || question_id AS uuid FROM answer`,
		`SELECT 'answer' AS kind, interview_uuid || ':' || question_id AS uuid FROM answer_sensitive`,
		`SELECT 'selection' AS kind, interview_uuid || ':' || service_uuid AS uuid FROM selection`,
		`SELECT 'referral' AS kind, uuid AS uuid FROM referral`,
	} {
		if _, err := s.exec(`INSERT OR IGNORE INTO sync_dirty (kind, uuid) SELECT w.kind, w.uuid FROM (` + q + `) AS w
			WHERE NOT EXISTS (SELECT 1 FROM sync_record AS r WHERE r.kind = w.kind AND r.uuid = w.uuid)`); err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
	}
	return s.flush()
}

// maxReportRunes is the longest message of a « signaler une erreur » (the server's limit). The
// suggestion types are those of server_suggestion.go.
const maxReportRunes = 10000

// queueSuggestion queues a suggestion for the curators: a new record each time (a UUIDv7), up
// only.
func (s *syncTx) queueSuggestion(typ string, service json.RawMessage, message string) error {
	stamp, err := s.stamp()
	if err != nil {
		return err
	}
	fields := map[string]json.RawMessage{"type": jsonStr(typ), "service": service, "message": jsonStr(message)}
	if err := s.enqueue(domain.KindSuggestion, domain.NewUUID(), domain.MutUpsert, stamp, fields, ""); err != nil {
		return err
	}
	return s.saveClock()
}

// encodeDI encodes one record with a datainclusion array encoder and returns the object alone:
// the form the server's import reads.
func encodeDI[R any](encode func(io.Writer, []R) error, r R) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := encode(&buf, []R{r}); err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	b := bytes.TrimSpace(buf.Bytes())
	b = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimPrefix(b, []byte("[")), []byte("]")))
	return json.RawMessage(b), nil
}

// queueProposal queues the proposal CreateProposal just stored, for the curators: the service
// and, when it is a proposal too (not yet published), its structure, as data·inclusion records
// (the array the server's Accept publishes).
func (db *DB) queueProposal(ctx context.Context, tx *sql.Tx, st *domain.Structure, sv *domain.Service) error {
	s := db.newSyncTx(ctx, tx)
	defer s.close()
	var records []json.RawMessage
	stored, err := storedStructure(ctx, tx, structureUUID(st))
	if err != nil {
		return fmt.Errorf("queue proposal: %w", err)
	}
	if stored.Origin == domain.OriginProposal {
		b, err := encodeDI(datainclusion.EncodeStructures, stored)
		if err != nil {
			return fmt.Errorf("queue proposal: %w", err)
		}
		records = append(records, b)
	}
	b, err := encodeDI(datainclusion.EncodeServices, *sv)
	if err != nil {
		return fmt.Errorf("queue proposal: %w", err)
	}
	records = append(records, b)
	service, err := json.Marshal(records)
	if err != nil {
		return fmt.Errorf("queue proposal: %w", err)
	}
	if err := s.queueSuggestion(suggestionProposition, service, ""); err != nil {
		return fmt.Errorf("queue proposal: %w", err)
	}
	return nil
}

// storedStructure reads a structure as stored (with its origin).
func storedStructure(ctx context.Context, tx *sql.Tx, uuid string) (domain.Structure, error) {
	var st domain.Structure
	err := queryRecords(ctx, tx, `SELECT `+recordColumns+` FROM structure WHERE uuid = ?`, []any{uuid},
		func(m domain.Meta, data, extra []byte) error {
			var err error
			st, err = decodeStructure(m, data, extra)
			return err
		})
	return st, err
}

// ReportDirectoryError queues a « signaler une erreur » about a directory service for the
// curators: a suggestion of type correction naming the service (its data·inclusion identifier
// and name) with the worker's message, sent at the next sync (or after the enrolment). The
// worker's private note on the service is not sent. EINVALID when the message is blank or
// longer than 10,000 characters, ENOTFOUND when the service is unknown.
func (db *DB) ReportDirectoryError(ctx context.Context, serviceUUID, message string) error {
	message = strings.TrimSpace(message)
	switch {
	case message == "":
		return domain.Errorf(domain.EINVALID, "Décrivez l’erreur remarquée sur cette fiche : le message est vide.")
	case utf8.RuneCountInString(message) > maxReportRunes:
		return domain.Errorf(domain.EINVALID, "Le message est trop long (%d caractères au plus).", maxReportRunes)
	}
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var diID string
		var data []byte
		err := tx.QueryRowContext(ctx, `SELECT di_id, data FROM service WHERE uuid = ?`, serviceUUID).Scan(&diID, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Aucun service de l’annuaire n’a l’identifiant %s.", serviceUUID)
		} else if err != nil {
			return err
		}
		var named struct {
			Nom string `json:"nom"`
		}
		if err := json.Unmarshal(data, &named); err != nil {
			return fmt.Errorf("decode service: %w", err)
		}
		service, err := json.Marshal(map[string]string{"id": diID, "nom": named.Nom})
		if err != nil {
			return err
		}
		s := db.newSyncTx(ctx, tx)
		defer s.close()
		return s.queueSuggestion(suggestionCorrection, service, message)
	})
	if err != nil {
		return fmt.Errorf("report directory error: %w", err)
	}
	return nil
}
