package sqlite

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"github.com/edas92/passerelle/internal/syncmerge"
	"github.com/edas92/passerelle/internal/textfold"
)

// Writing a merged record into the desk's own tables, kind by kind: what a pull changes, as the
// desk's own writes would have changed it (sync_apply.go merges and calls these).

// logChange appends a change-log row for a record written from a pull: the change log holds
// every change, and tracking then checks the record against its merged state.
func (a *applier) logChange(kind, uuid, op string) error {
	if _, err := a.s.exec(insertChangeSQL, kind, uuid, op, a.s.now); err != nil {
		return fmt.Errorf("log change: %w", err)
	}
	return nil
}

// markDirty has a record checked by tracking without a change of its row: a pulled child of a
// record deleted here, whose tombstone must reach the server.
func (a *applier) markDirty(kind, uuid string) error {
	_, err := a.s.exec(`INSERT OR IGNORE INTO sync_dirty (kind, uuid) VALUES (?, ?)`, kind, uuid)
	return err
}

// directoryChanged counts a directory write that changed a row. It writes no change-log row:
// the change log is what tracking reads to send the desk's own work, and the directory is the
// server's, never sent back (a first sync wrote 150,000 rows there that nothing read).
func (a *applier) directoryChanged(op string) {
	a.res.Directory++
	if op == domain.OpDelete {
		a.res.Removed++
	}
}

// deleteDirectory soft-deletes a structure or service from a tombstone, as an import's removal.
func (a *applier) deleteDirectory(kind, uuid string) error {
	s := a.s
	row, err := a.page.row(kind, uuid)
	if err != nil || !row.found || row.deleted {
		return err
	}
	if _, err := s.exec(`UPDATE `+kind+` SET deleted_at = ?, updated_at = ? WHERE uuid = ? AND deleted_at IS NULL`,
		s.now, s.now, uuid); err != nil {
		return fmt.Errorf("delete %s: %w", kind, err)
	}
	row.deleted = true
	a.page.wrote(kind, uuid, row)
	a.directoryChanged(domain.OpDelete)
	return nil
}

// applyStructure writes a structure like an import (OriginImport: the département's directory).
func (a *applier) applyStructure(rec domain.SyncRecord, dir *dirRecord) (int, error) {
	s := a.s
	if rec.Deleted {
		return applied, a.deleteDirectory(domain.KindStructure, rec.UUID)
	}
	if dir == nil || dir.invalid || dir.st == nil {
		return unappliable, nil
	}
	enc := dir.enc
	old, err := a.page.row(domain.KindStructure, rec.UUID)
	if err != nil {
		return 0, err
	}
	if old.found && old.hash == enc.hash && old.origin == string(domain.OriginImport) && !old.deleted {
		return applied, nil
	}
	if old.found {
		_, err = s.exec(`UPDATE structure SET di_id = ?, source = ?, origin = ?, data = ?, extra = ?, hash = ?,
			updated_at = ?, deleted_at = NULL WHERE uuid = ?`,
			enc.diID, enc.source, domain.OriginImport, enc.data, enc.extra, enc.hash, s.now, enc.uuid)
	} else {
		_, err = s.exec(`INSERT INTO structure (uuid, di_id, source, origin, data, extra, hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			enc.uuid, enc.diID, enc.source, domain.OriginImport, enc.data, enc.extra, enc.hash, s.now, s.now)
	}
	if isConstraint(err) {
		return unappliable, nil // its identifier is another record's
	} else if err != nil {
		return 0, fmt.Errorf("write structure: %w", err)
	}
	a.page.wrote(domain.KindStructure, rec.UUID, dirRow{found: true, diID: enc.diID, hash: enc.hash,
		origin: string(domain.OriginImport)})
	a.directoryChanged(domain.OpUpsert)
	return applied, nil
}

// applyService writes a service like an import. Its structure (found by data·inclusion
// identifier, as an import finds it) must be on the desk: else the service waits for it; a
// deleted one is restored, as an import does for a live service.
func (a *applier) applyService(rec domain.SyncRecord, dir *dirRecord) (int, error) {
	s := a.s
	if rec.Deleted {
		return applied, a.deleteDirectory(domain.KindService, rec.UUID)
	}
	if dir == nil || dir.invalid || dir.sv == nil {
		return unappliable, nil
	}
	sv := dir.sv
	var parent parentRow
	for _, di := range []string{domain.QualifiedID(sv.Source, sv.StructureID), sv.StructureID} {
		p, err := a.page.structureByDI(di)
		if err != nil {
			return 0, err
		}
		if p.found {
			parent = p
			break
		}
	}
	if !parent.found {
		return waitingParent, nil
	}
	if parent.deleted {
		if err := a.reviveStructure(parent.uuid); err != nil {
			return 0, err
		}
	}
	enc := dir.enc
	old, err := a.page.row(domain.KindService, rec.UUID)
	if err != nil {
		return 0, err
	}
	if old.found && old.hash == enc.hash && old.origin == string(domain.OriginImport) && old.structure == parent.uuid &&
		!old.deleted {
		return applied, nil
	}
	if old.found {
		_, err = s.exec(`UPDATE service SET di_id = ?, source = ?, structure_uuid = ?, origin = ?, data = ?, extra = ?,
			hash = ?, updated_at = ?, deleted_at = NULL WHERE uuid = ?`,
			enc.diID, enc.source, parent.uuid, domain.OriginImport, enc.data, enc.extra, enc.hash, s.now, enc.uuid)
	} else {
		_, err = s.exec(`INSERT INTO service (uuid, di_id, source, structure_uuid, origin, data, extra, hash, created_at,
			updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			enc.uuid, enc.diID, enc.source, parent.uuid, domain.OriginImport, enc.data, enc.extra, enc.hash, s.now, s.now)
	}
	if isConstraint(err) {
		return unappliable, nil
	} else if err != nil {
		return 0, fmt.Errorf("write service: %w", err)
	}
	a.page.wrote(domain.KindService, rec.UUID, dirRow{found: true, diID: enc.diID, hash: enc.hash,
		origin: string(domain.OriginImport), structure: parent.uuid})
	a.directoryChanged(domain.OpUpsert)
	return applied, nil
}

// reviveStructure restores a soft-deleted structure a live service needs, as an import does.
func (a *applier) reviveStructure(uuid string) error {
	s := a.s
	res, err := s.exec(`UPDATE structure SET deleted_at = NULL, updated_at = ? WHERE uuid = ? AND deleted_at IS NOT NULL`,
		s.now, uuid)
	if err != nil {
		return fmt.Errorf("restore structure: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if row, ok := a.page.rows[mark{domain.KindStructure, uuid}]; ok && row.found {
		row.deleted = false
		a.page.wrote(domain.KindStructure, uuid, row)
	} else {
		a.page.parents = nil // found by identifier only: read again when needed
	}
	a.directoryChanged(domain.OpUpsert)
	return nil
}

// applyGrid stores a published grid like SaveGrid (not embedded). A published version never
// changes and interviews use it: a grid stays on the desk whatever comes, and a version this
// desk holds with another content (ECONFLICT) is kept aside.
func (a *applier) applyGrid(rec domain.SyncRecord) (int, error) {
	if rec.Deleted {
		return applied, nil
	}
	f, ok := rec.Fields[fieldContent]
	if !ok {
		f = rec.Fields[fieldData]
	}
	var g domain.Grid
	if len(f.V) == 0 || json.Unmarshal(f.V, &g) != nil || gridKey(g.ID, g.Version) != rec.UUID {
		return unappliable, nil
	}
	saved, err := a.s.db.saveGrid(a.s.ctx, a.s.tx, &g, false)
	switch domain.ErrorCode(err) {
	case "":
	case domain.EINVALID, domain.ECONFLICT:
		return unappliable, nil
	default:
		return 0, err
	}
	if saved {
		a.res.Grids++
	}
	return applied, nil
}

// overlay returns the fields a record's row should hold: its current ones, with the merged
// record's synced fields over them.
func overlay(cur map[string]json.RawMessage, rec domain.SyncRecord) map[string]json.RawMessage {
	want := make(map[string]json.RawMessage, len(cur)+len(rec.Fields))
	maps.Copy(want, cur)
	for _, name := range syncmerge.Fields(rec.Kind) {
		if f, ok := rec.Fields[name]; ok && f.V != nil {
			want[name] = f.V
		}
	}
	return want
}

// sameFields reports whether a row already holds the wanted fields.
func sameFields(cur, want map[string]json.RawMessage) bool {
	for name, v := range want {
		if !jsonEqual(cur[name], v) {
			return false
		}
	}
	return true
}

// fieldDecoder reads the column values of a record's fields. A missing or null field takes the
// default; a value of the wrong type makes the record unappliable.
type fieldDecoder struct {
	f   map[string]json.RawMessage
	err error
}

func (d *fieldDecoder) raw(name string) (json.RawMessage, bool) {
	v, ok := d.f[name]
	if !ok || bytes.Equal(bytes.TrimSpace(v), jsonNull) {
		return nil, false
	}
	return v, true
}

func (d *fieldDecoder) decode(name string, v json.RawMessage, out any) bool {
	if err := json.Unmarshal(v, out); err != nil {
		if d.err == nil {
			d.err = fmt.Errorf("%w: field %s: %v", errUnappliable, name, err)
		}
		return false
	}
	return true
}

func (d *fieldDecoder) str(name, def string) string {
	v, ok := d.raw(name)
	var s string
	if !ok || !d.decode(name, v, &s) {
		return def
	}
	return s
}

// nullStr reads a nullable text column: null and "" are NULL.
func (d *fieldDecoder) nullStr(name string) sql.NullString {
	s := d.str(name, "")
	return sql.NullString{String: s, Valid: s != ""}
}

func (d *fieldDecoder) integer(name string, def int64) int64 {
	v, ok := d.raw(name)
	var n int64
	if !ok || !d.decode(name, v, &n) {
		return def
	}
	return n
}

func (d *fieldDecoder) nullInt(name string) sql.NullInt64 {
	v, ok := d.raw(name)
	var n int64
	if !ok || !d.decode(name, v, &n) {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: n, Valid: true}
}

func (d *fieldDecoder) boolean(name string, def bool) bool {
	v, ok := d.raw(name)
	var b bool
	if !ok || !d.decode(name, v, &b) {
		return def
	}
	return b
}

// stampTime is the wall time of an HLC, as stored; now when it has none.
func (a *applier) stampTime(stamp string) string {
	st, err := hlc.Parse(stamp)
	if err != nil {
		return a.s.now
	}
	return formatTime(time.UnixMilli(st.Millis))
}

// usagerState says whether a usager file is on the desk, erased, or anonymised.
func (a *applier) usagerState(uuid string) (state rowState, anonymised bool, err error) {
	var deleted bool
	err = a.s.queryRow(`SELECT deleted_at IS NOT NULL, anonymised FROM usager WHERE uuid = ?`, uuid).Scan(&deleted, &anonymised)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return rowAbsent, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("read usager: %w", err)
	case deleted:
		return rowDeleted, anonymised, nil
	}
	return rowLive, anonymised, nil
}

func (a *applier) applyUsager(rec domain.SyncRecord) (int, error) {
	s := a.s
	cur, err := s.readUsager(rec.UUID)
	if err != nil {
		return 0, err
	}
	if rec.Deleted {
		if cur.state == rowLive {
			return applied, a.eraseUsager(rec.UUID)
		}
		return applied, nil
	}
	if cur.state == rowDeleted {
		return applied, a.markDirty(rec.Kind, rec.UUID) // erased here: the erasure stands
	}
	want := overlay(cur.fields, rec)
	if cur.state == rowLive && sameFields(cur.fields, want) {
		return applied, nil
	}
	d := &fieldDecoder{f: want}
	name := d.str("display_name", "")
	args := []any{rec.UUID, name, textfold.Key(name), d.nullInt("birth_year"), d.str("commune", ""),
		d.str("household", ""), d.str("contact", ""), d.str("notes", ""), d.boolean("consent_given", false),
		d.nullStr("consent_at"), d.str("consent_text", ""), d.str("last_contact_at", s.now),
		d.boolean("anonymised", false), s.now, s.now}
	if d.err != nil {
		return 0, d.err
	}
	if _, err := s.exec(`INSERT INTO usager (uuid, display_name, display_key, birth_year, commune, household, contact,
		notes, consent_given, consent_at, consent_text, last_contact_at, anonymised, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (uuid) DO UPDATE SET display_name = excluded.display_name, display_key = excluded.display_key,
		birth_year = excluded.birth_year, commune = excluded.commune, household = excluded.household,
		contact = excluded.contact, notes = excluded.notes, consent_given = excluded.consent_given,
		consent_at = excluded.consent_at, consent_text = excluded.consent_text,
		last_contact_at = excluded.last_contact_at, anonymised = excluded.anonymised, updated_at = excluded.updated_at`,
		args...); err != nil {
		return 0, fmt.Errorf("write usager: %w", err)
	}
	return applied, a.logChange(domain.KindUsager, rec.UUID, domain.OpUpsert)
}

// eraseUsager erases a file as DeleteUsager does (a colleague erased it at the person's
// request): its referrals lose the person, its interviews' answers, history and selections go,
// its interviews and the file stay as tombstones with the personal fields wiped, each change
// with its change-log row.
func (a *applier) eraseUsager(uuid string) error {
	ctx, tx, now := a.s.ctx, a.s.tx, a.s.now
	if err := detachReferrals(ctx, tx, `SELECT ?`, []any{uuid}, now); err != nil {
		return err
	}
	var ivs []string
	if err := a.s.query(`SELECT uuid FROM interview WHERE usager_uuid = ? AND deleted_at IS NULL ORDER BY started_at, uuid`,
		[]any{uuid}, func(r scanner) error {
			var iv string
			if err := r.Scan(&iv); err != nil {
				return err
			}
			ivs = append(ivs, iv)
			return nil
		}); err != nil {
		return fmt.Errorf("read interviews: %w", err)
	}
	for _, iv := range ivs {
		if err := a.deleteInterview(iv); err != nil {
			return err
		}
	}
	// Answers of interviews deleted earlier (none in practice: they go with their interview).
	if err := deleteUsagerAnswers(ctx, tx, uuid); err != nil {
		return err
	}
	if err := wipeUsager(ctx, tx, uuid, now); err != nil {
		return err
	}
	return a.logChange(domain.KindUsager, uuid, domain.OpDelete)
}

// deleteInterview deletes an interview as erasing its file does: its answers (sensitive ones
// too), their history and its selections go, each with its change-log row; the interview stays
// as a tombstone.
func (a *applier) deleteInterview(uuid string) error {
	ctx, tx, now := a.s.ctx, a.s.tx, a.s.now
	for _, table := range []string{"answer", "answer_sensitive"} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
			SELECT ?, interview_uuid || ':' || question_id, ?, ? FROM `+table+` WHERE interview_uuid = ?
			ORDER BY question_id`, domain.KindAnswer, domain.OpDelete, now, uuid); err != nil {
			return fmt.Errorf("log %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
		SELECT ?, interview_uuid || ':' || service_uuid, ?, ? FROM selection WHERE interview_uuid = ?
		ORDER BY selected_at`, domain.KindSelection, domain.OpDelete, now, uuid); err != nil {
		return fmt.Errorf("log selections: %w", err)
	}
	for _, table := range []string{"answer", "answer_sensitive", "answer_history", "selection"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE interview_uuid = ?`, uuid); err != nil {
			return fmt.Errorf("delete %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE interview SET deleted_at = ?, updated_at = ?, next_contact = NULL,
		current_domain = '' WHERE uuid = ? AND deleted_at IS NULL`, now, now, uuid); err != nil {
		return fmt.Errorf("delete interview: %w", err)
	}
	return a.logChange(domain.KindInterview, uuid, domain.OpDelete)
}

func (a *applier) applyInterview(rec domain.SyncRecord) (int, error) {
	s := a.s
	cur, err := s.readInterview(rec.UUID)
	if err != nil {
		return 0, err
	}
	if rec.Deleted {
		if cur.state == rowLive {
			return applied, a.deleteInterview(rec.UUID)
		}
		return applied, nil
	}
	if cur.state == rowDeleted {
		return applied, a.markDirty(rec.Kind, rec.UUID)
	}
	want := overlay(cur.fields, rec)
	d := &fieldDecoder{f: want}
	usager, gridID, gridVersion := d.str("usager_uuid", ""), d.str("grid_id", ""), d.integer("grid_version", 0)
	ustate, _, err := a.usagerState(usager)
	if err != nil {
		return 0, err
	}
	var grids int
	if err := s.queryRow(`SELECT count(*) FROM grid WHERE id = ? AND version = ?`, gridID, gridVersion).Scan(&grids); err != nil {
		return 0, fmt.Errorf("find grid: %w", err)
	}
	if ustate == rowAbsent || grids == 0 {
		return waitingParent, nil
	}
	if cur.state != rowLive || !sameFields(cur.fields, want) {
		args := []any{rec.UUID, usager, gridID, gridVersion, d.str("status", domain.InterviewInProgress),
			d.str("started_at", s.now), d.nullStr("completed_at"), d.str("current_domain", ""), d.nullStr("next_contact"),
			s.now, s.now}
		if d.err != nil {
			return 0, d.err
		}
		if _, err := s.exec(`INSERT INTO interview (uuid, usager_uuid, grid_id, grid_version, status, started_at,
			completed_at, current_domain, next_contact, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (uuid) DO UPDATE SET usager_uuid = excluded.usager_uuid, grid_id = excluded.grid_id,
			grid_version = excluded.grid_version, status = excluded.status, started_at = excluded.started_at,
			completed_at = excluded.completed_at, current_domain = excluded.current_domain,
			next_contact = excluded.next_contact, updated_at = excluded.updated_at`, args...); err != nil {
			return 0, fmt.Errorf("write interview: %w", err)
		}
		if err := a.logChange(domain.KindInterview, rec.UUID, domain.OpUpsert); err != nil {
			return 0, err
		}
	}
	if ustate == rowDeleted {
		// The file was erased here: the interview goes with it, and tracking sends its tombstone.
		return applied, a.deleteInterview(rec.UUID)
	}
	return applied, nil
}

func (a *applier) applyAnswer(rec domain.SyncRecord) (int, error) {
	s := a.s
	iv, q, ok := splitPair(rec.UUID)
	if !ok {
		return unappliable, nil
	}
	var av answerValue
	var value domain.AnswerValue
	f := rec.Fields[syncmerge.AnswerField]
	clear := rec.Deleted || len(f.V) == 0 || bytes.Equal(bytes.TrimSpace(f.V), jsonNull)
	if !clear {
		if json.Unmarshal(f.V, &av) != nil || json.Unmarshal(av.Value, &value) != nil {
			return unappliable, nil
		}
		clear = value.IsZero()
	}
	if clear {
		return applied, a.clearAnswer(rec.UUID, iv, q)
	}
	var (
		deleted   bool
		sensitive sql.NullBool
	)
	err := s.queryRow(`SELECT i.deleted_at IS NOT NULL, g.sensitive
		FROM interview AS i LEFT JOIN grid_question AS g
			ON g.grid_id = i.grid_id AND g.grid_version = i.grid_version AND g.question_id = ?
		WHERE i.uuid = ?`, q, iv).Scan(&deleted, &sensitive)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return waitingParent, nil
	case err != nil:
		return 0, fmt.Errorf("read interview: %w", err)
	case deleted:
		return applied, a.markDirty(rec.Kind, rec.UUID)
	}
	// The grid says where a question's answers live; the answer's own flag when the grid does
	// not know the question.
	sens := av.Sensitive
	if sensitive.Valid {
		sens = sensitive.Bool
	}
	canonical, err := json.Marshal(value)
	if err != nil {
		return 0, fmt.Errorf("encode answer: %w", err)
	}
	rating := nullInt(av.WorkerRating)
	var (
		oldValue, oldAnswered string
		oldRating             sql.NullInt64
		oldCorrection, oldSen bool
	)
	err = s.queryRow(`SELECT value, worker_rating, answered_at, correction, 0 FROM answer WHERE interview_uuid = ?1 AND question_id = ?2
		UNION ALL SELECT value, worker_rating, answered_at, correction, 1 FROM answer_sensitive WHERE interview_uuid = ?1 AND question_id = ?2
		LIMIT 1`, iv, q).Scan(&oldValue, &oldRating, &oldAnswered, &oldCorrection, &oldSen)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read answer: %w", err)
	}
	if exists && oldSen == sens && jsonEqual(json.RawMessage(oldValue), canonical) && oldRating == rating &&
		oldCorrection == av.Correction {
		return applied, nil
	}
	if exists {
		if av.Correction {
			// A correction from a colleague: the former answer goes to the history, as here.
			if _, err := s.exec(`INSERT INTO answer_history (interview_uuid, question_id, value, worker_rating,
				answered_at, replaced_at, sensitive) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				iv, q, oldValue, oldRating, oldAnswered, s.now, oldSen); err != nil {
				return 0, fmt.Errorf("keep former answer: %w", err)
			}
		}
		if oldSen != sens {
			if _, err := s.exec(`DELETE FROM `+answerTable(oldSen)+` WHERE interview_uuid = ? AND question_id = ?`, iv, q); err != nil {
				return 0, fmt.Errorf("move answer: %w", err)
			}
		}
	}
	if _, err := s.exec(`INSERT INTO `+answerTable(sens)+` (interview_uuid, question_id, value, worker_rating,
		answered_at, correction) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (interview_uuid, question_id) DO UPDATE SET value = excluded.value,
		worker_rating = excluded.worker_rating, answered_at = excluded.answered_at, correction = excluded.correction`,
		iv, q, string(canonical), rating, a.stampTime(f.HLC), av.Correction); err != nil {
		return 0, fmt.Errorf("write answer: %w", err)
	}
	return applied, a.logChange(domain.KindAnswer, rec.UUID, domain.OpUpsert)
}

// clearAnswer removes an answer (cleared, or a tombstone).
func (a *applier) clearAnswer(key, iv, q string) error {
	removed := int64(0)
	for _, table := range []string{"answer", "answer_sensitive"} {
		res, err := a.s.exec(`DELETE FROM `+table+` WHERE interview_uuid = ? AND question_id = ?`, iv, q)
		if err != nil {
			return fmt.Errorf("clear answer: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		removed += n
	}
	if removed == 0 {
		return nil
	}
	return a.logChange(domain.KindAnswer, key, domain.OpDelete)
}

func (a *applier) applySelection(rec domain.SyncRecord) (int, error) {
	s := a.s
	iv, sv, ok := splitPair(rec.UUID)
	if !ok {
		return unappliable, nil
	}
	d := &fieldDecoder{f: map[string]json.RawMessage{}}
	for name, f := range rec.Fields {
		d.f[name] = f.V
	}
	if rec.Deleted || !d.boolean("selected", true) {
		res, err := s.exec(`DELETE FROM selection WHERE interview_uuid = ? AND service_uuid = ?`, iv, sv)
		if err != nil {
			return 0, fmt.Errorf("untick: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return applied, err
		}
		return applied, a.logChange(domain.KindSelection, rec.UUID, domain.OpDelete)
	}
	st, _, err := s.interviewState(iv)
	switch {
	case err != nil:
		return 0, err
	case st == rowAbsent:
		return waitingParent, nil
	case st == rowDeleted:
		return applied, a.markDirty(rec.Kind, rec.UUID)
	}
	cur, err := s.readSelection(rec.UUID)
	if err != nil {
		return 0, err
	}
	want := overlay(cur.fields, rec)
	if _, ticked := cur.fields["why"]; ticked && sameFields(cur.fields, want) {
		return applied, nil
	}
	d = &fieldDecoder{f: want}
	args := []any{iv, sv, d.str("why", ""), d.str("domain", ""), d.str("selected_at", a.stampTime(rec.Fields["selected"].HLC))}
	if d.err != nil {
		return 0, d.err
	}
	if _, err := s.exec(`INSERT INTO selection (interview_uuid, service_uuid, why, domain, selected_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (interview_uuid, service_uuid) DO UPDATE SET why = excluded.why, domain = excluded.domain,
		selected_at = excluded.selected_at`, args...); err != nil {
		return 0, fmt.Errorf("tick: %w", err)
	}
	return applied, a.logChange(domain.KindSelection, rec.UUID, domain.OpUpsert)
}

func (a *applier) applyReferral(rec domain.SyncRecord) (int, error) {
	s := a.s
	cur, err := s.readReferral(rec.UUID)
	if err != nil {
		return 0, err
	}
	if rec.Deleted {
		if cur.state != rowLive {
			return applied, nil
		}
		if _, err := s.exec(`UPDATE referral SET deleted_at = ?, updated_at = ? WHERE uuid = ?`, s.now, s.now, rec.UUID); err != nil {
			return 0, fmt.Errorf("delete referral: %w", err)
		}
		return applied, a.logChange(domain.KindReferral, rec.UUID, domain.OpDelete)
	}
	if cur.state == rowDeleted {
		return applied, a.markDirty(rec.Kind, rec.UUID)
	}
	want := overlay(cur.fields, rec)
	d := &fieldDecoder{f: want}
	usager, interview := d.nullStr("usager_uuid"), d.nullStr("interview_uuid")
	var (
		ustate rowState
		anon   bool
	)
	if usager.Valid {
		if ustate, anon, err = a.usagerState(usager.String); err != nil {
			return 0, err
		}
		if ustate == rowAbsent {
			return waitingParent, nil
		}
	}
	if interview.Valid {
		st, _, err := s.interviewState(interview.String)
		if err != nil {
			return 0, err
		}
		if st == rowAbsent {
			return waitingParent, nil
		}
	}
	if cur.state != rowLive || !sameFields(cur.fields, want) {
		sheet := d.str("sheet_uuid", "")
		created := s.now
		if f, ok := rec.Fields["sheet_uuid"]; ok {
			created = a.stampTime(f.HLC) // when the sheet was made, the same on every desk
		}
		args := []any{rec.UUID, sheet, sheet, usager, interview, d.str("service_uuid", ""), d.str("service_name", ""),
			d.str("service_id", ""), d.str("need", ""), d.str("message", ""), d.boolean("include_health", false),
			d.str("worker_name", ""), d.str("edas", ""), d.str("worker_phone", ""), d.str("status", domain.ReferralDraft),
			d.str("follow_up_on", ""), created, s.now}
		if d.err != nil {
			return 0, d.err
		}
		if _, err := s.exec(`INSERT INTO referral (uuid, sheet_uuid, position, usager_uuid, interview_uuid, service_uuid,
			service_name, service_id, need, message, include_health, worker_name, edas, worker_phone, status, follow_up_on,
			created_at, updated_at) VALUES (?, ?, coalesce((SELECT max(position) + 1 FROM referral WHERE sheet_uuid = ?), 0),
			?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (uuid) DO UPDATE SET sheet_uuid = excluded.sheet_uuid, usager_uuid = excluded.usager_uuid,
			interview_uuid = excluded.interview_uuid, service_uuid = excluded.service_uuid,
			service_name = excluded.service_name, service_id = excluded.service_id, need = excluded.need,
			message = excluded.message, include_health = excluded.include_health, worker_name = excluded.worker_name,
			edas = excluded.edas, worker_phone = excluded.worker_phone, status = excluded.status,
			follow_up_on = excluded.follow_up_on, updated_at = excluded.updated_at`, args...); err != nil {
			return 0, fmt.Errorf("write referral: %w", err)
		}
		if cur.state == rowAbsent {
			a.sheets[sheet] = true
		}
		if err := a.logChange(domain.KindReferral, rec.UUID, domain.OpUpsert); err != nil {
			return 0, err
		}
	}
	if usager.Valid && (ustate == rowDeleted || anon) {
		// The file was erased or anonymised here: the referral loses the person, as here.
		return applied, detachReferrals(s.ctx, s.tx, `SELECT ?`, []any{usager.String}, s.now)
	}
	return applied, nil
}

func (a *applier) applyEvent(rec domain.SyncRecord) (int, error) {
	s := a.s
	var (
		referral string
		seq      int64
	)
	err := s.queryRow(`SELECT referral_uuid, seq FROM sync_event WHERE uuid = ?`, rec.UUID).Scan(&referral, &seq)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read referral step: %w", err)
	}
	if rec.Deleted {
		if !known {
			return applied, nil
		}
		if _, err := s.exec(`DELETE FROM referral_event WHERE referral_uuid = ? AND seq = ?`, referral, seq); err != nil {
			return 0, fmt.Errorf("delete referral step: %w", err)
		}
		if _, err := s.exec(`DELETE FROM sync_event WHERE uuid = ?`, rec.UUID); err != nil {
			return 0, fmt.Errorf("delete referral step: %w", err)
		}
		return applied, a.logChange(domain.KindReferral, referral, domain.OpUpsert)
	}
	cur, err := s.readEvent(rec.UUID)
	if err != nil {
		return 0, err
	}
	want := overlay(cur.fields, rec)
	if cur.state == rowLive && sameFields(cur.fields, want) {
		return applied, nil
	}
	d := &fieldDecoder{f: want}
	if !known {
		referral = d.str("referral_uuid", "")
	}
	var n int
	if err := s.queryRow(`SELECT count(*) FROM referral WHERE uuid = ?`, referral).Scan(&n); err != nil {
		return 0, fmt.Errorf("find referral: %w", err)
	}
	if n == 0 {
		return waitingParent, nil
	}
	status, at := d.str("status", ""), d.str("at", s.now)
	reason, reasonText, note := d.str("reason", ""), d.str("reason_text", ""), d.str("note", "")
	if d.err != nil {
		return 0, d.err
	}
	if known && cur.state == rowLive {
		if _, err := s.exec(`UPDATE referral_event SET status = ?, at = ?, reason = ?, reason_text = ?, note = ?
			WHERE referral_uuid = ? AND seq = ?`, status, at, reason, reasonText, note, referral, seq); err != nil {
			return 0, fmt.Errorf("write referral step: %w", err)
		}
	} else {
		// A step new here follows the referral's history as this desk knows it.
		if err := s.queryRow(`SELECT coalesce(max(seq), 0) + 1 FROM referral_event WHERE referral_uuid = ?`, referral).
			Scan(&seq); err != nil {
			return 0, fmt.Errorf("number referral step: %w", err)
		}
		if _, err := s.exec(`INSERT INTO referral_event (referral_uuid, seq, status, at, reason, reason_text, note)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, referral, seq, status, at, reason, reasonText, note); err != nil {
			return 0, fmt.Errorf("write referral step: %w", err)
		}
		if _, err := s.exec(`INSERT INTO sync_event (uuid, referral_uuid, seq) VALUES (?, ?, ?)
			ON CONFLICT (uuid) DO UPDATE SET referral_uuid = excluded.referral_uuid, seq = excluded.seq`,
			rec.UUID, referral, seq); err != nil {
			return 0, fmt.Errorf("name referral step: %w", err)
		}
		a.histories[referral] = true
	}
	return applied, a.logChange(domain.KindReferral, referral, domain.OpUpsert)
}
