package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/edas92/passerelle/internal/domain"
)

// InTx runs fn in one write transaction, committed when fn returns nil and rolled back (nothing
// of it persists) when fn returns an error or panics; InTx then returns fn's error as it is, so
// that its domain code reaches the caller. Transactions are serialized by the single writer:
// fn must not call the ServerDB's own methods (it would wait for itself), and tx must not be used
// after fn returns.
func (s *ServerDB) InTx(ctx context.Context, fn func(tx domain.ServerTx) error) error {
	var fnErr error
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		stx := &serverTx{db: s.db, tx: tx}
		if fnErr = fn(stx); fnErr != nil {
			return fnErr
		}
		return stx.finish(ctx)
	})
	if fnErr != nil {
		return fnErr
	} else if err != nil {
		return fmt.Errorf("server transaction: %w", err)
	}
	return nil
}

// serverTx is the domain.ServerTx of one InTx call.
//
// The server version counter is read once, on the first PutRecord, then counted in memory and
// written back when fn succeeds: a push of 100 records costs one statement per record. The
// single writer holds the write lock for the whole transaction, so nobody else can move the
// counter meanwhile; a rollback drops the counted versions with the records that used them.
type serverTx struct {
	db      *DB
	tx      *sql.Tx
	version int64 // the last version given; valid when loaded
	loaded  bool
	dirty   bool // version must be written back

	// Prepared on first use, for the pushes that read and write a record per mutation; the
	// transaction closes them.
	get, put *sql.Stmt
}

var _ domain.ServerTx = (*serverTx)(nil)

// finish writes the version counter back before the commit.
func (t *serverTx) finish(ctx context.Context) error {
	if !t.dirty {
		return nil
	}
	_, err := t.tx.ExecContext(ctx, `UPDATE meta SET version = ? WHERE id = 1`, t.version)
	return err
}

// syncRecordColumns are the columns scanRecord reads, in its order.
const syncRecordColumns = `kind, uuid, site, version, deleted, deleted_hlc, fields, conflicts`

// The statements of a push and a pull, prepared once when the store opens.
const (
	getRecordSQL = `SELECT ` + syncRecordColumns + ` FROM record WHERE kind = ? AND uuid = ?`
	// The update happens only within the record's scope: `IS` compares NULLs (global) too.
	putRecordSQL = `INSERT INTO record (` + syncRecordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, uuid) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
			deleted_hlc = excluded.deleted_hlc, fields = excluded.fields, conflicts = excluded.conflicts
		WHERE record.site IS excluded.site`
	pullMetaSQL = `SELECT version, tombstone_floor FROM meta WHERE id = 1`
	// Two ranges of record_scope, each in version order, merged: never a scan of the other
	// sites' versions. One more row than asked tells whether others follow.
	pullPageSQL = `SELECT ` + syncRecordColumns + ` FROM record WHERE site = ?1 AND version > ?2
		UNION ALL
		SELECT ` + syncRecordColumns + ` FROM record WHERE site IS NULL AND version > ?2
		ORDER BY version LIMIT ?3`
)

// prepareHotPaths prepares the statements of a push and a pull on their pools.
func (s *ServerDB) prepareHotPaths(ctx context.Context) error {
	if err := s.db.prepare(ctx, s.db.write, getRecordSQL, putRecordSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if err := s.db.prepare(ctx, s.db.read, pullMetaSQL, pullPageSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	return nil
}

// Record returns a record's state (a tombstone too); found is false when the server never saw
// it, or dropped its tombstone.
func (t *serverTx) Record(ctx context.Context, kind, uuid string) (domain.SyncRecord, bool, error) {
	if t.get == nil {
		stmt, err := t.db.txStmt(ctx, t.tx, t.db.write, getRecordSQL)
		if err != nil {
			return domain.SyncRecord{}, false, fmt.Errorf("read record: %w", err)
		}
		t.get = stmt
	}
	rec, err := scanRecord(t.get.QueryRowContext(ctx, kind, uuid))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.SyncRecord{}, false, nil
	} else if err != nil {
		return domain.SyncRecord{}, false, fmt.Errorf("read record %s %s: %w", kind, uuid, err)
	}
	return rec, true, nil
}

// PutRecord stores a record's new state, replacing the previous one, gives it the next server
// version and returns it (rec.Version is ignored). A tombstone (Deleted) is stored with no fields
// and no conflicts whatever rec holds: erased data must not stay on the server. EINVALID for an
// empty kind or uuid, or a field that is not JSON; ENOTFOUND for an unknown site; ECONFLICT when
// the record exists in another scope (another site, or global): a record never changes site,
// which is the store's own guard of « no write to another site's record ».
func (t *serverTx) PutRecord(ctx context.Context, rec domain.SyncRecord) (int64, error) {
	v, err := t.putRecord(ctx, rec)
	if err != nil {
		return 0, fmt.Errorf("put record %s %s: %w", rec.Kind, rec.UUID, err)
	}
	return v, nil
}

func (t *serverTx) putRecord(ctx context.Context, rec domain.SyncRecord) (int64, error) {
	if rec.Kind == "" || rec.UUID == "" {
		return 0, domain.Errorf(domain.EINVALID, "Un enregistrement synchronisé doit avoir un type et un identifiant.")
	}
	fields, conflicts := "{}", sql.NullString{}
	deletedHLC := sql.NullString{}
	if rec.Deleted {
		deletedHLC = sql.NullString{String: rec.DeletedAt, Valid: true}
	} else {
		if len(rec.Fields) > 0 {
			b, err := json.Marshal(rec.Fields)
			if err != nil {
				return 0, domain.Errorf(domain.EINVALID, "Les champs de l’enregistrement ne sont pas du JSON valide.")
			}
			fields = string(b)
		}
		if len(rec.Conflicts) > 0 {
			b, err := json.Marshal(rec.Conflicts)
			if err != nil {
				return 0, domain.Errorf(domain.EINVALID, "Les réponses en conflit ne sont pas du JSON valide.")
			}
			conflicts = sql.NullString{String: string(b), Valid: true}
		}
	}
	site := sql.NullString{String: rec.Site, Valid: rec.Site != ""}

	if !t.loaded {
		if err := t.tx.QueryRowContext(ctx, `SELECT version FROM meta WHERE id = 1`).Scan(&t.version); err != nil {
			return 0, err
		}
		t.loaded = true
	}
	if t.put == nil {
		stmt, err := t.db.txStmt(ctx, t.tx, t.db.write, putRecordSQL)
		if err != nil {
			return 0, err
		}
		t.put = stmt
	}
	v := t.version + 1
	res, err := t.put.ExecContext(ctx, rec.Kind, rec.UUID, site, v, rec.Deleted, deletedHLC, fields, conflicts)
	if isForeignKeyViolation(err) {
		return 0, domain.Errorf(domain.ENOTFOUND, "Aucun site n’a l’identifiant %s.", rec.Site)
	} else if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, domain.Errorf(domain.ECONFLICT, "Cet enregistrement appartient à un autre site.")
	}
	t.version, t.dirty = v, true
	return v, nil
}

// Device returns a device with its last applied mutation id. ENOTFOUND.
func (t *serverTx) Device(ctx context.Context, id string) (domain.Device, error) {
	dev, err := scanDevice(t.tx.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM device WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Device{}, errNoDevice(id)
	} else if err != nil {
		return domain.Device{}, fmt.Errorf("read device: %w", err)
	}
	return dev, nil
}

// SetLastMutation records the highest mutation id applied for a device. EINVALID for a negative
// id, ENOTFOUND for an unknown device.
func (t *serverTx) SetLastMutation(ctx context.Context, deviceID string, id int64) error {
	if id < 0 {
		return domain.Errorf(domain.EINVALID, "Un numéro de modification ne peut pas être négatif (%d).", id)
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE device SET last_mutation = ? WHERE id = ?`, id, deviceID)
	if err != nil {
		return fmt.Errorf("set last mutation: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("set last mutation: %w", err)
	} else if n == 0 {
		return errNoDevice(deviceID)
	}
	return nil
}

// scanRecord reads a record row of syncRecordColumns.
func scanRecord(row interface{ Scan(...any) error }) (domain.SyncRecord, error) {
	var rec domain.SyncRecord
	var site, deletedHLC, conflicts sql.NullString
	var fields string
	if err := row.Scan(&rec.Kind, &rec.UUID, &site, &rec.Version, &rec.Deleted, &deletedHLC, &fields, &conflicts); err != nil {
		return domain.SyncRecord{}, err
	}
	rec.Site, rec.DeletedAt = site.String, deletedHLC.String
	// Never nil: an empty record travels as "fields": {}.
	rec.Fields = map[string]domain.FieldValue{}
	if err := json.Unmarshal([]byte(fields), &rec.Fields); err != nil {
		return domain.SyncRecord{}, fmt.Errorf("decode fields of %s %s: %w", rec.Kind, rec.UUID, err)
	}
	if conflicts.Valid {
		if err := json.Unmarshal([]byte(conflicts.String), &rec.Conflicts); err != nil {
			return domain.SyncRecord{}, fmt.Errorf("decode conflicts of %s %s: %w", rec.Kind, rec.UUID, err)
		}
	}
	return rec, nil
}

// Pull returns the records of a site's scope (the site's, and the global ones) whose version is
// above cursor, in version order, at most limit, each in its current state. More says whether
// others follow. Cursor is the version of the last record returned when More is set, and
// otherwise the server's version: the desk has then seen its whole scope up to it, so its next
// cursor never falls below the tombstone floor only because its own site was quiet.
//
// EINVALID for a negative cursor or a limit below 1. ERESYNC when the cursor is older than the
// tombstone floor (0 is always served: a full resync), and when it is ahead of the server's
// version: the server lost writes the desk had seen (restored from a backup) and the desk must
// pull its whole scope again.
func (s *ServerDB) Pull(ctx context.Context, siteID string, cursor int64, limit int) (domain.PullResult, error) {
	res := domain.PullResult{Changes: []domain.SyncRecord{}}
	var err error
	res.Cursor, res.More, err = s.pull(ctx, siteID, cursor, limit, func(rows *sql.Rows) (int64, error) {
		rec, err := scanRecord(rows)
		if err != nil {
			return 0, err
		}
		res.Changes = append(res.Changes, rec)
		return rec.Version, nil
	})
	if err != nil {
		return domain.PullResult{}, err
	}
	res.Changes = res.Changes[:min(len(res.Changes), limit)]
	return res, nil
}

// PullEncoded is Pull with each record encoded as the JSON object of its SyncRecord, built from
// the stored columns: the fields and conflicts are stored as the JSON they travel as, and are
// copied rather than decoded and encoded again.
func (s *ServerDB) PullEncoded(ctx context.Context, siteID string, cursor int64, limit int) (domain.EncodedPage, error) {
	page := domain.EncodedPage{Changes: []json.RawMessage{}}
	var err error
	page.Cursor, page.More, err = s.pull(ctx, siteID, cursor, limit, func(rows *sql.Rows) (int64, error) {
		var (
			kind, uuid       string
			site, deletedHLC sql.NullString
			version          int64
			deleted          bool
			fields           []byte
			conflicts        []byte
		)
		if err := rows.Scan(&kind, &uuid, &site, &version, &deleted, &deletedHLC, &fields, &conflicts); err != nil {
			return 0, err
		}
		b := make([]byte, 0, 64+len(kind)+len(uuid)+len(fields)+len(conflicts))
		b = append(b, `{"version":`...)
		b = strconv.AppendInt(b, version, 10)
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, kind)
		b = append(b, `,"uuid":`...)
		b = appendJSONString(b, uuid)
		b = append(b, `,"deleted":`...)
		b = strconv.AppendBool(b, deleted)
		b = append(b, `,"fields":`...)
		if len(fields) == 0 {
			fields = []byte("{}")
		}
		b = append(b, fields...)
		if len(conflicts) > 0 && string(conflicts) != "null" && string(conflicts) != "[]" {
			b = append(b, `,"conflicts":`...)
			b = append(b, conflicts...)
		}
		page.Changes = append(page.Changes, append(b, '}'))
		return version, nil
	})
	if err != nil {
		return domain.EncodedPage{}, err
	}
	page.Changes = page.Changes[:min(len(page.Changes), limit)]
	return page, nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	q, err := json.Marshal(s)
	if err != nil { // a Go string always encodes
		panic(err)
	}
	return append(b, q...)
}

// pull reads the rows of a pull page, one more than limit, calling scan on each; scan returns
// the row's version. It returns the page's cursor and whether more records follow; the caller
// keeps only the first limit rows it scanned.
func (s *ServerDB) pull(ctx context.Context, siteID string, cursor int64, limit int, scan func(*sql.Rows) (int64, error)) (next int64, more bool, err error) {
	if cursor < 0 {
		return 0, false, fmt.Errorf("pull: %w", domain.Errorf(domain.EINVALID, "Le curseur de synchronisation est négatif (%d).", cursor))
	}
	if limit < 1 {
		return 0, false, fmt.Errorf("pull: %w", domain.Errorf(domain.EINVALID, "Le nombre de changements demandés doit être d’au moins 1 (%d).", limit))
	}
	err = s.db.inRead(ctx, func(tx *sql.Tx) error {
		var version, floor int64
		meta, err := s.db.txStmt(ctx, tx, s.db.read, pullMetaSQL)
		if err != nil {
			return err
		}
		if err := meta.QueryRowContext(ctx).Scan(&version, &floor); err != nil {
			return err
		}
		if cursor > 0 && cursor < floor {
			return domain.Errorf(domain.ERESYNC, "Ce poste n’a pas été synchronisé depuis trop longtemps : il doit recharger toutes les données de son site.")
		}
		if cursor > version {
			return domain.Errorf(domain.ERESYNC, "Le serveur a perdu des données que ce poste avait reçues : le poste doit recharger toutes les données de son site.")
		}
		page, err := s.db.txStmt(ctx, tx, s.db.read, pullPageSQL)
		if err != nil {
			return err
		}
		rows, err := page.QueryContext(ctx, siteID, cursor, limit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		n, last := 0, int64(0)
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return err
			}
			if n++; n <= limit {
				last = v
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n > limit {
			next, more = last, true
		} else {
			next = version
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("pull: %w", err)
	}
	return next, more, nil
}

// DropTombstones forgets the tombstones of a version below beforeVersion (housekeeping) and
// raises the tombstone floor to beforeVersion, or to the server's version when beforeVersion is
// beyond it (no later tombstone exists yet, and a desk up to date must stay so). The floor never
// goes down. A cursor below the floor then gets ERESYNC from Pull.
func (s *ServerDB) DropTombstones(ctx context.Context, beforeVersion int64) error {
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		var version, floor int64
		if err := tx.QueryRowContext(ctx, `SELECT version, tombstone_floor FROM meta WHERE id = 1`).Scan(&version, &floor); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM record WHERE deleted = 1 AND version < ?`, beforeVersion); err != nil {
			return err
		}
		if f := min(beforeVersion, version); f > floor {
			_, err := tx.ExecContext(ctx, `UPDATE meta SET tombstone_floor = ? WHERE id = 1`, f)
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("drop tombstones: %w", err)
	}
	return nil
}

// Version returns the server's current version: the version of its last write, 0 before any.
func (s *ServerDB) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.read.QueryRowContext(ctx, `SELECT version FROM meta WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read server version: %w", err)
	}
	return v, nil
}
