package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
)

// progressEvery is how many records ApplyImport writes between two progress reports.
const progressEvery = 1000

// PhaseSaving is the progress phase ApplyImport reports.
const PhaseSaving = "enregistrement"

// ApplyImport writes the batch in one transaction: structures first, then services, each matched
// on its UUID (Meta.UUID, or domain.RecordUUID of its identifier when empty) and given the batch's
// origin. A record whose content and origin equal the stored ones is not rewritten and gets no
// change-log row; a soft-deleted record that comes back is restored and counts as updated, and so
// does a deleted structure that a live service of the batch needs. created_at is kept on update.
//
// A service's structure is found by its data·inclusion identifier (structure_id qualified with the
// service's source, else structure_id as it is) among the batch's structures, then the stored
// ones. Returns EINVALID, and writes nothing, when a service's structure is found in neither, when
// a record has no identifier or when two records with different UUIDs share one identifier.
//
// progress is called every 1000 records and at the end, inside the write transaction: it may
// read from the store but must not write to it (it would wait for itself).
func (db *DB) ApplyImport(ctx context.Context, batch domain.ImportBatch, progress domain.ProgressFunc) (domain.ImportCounts, error) {
	var counts domain.ImportCounts
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var err error
		counts, err = db.applyImport(ctx, tx, batch, progress)
		return err
	})
	if err != nil {
		return domain.ImportCounts{}, fmt.Errorf("apply import: %w", err)
	}
	return counts, nil
}

// recordState is what an import needs to know of a stored record, without decoding it.
type recordState struct {
	diID          string
	hash          string
	origin        domain.Origin
	deleted       bool
	structureUUID string // services only
}

func (db *DB) applyImport(ctx context.Context, tx *sql.Tx, batch domain.ImportBatch, progress domain.ProgressFunc) (domain.ImportCounts, error) {
	var counts domain.ImportCounts
	if batch.Origin == "" {
		return counts, domain.Errorf(domain.EINVALID, "L’import n’indique pas l’origine de ses fiches.")
	}
	now := formatTime(db.clock())

	// One query per table rather than one per record: re-importing a file of 100,000 records
	// that barely changed must stay fast.
	structures, err := loadStates(ctx, tx, `SELECT uuid, di_id, hash, origin, deleted_at IS NOT NULL, '' FROM structure`)
	if err != nil {
		return counts, fmt.Errorf("load structures: %w", err)
	}
	services, err := loadStates(ctx, tx, `SELECT uuid, di_id, hash, origin, deleted_at IS NOT NULL, structure_uuid FROM service`)
	if err != nil {
		return counts, fmt.Errorf("load services: %w", err)
	}

	// Resolve every identity before writing, so that a bad batch fails without work thrown away.
	stUUIDs, stByDI, err := resolveStructures(batch.Structures, structures)
	if err != nil {
		return counts, err
	}
	svUUIDs, svStructures, err := resolveServices(batch.Services, services, stByDI)
	if err != nil {
		return counts, err
	}

	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return counts, err
	}
	defer w.close()

	total := len(batch.Structures) + len(batch.Services)
	done := 0
	step := func() {
		done++
		if done%progressEvery == 0 {
			progress.Report(domain.ImportProgress{Phase: PhaseSaving, Done: done, Total: total})
		}
	}

	for i := range batch.Structures {
		st := &batch.Structures[i]
		rec, err := encodeRecord(stUUIDs[i], st.Source, st.ID, st, st.Extra)
		if err != nil {
			return counts, fmt.Errorf("structure %s: %w", st.ID, err)
		}
		old, ok := structures[rec.uuid]
		if ok && !old.deleted && old.hash == rec.hash && old.origin == batch.Origin {
			counts.Unchanged++
		} else {
			if ok {
				_, err = w.updateStructure.ExecContext(ctx, rec.diID, rec.source, batch.Origin, rec.data, rec.extra, rec.hash, now, rec.uuid)
				counts.Updated++
			} else {
				_, err = w.insertStructure.ExecContext(ctx, rec.uuid, rec.diID, rec.source, batch.Origin, rec.data, rec.extra, rec.hash, now, now)
				counts.Imported++
			}
			if err != nil {
				return counts, fmt.Errorf("write structure %s: %w", st.ID, err)
			}
			if err := w.log(ctx, domain.KindStructure, rec.uuid, domain.OpUpsert, now); err != nil {
				return counts, err
			}
			structures[rec.uuid] = recordState{diID: rec.diID, hash: rec.hash, origin: batch.Origin}
		}
		step()
	}

	// A live service needs a live structure: restore a deleted stored one it points to (after the
	// queued change-log rows, which keeps the log in the order of the writes).
	if err := w.flush(ctx); err != nil {
		return counts, err
	}
	for _, su := range svStructures {
		if old := structures[su]; old.deleted {
			if err := reviveStructure(ctx, tx, su, now); err != nil {
				return counts, err
			}
			old.deleted = false
			structures[su] = old
			counts.Updated++
		}
	}

	for i := range batch.Services {
		sv := &batch.Services[i]
		rec, err := encodeRecord(svUUIDs[i], sv.Source, sv.ID, sv, sv.Extra)
		if err != nil {
			return counts, fmt.Errorf("service %s: %w", sv.ID, err)
		}
		su := svStructures[i]
		old, ok := services[rec.uuid]
		if ok && !old.deleted && old.hash == rec.hash && old.origin == batch.Origin && old.structureUUID == su {
			counts.Unchanged++
		} else {
			if ok {
				_, err = w.updateService.ExecContext(ctx, rec.diID, rec.source, su, batch.Origin, rec.data, rec.extra, rec.hash, now, rec.uuid)
				counts.Updated++
			} else {
				_, err = w.insertService.ExecContext(ctx, rec.uuid, rec.diID, rec.source, su, batch.Origin, rec.data, rec.extra, rec.hash, now, now)
				counts.Imported++
			}
			if err != nil {
				return counts, fmt.Errorf("write service %s: %w", sv.ID, err)
			}
			if err := w.log(ctx, domain.KindService, rec.uuid, domain.OpUpsert, now); err != nil {
				return counts, err
			}
			services[rec.uuid] = recordState{diID: rec.diID, hash: rec.hash, origin: batch.Origin, structureUUID: su}
		}
		step()
	}
	if err := w.flush(ctx); err != nil {
		return counts, err
	}
	if done%progressEvery != 0 {
		progress.Report(domain.ImportProgress{Phase: PhaseSaving, Done: done, Total: total})
	}
	return counts, nil
}

// loadStates reads query's rows (uuid, di_id, hash, origin, deleted, structure_uuid) by UUID.
func loadStates(ctx context.Context, tx *sql.Tx, query string) (map[string]recordState, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	states := make(map[string]recordState)
	for rows.Next() {
		var uuid string
		var s recordState
		if err := rows.Scan(&uuid, &s.diID, &s.hash, &s.origin, &s.deleted, &s.structureUUID); err != nil {
			return nil, err
		}
		states[uuid] = s
	}
	return states, rows.Err()
}

// resolveStructures returns the UUID of each batch structure and the UUID of every structure,
// stored or in the batch, by data·inclusion identifier.
func resolveStructures(batch []domain.Structure, stored map[string]recordState) ([]string, map[string]string, error) {
	byDI := make(map[string]string, len(stored)+len(batch))
	for uuid, s := range stored {
		byDI[s.diID] = uuid
	}
	uuids := make([]string, len(batch))
	for i := range batch {
		st := &batch[i]
		if st.ID == "" {
			return nil, nil, domain.Errorf(domain.EINVALID, "La structure « %s » n’a pas d’identifiant.", st.Nom)
		}
		uuid, di := structureUUID(st), domain.QualifiedID(st.Source, st.ID)
		if other, ok := byDI[di]; ok && other != uuid {
			return nil, nil, domain.Errorf(domain.EINVALID,
				"La structure « %s » (%s) porte l’identifiant d’une autre fiche de l’annuaire.", st.Nom, di)
		}
		// A record whose identifier changed under the same UUID no longer answers to the old one.
		if old, ok := stored[uuid]; ok && old.diID != di && byDI[old.diID] == uuid {
			delete(byDI, old.diID)
		}
		byDI[di] = uuid
		uuids[i] = uuid
	}
	return uuids, byDI, nil
}

// resolveServices returns the UUID of each batch service and the UUID of its structure.
func resolveServices(batch []domain.Service, stored map[string]recordState, structures map[string]string) ([]string, []string, error) {
	byDI := make(map[string]string, len(stored))
	for uuid, s := range stored {
		byDI[s.diID] = uuid
	}
	uuids := make([]string, len(batch))
	parents := make([]string, len(batch))
	for i := range batch {
		sv := &batch[i]
		if sv.ID == "" {
			return nil, nil, domain.Errorf(domain.EINVALID, "Le service « %s » n’a pas d’identifiant.", sv.Nom)
		}
		uuid, di := serviceUUID(sv), domain.QualifiedID(sv.Source, sv.ID)
		if other, ok := byDI[di]; ok && other != uuid {
			return nil, nil, domain.Errorf(domain.EINVALID,
				"Le service « %s » (%s) porte l’identifiant d’une autre fiche de l’annuaire.", sv.Nom, di)
		}
		if old, ok := stored[uuid]; ok && old.diID != di && byDI[old.diID] == uuid {
			delete(byDI, old.diID)
		}
		byDI[di] = uuid
		parent, ok := structureOf(sv, structures)
		if !ok {
			return nil, nil, domain.Errorf(domain.EINVALID,
				"Le service « %s » (%s) renvoie à la structure « %s », qui n’est ni dans l’import ni dans l’annuaire.",
				sv.Nom, di, sv.StructureID)
		}
		uuids[i], parents[i] = uuid, parent
	}
	return uuids, parents, nil
}

// structureOf finds the UUID of sv's structure among structures (by data·inclusion identifier).
// structure_id is normally an identifier of the service's own source; a service proposed on the
// desk for a structure of another source carries that structure's full identifier instead.
func structureOf(sv *domain.Service, structures map[string]string) (string, bool) {
	if u, ok := structures[domain.QualifiedID(sv.Source, sv.StructureID)]; ok {
		return u, true
	}
	u, ok := structures[sv.StructureID]
	return u, ok
}

func structureUUID(st *domain.Structure) string {
	if st.UUID != "" {
		return st.UUID
	}
	return domain.RecordUUID(domain.KindStructure, st.Source, st.ID)
}

func serviceUUID(sv *domain.Service) string {
	if sv.UUID != "" {
		return sv.UUID
	}
	return domain.RecordUUID(domain.KindService, sv.Source, sv.ID)
}

// encoded is a record ready to be written.
type encoded struct {
	uuid   string
	diID   string
	source string
	data   string
	extra  sql.NullString
	hash   string
}

// encodeRecord encodes a structure or service (v) and its Extra fields as stored.
func encodeRecord(uuid, source, id string, v any, extra map[string]json.RawMessage) (encoded, error) {
	rec := encoded{uuid: uuid, diID: domain.QualifiedID(source, id), source: source}
	data, err := json.Marshal(v)
	if err != nil {
		return rec, fmt.Errorf("encode: %w", err)
	}
	h := sha256.New()
	h.Write(data)
	if len(extra) > 0 {
		// encoding/json sorts map keys, so equal maps give equal text and equal hashes.
		x, err := json.Marshal(extra)
		if err != nil {
			return rec, fmt.Errorf("encode extra fields: %w", err)
		}
		rec.extra = sql.NullString{String: string(x), Valid: true}
		h.Write([]byte{0})
		h.Write(x)
	}
	// 128 bits are plenty to tell a changed record; the full digest would only take room.
	rec.data, rec.hash = string(data), hex.EncodeToString(h.Sum(nil)[:16])
	return rec, nil
}

// writer holds the statements an import prepares once and runs for every record. Change-log rows
// are queued and written changeBatch at a time with one multi-row INSERT: an import of 100,000
// records would otherwise pay a statement round trip per row twice.
type writer struct {
	insertStructure, updateStructure *sql.Stmt
	insertService, updateService     *sql.Stmt
	insertChange, insertChanges      *sql.Stmt
	queued                           []any // kind, uuid, op, changed_at of rows not yet written
}

// changeBatch is the number of change-log rows per multi-row INSERT (4 parameters each, well
// under SQLite's limit on parameters).
const changeBatch = 128

func prepareWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{}
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&w.insertStructure, `INSERT INTO structure (uuid, di_id, source, origin, data, extra, hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.updateStructure, `UPDATE structure SET di_id = ?, source = ?, origin = ?, data = ?, extra = ?, hash = ?,
			updated_at = ?, deleted_at = NULL WHERE uuid = ?`},
		{&w.insertService, `INSERT INTO service (uuid, di_id, source, structure_uuid, origin, data, extra, hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.updateService, `UPDATE service SET di_id = ?, source = ?, structure_uuid = ?, origin = ?, data = ?, extra = ?,
			hash = ?, updated_at = ?, deleted_at = NULL WHERE uuid = ?`},
		{&w.insertChange, insertChangeSQL},
		{&w.insertChanges, insertChangeSQL + strings.Repeat(", (?, ?, ?, ?)", changeBatch-1)},
	} {
		stmt, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		*p.stmt = stmt
	}
	return w, nil
}

// log queues a change-log row; flush writes the queue. Rows keep their order, so sequence
// numbers follow the order of the writes.
func (w *writer) log(ctx context.Context, kind, uuid, op, at string) error {
	w.queued = append(w.queued, kind, uuid, op, at)
	if len(w.queued) == 4*changeBatch {
		if _, err := w.insertChanges.ExecContext(ctx, w.queued...); err != nil {
			return fmt.Errorf("log changes: %w", err)
		}
		w.queued = w.queued[:0]
	}
	return nil
}

// flush writes the queued change-log rows; call it before the transaction commits.
func (w *writer) flush(ctx context.Context) error {
	for q := w.queued; len(q) > 0; q = q[4:] {
		if _, err := w.insertChange.ExecContext(ctx, q[:4]...); err != nil {
			return fmt.Errorf("log change: %w", err)
		}
	}
	w.queued = w.queued[:0]
	return nil
}

func (w *writer) close() {
	for _, s := range []*sql.Stmt{w.insertStructure, w.updateStructure, w.insertService, w.updateService, w.insertChange, w.insertChanges} {
		if s != nil {
			s.Close()
		}
	}
}

const insertChangeSQL = `INSERT INTO change_log (kind, uuid, op, changed_at) VALUES (?, ?, ?, ?)`

// logChange appends a change-log row in tx.
func logChange(ctx context.Context, tx *sql.Tx, kind, uuid, op, at string) error {
	if _, err := tx.ExecContext(ctx, insertChangeSQL, kind, uuid, op, at); err != nil {
		return fmt.Errorf("log change: %w", err)
	}
	return nil
}

// reviveStructure restores a soft-deleted structure (a live service needs it) and logs it.
func reviveStructure(ctx context.Context, tx *sql.Tx, uuid, now string) error {
	res, err := tx.ExecContext(ctx,
		`UPDATE structure SET deleted_at = NULL, updated_at = ? WHERE uuid = ? AND deleted_at IS NOT NULL`, now, uuid)
	if err != nil {
		return fmt.Errorf("restore structure: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return logChange(ctx, tx, domain.KindStructure, uuid, domain.OpUpsert, now)
}

// recordColumns are the columns queryRecords scans, in order.
const recordColumns = `uuid, origin, data, extra, created_at, updated_at, deleted_at`

// queryRecords runs query and calls fn with each row's metadata and JSON columns. data and extra
// are only valid during the call (nil extra for NULL).
func queryRecords(ctx context.Context, tx *sql.Tx, query string, args []any,
	fn func(m domain.Meta, data, extra []byte) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		data, extra      sql.RawBytes
		created, updated string
		deleted          sql.NullString
	)
	for rows.Next() {
		var m domain.Meta
		if err := rows.Scan(&m.UUID, &m.Origin, &data, &extra, &created, &updated, &deleted); err != nil {
			return err
		}
		if m.CreatedAt, err = parseTime(created); err != nil {
			return err
		}
		if m.UpdatedAt, err = parseTime(updated); err != nil {
			return err
		}
		if m.DeletedAt, err = parseNullTime(deleted); err != nil {
			return err
		}
		if err := fn(m, data, extra); err != nil {
			return fmt.Errorf("record %s: %w", m.UUID, err)
		}
	}
	return rows.Err()
}

func decodeStructure(m domain.Meta, data, extra []byte) (domain.Structure, error) {
	var st domain.Structure
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("decode: %w", err)
	}
	st.Meta = m
	var err error
	st.Extra, err = decodeExtra(extra)
	return st, err
}

func decodeService(m domain.Meta, data, extra []byte) (domain.Service, error) {
	var sv domain.Service
	if err := json.Unmarshal(data, &sv); err != nil {
		return sv, fmt.Errorf("decode: %w", err)
	}
	sv.Meta = m
	var err error
	sv.Extra, err = decodeExtra(extra)
	return sv, err
}

func decodeExtra(extra []byte) (map[string]json.RawMessage, error) {
	if extra == nil {
		return nil, nil
	}
	var x map[string]json.RawMessage
	if err := json.Unmarshal(extra, &x); err != nil {
		return nil, fmt.Errorf("decode extra fields: %w", err)
	}
	return x, nil
}

// Structure returns the structure with this UUID, deleted or not. ENOTFOUND when unknown.
func (db *DB) Structure(ctx context.Context, uuid string) (domain.Structure, error) {
	var st domain.Structure
	found := false
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		return queryRecords(ctx, tx, `SELECT `+recordColumns+` FROM structure WHERE uuid = ?`, []any{uuid},
			func(m domain.Meta, data, extra []byte) error {
				var err error
				st, err = decodeStructure(m, data, extra)
				found = true
				return err
			})
	})
	if err == nil && !found {
		err = domain.Errorf(domain.ENOTFOUND, "Aucune structure de l’annuaire n’a l’identifiant %s.", uuid)
	}
	if err != nil {
		return domain.Structure{}, fmt.Errorf("structure %s: %w", uuid, err)
	}
	return st, nil
}

// Service returns the service with this UUID, deleted or not. ENOTFOUND when unknown.
func (db *DB) Service(ctx context.Context, uuid string) (domain.Service, error) {
	var sv domain.Service
	found := false
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		return queryRecords(ctx, tx, `SELECT `+recordColumns+` FROM service WHERE uuid = ?`, []any{uuid},
			func(m domain.Meta, data, extra []byte) error {
				var err error
				sv, err = decodeService(m, data, extra)
				found = true
				return err
			})
	})
	if err == nil && !found {
		err = domain.Errorf(domain.ENOTFOUND, "Aucun service de l’annuaire n’a l’identifiant %s.", uuid)
	}
	if err != nil {
		return domain.Service{}, fmt.Errorf("service %s: %w", uuid, err)
	}
	return sv, nil
}

// CountServices returns the number of live services.
func (db *DB) CountServices(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM service WHERE deleted_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count services: %w", err)
	}
	return n, nil
}

// CountServicesOfOrigin returns the number of live services of one origin.
func (db *DB) CountServicesOfOrigin(ctx context.Context, origin domain.Origin) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM service WHERE deleted_at IS NULL AND origin = ?`, origin).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count services of origin %s: %w", origin, err)
	}
	return n, nil
}

// CreateProposal stores an initiative proposed on this desk, with OriginProposal: st when its
// UUID is not stored yet (a stored one is kept as it is, and restored if it was deleted), then sv.
// sv.StructureID must designate st. The proposal is also queued for the directory's curators (a
// suggestion sent at the next sync). Returns EINVALID when sv's UUID or identifier is already
// stored, when a record has no identifier, or when sv does not belong to st.
func (db *DB) CreateProposal(ctx context.Context, st domain.Structure, sv domain.Service) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if err := db.createProposal(ctx, tx, &st, &sv); err != nil {
			return err
		}
		return db.queueProposal(ctx, tx, &st, &sv)
	})
	if err != nil {
		return fmt.Errorf("create proposal: %w", err)
	}
	return nil
}

func (db *DB) createProposal(ctx context.Context, tx *sql.Tx, st *domain.Structure, sv *domain.Service) error {
	if st.ID == "" || sv.ID == "" {
		return domain.Errorf(domain.EINVALID, "La proposition doit identifier sa structure et son service.")
	}
	now := formatTime(db.clock())
	stUUID, svUUID := structureUUID(st), serviceUUID(sv)
	stDI, svDI := domain.QualifiedID(st.Source, st.ID), domain.QualifiedID(sv.Source, sv.ID)

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM service WHERE uuid = ? OR di_id = ?`, svUUID, svDI).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.Errorf(domain.EINVALID, "Le service « %s » est déjà dans l’annuaire.", sv.Nom)
	}

	var storedDI string
	var deleted bool
	err := tx.QueryRowContext(ctx, `SELECT di_id, deleted_at IS NOT NULL FROM structure WHERE uuid = ?`, stUUID).
		Scan(&storedDI, &deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		rec, err := encodeRecord(stUUID, st.Source, st.ID, st, st.Extra)
		if err != nil {
			return fmt.Errorf("structure: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO structure (uuid, di_id, source, origin, data, extra, hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rec.uuid, rec.diID, rec.source, domain.OriginProposal, rec.data, rec.extra, rec.hash, now, now); err != nil {
			if isUniqueViolation(err) {
				return domain.Errorf(domain.EINVALID,
					"La structure « %s » (%s) porte l’identifiant d’une autre fiche de l’annuaire.", st.Nom, stDI)
			}
			return fmt.Errorf("insert structure: %w", err)
		}
		if err := logChange(ctx, tx, domain.KindStructure, stUUID, domain.OpUpsert, now); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("read structure: %w", err)
	default:
		stDI = storedDI
		if deleted {
			if err := reviveStructure(ctx, tx, stUUID, now); err != nil {
				return err
			}
		}
	}

	if parent, ok := structureOf(sv, map[string]string{stDI: stUUID}); !ok || parent != stUUID {
		return domain.Errorf(domain.EINVALID,
			"Le service proposé « %s » renvoie à la structure « %s » au lieu de « %s ».", sv.Nom, sv.StructureID, stDI)
	}
	rec, err := encodeRecord(svUUID, sv.Source, sv.ID, sv, sv.Extra)
	if err != nil {
		return fmt.Errorf("service: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO service (uuid, di_id, source, structure_uuid, origin, data, extra, hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.uuid, rec.diID, rec.source, stUUID, domain.OriginProposal, rec.data, rec.extra, rec.hash, now, now); err != nil {
		return fmt.Errorf("insert service: %w", err)
	}
	return logChange(ctx, tx, domain.KindService, svUUID, domain.OpUpsert, now)
}

// SetServiceDeleted soft-deletes (deleted=true) or restores a service; restoring it also restores
// its structure when that was deleted. Asking for the state the service is already in changes
// nothing. ENOTFOUND when the service is unknown.
func (db *DB) SetServiceDeleted(ctx context.Context, uuid string, deleted bool) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var parent string
		var isDeleted bool
		err := tx.QueryRowContext(ctx, `SELECT structure_uuid, deleted_at IS NOT NULL FROM service WHERE uuid = ?`, uuid).
			Scan(&parent, &isDeleted)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Aucun service de l’annuaire n’a l’identifiant %s.", uuid)
		} else if err != nil {
			return err
		}
		if isDeleted == deleted {
			return nil
		}
		now := formatTime(db.clock())
		if deleted {
			if _, err := tx.ExecContext(ctx, `UPDATE service SET deleted_at = ?, updated_at = ? WHERE uuid = ?`, now, now, uuid); err != nil {
				return err
			}
			return logChange(ctx, tx, domain.KindService, uuid, domain.OpDelete, now)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service SET deleted_at = NULL, updated_at = ? WHERE uuid = ?`, now, uuid); err != nil {
			return err
		}
		if err := logChange(ctx, tx, domain.KindService, uuid, domain.OpUpsert, now); err != nil {
			return err
		}
		return reviveStructure(ctx, tx, parent, now)
	})
	if err != nil {
		if deleted {
			return fmt.Errorf("delete service: %w", err)
		}
		return fmt.Errorf("restore service: %w", err)
	}
	return nil
}

// DeleteOrigin soft-deletes every live service of origin, then every live structure of origin
// that no live service needs any more (a worker's proposal may hang on a demo structure), and
// returns the number of services deleted.
func (db *DB) DeleteOrigin(ctx context.Context, origin domain.Origin) (int, error) {
	var deleted int64
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		now := formatTime(db.clock())
		// The change-log rows are selected before the update: after it the rows no longer match.
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
			SELECT ?, uuid, ?, ? FROM service WHERE origin = ? AND deleted_at IS NULL ORDER BY rowid`,
			domain.KindService, domain.OpDelete, now, origin); err != nil {
			return fmt.Errorf("log services: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE service SET deleted_at = ?, updated_at = ? WHERE origin = ? AND deleted_at IS NULL`,
			now, now, origin)
		if err != nil {
			return fmt.Errorf("delete services: %w", err)
		}
		if deleted, err = res.RowsAffected(); err != nil {
			return err
		}

		const orphan = `origin = ? AND deleted_at IS NULL AND NOT EXISTS (
			SELECT 1 FROM service WHERE service.structure_uuid = structure.uuid AND service.deleted_at IS NULL)`
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
			SELECT ?, uuid, ?, ? FROM structure WHERE `+orphan+` ORDER BY rowid`,
			domain.KindStructure, domain.OpDelete, now, origin); err != nil {
			return fmt.Errorf("log structures: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE structure SET deleted_at = ?, updated_at = ? WHERE `+orphan,
			now, now, origin); err != nil {
			return fmt.Errorf("delete structures: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delete origin %s: %w", origin, err)
	}
	return int(deleted), nil
}

// DefaultChangesLimit is how many change-log rows Changes returns when asked for limit <= 0.
const DefaultChangesLimit = 1000

// Changes returns the change-log rows after afterSeq, oldest first, at most limit
// (DefaultChangesLimit when limit <= 0).
func (db *DB) Changes(ctx context.Context, afterSeq int64, limit int) ([]domain.Change, error) {
	if limit <= 0 {
		limit = DefaultChangesLimit
	}
	var changes []domain.Change
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx,
			`SELECT seq, kind, uuid, op, changed_at FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c domain.Change
			var at string
			if err := rows.Scan(&c.Seq, &c.Kind, &c.UUID, &c.Op, &at); err != nil {
				return err
			}
			if c.ChangedAt, err = parseTime(at); err != nil {
				return err
			}
			changes = append(changes, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	return changes, nil
}
