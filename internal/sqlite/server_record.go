package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/edas92/passerelle/internal/domain"
)

// syncRecordColumns are the columns scanRecord reads, in its order.
const syncRecordColumns = `kind, uuid, site, version, deleted, deleted_hlc, fields, conflicts`

// The statements of a push and a pull, prepared once when the store opens.
const (
	getRecordSQL = `SELECT ` + syncRecordColumns + ` FROM record WHERE kind = ? AND uuid = ?`
	// The records of a push, named by a JSON array of [kind, uuid] pairs: one statement, each
	// pair a lookup of the primary key.
	getRecordsSQL = `SELECT ` + syncRecordColumns + ` FROM record WHERE (kind, uuid) IN
		(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`
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
	if err := s.db.prepare(ctx, s.db.write, getRecordSQL, getRecordsSQL, putRecordSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if err := s.db.prepare(ctx, s.db.read, pullMetaSQL, pullPageSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
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
// since is 0, or the Since of the previous page of the same pull: the version the pull began at.
// When More is set, Since says it for the next page, so that the pages of a resync from 0 are
// served even once their cursors are below the tombstone floor.
//
// EINVALID for a negative cursor or since, or a limit below 1. ERESYNC when the pull began
// before the tombstone floor (the cursor, or since when above it; 0 is always served: a full
// resync), and when the cursor or since is ahead of the server's version: the server lost writes
// the desk had seen (restored from a backup) and the desk must pull its whole scope again.
func (s *ServerDB) Pull(ctx context.Context, siteID string, cursor, since int64, limit int) (domain.PullResult, error) {
	res := domain.PullResult{Changes: []domain.SyncRecord{}}
	var err error
	res.Cursor, res.More, res.Since, err = s.pull(ctx, siteID, cursor, since, limit, func(rows *sql.Rows) (int64, error) {
		rec, err := scanRecord(rows)
		if err != nil {
			return 0, err
		}
		res.Changes = append(res.Changes, rec)
		return rec.Version, nil
	}, nil)
	if err != nil {
		return domain.PullResult{}, err
	}
	res.Changes = res.Changes[:min(len(res.Changes), limit)]
	return res, nil
}

// PullEncoded is Pull with each record encoded as the JSON object of its SyncRecord, built from
// the stored columns: the fields and conflicts are stored as the JSON they travel as, and are
// copied rather than decoded and encoded again. Same errors as Pull.
//
// A cursor the pull cache covers is served from memory (see pullCache.page: the same page as
// SQLite would give, as of the cache's version, which may be later than the pull's snapshot);
// the returned changes then share the cache's memory and must not be modified. Other cursors (a
// first sync from 0, a desk away for long, the first pull after the server started) are read
// from SQLite.
func (s *ServerDB) PullEncoded(ctx context.Context, siteID string, cursor, since int64, limit int) (domain.EncodedPage, error) {
	page := domain.EncodedPage{Changes: []json.RawMessage{}}
	var (
		kind, uuid        string
		site, deletedHLC  sql.NullString
		version           int64
		deleted           bool
		fields, conflicts sql.RawBytes // valid until the next row: encodeSyncRecord copies them
	)
	scan := func(rows *sql.Rows) (int64, error) {
		if err := rows.Scan(&kind, &uuid, &site, &version, &deleted, &deletedHLC, &fields, &conflicts); err != nil {
			return 0, err
		}
		page.Changes = append(page.Changes, encodeSyncRecord(kind, uuid, version, deleted, fields, conflicts))
		return version, nil
	}
	var cached func(tx *sql.Tx, version int64) (bool, int64, bool, error)
	if s.cache != nil {
		cached = func(tx *sql.Tx, version int64) (bool, int64, bool, error) {
			changes, next, more, ok, err := s.cache.page(ctx, tx, siteID, cursor, limit, version)
			if ok {
				page.Changes = changes
			}
			return ok, next, more, err
		}
	}
	var err error
	page.Cursor, page.More, page.Since, err = s.pull(ctx, siteID, cursor, since, limit, scan, cached)
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
// the row's version. It returns the page's cursor, whether more records follow and, if so, the
// since of the next page; the caller keeps only the first limit rows it scanned.
//
// cached, when not nil, is offered the page first, once the cursor passed the ERESYNC checks,
// with the read transaction and the server's version in its snapshot: when it returns ok, it
// served the page (next and more are its own) and no row is read.
func (s *ServerDB) pull(ctx context.Context, siteID string, cursor, since int64, limit int, scan func(*sql.Rows) (int64, error),
	cached func(tx *sql.Tx, version int64) (ok bool, next int64, more bool, err error)) (next int64, more bool, sinceOut int64, err error) {
	if cursor < 0 || since < 0 {
		return 0, false, 0, fmt.Errorf("pull: %w", domain.Errorf(domain.EINVALID, "Le curseur de synchronisation est négatif (%d, depuis %d).", cursor, since))
	}
	if limit < 1 {
		return 0, false, 0, fmt.Errorf("pull: %w", domain.Errorf(domain.EINVALID, "Le nombre de changements demandés doit être d’au moins 1 (%d).", limit))
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
		// The pull began at chain: the cursor itself, or, on the later pages of a pull, the
		// version its first page was served at (since), which may be above the cursor. Any
		// tombstone the desk may lack was written after chain, so it is still kept unless chain
		// is below the floor: a resync from 0 in many pages goes on however low its cursors are.
		chain := max(cursor, since)
		if cursor == 0 {
			chain = version // a pull from 0 sends the whole scope: it begins now
		}
		if chain < floor {
			return domain.Errorf(domain.ERESYNC, "Ce poste n’a pas été synchronisé depuis trop longtemps : il doit recharger toutes les données de son site.")
		}
		if cursor > version || since > version {
			return domain.Errorf(domain.ERESYNC, "Le serveur a perdu des données que ce poste avait reçues : le poste doit recharger toutes les données de son site.")
		}
		defer func() {
			if more {
				sinceOut = chain
			}
		}()
		// The cache serves cursors at or above the tombstone floor only: it may still hold the
		// tombstones the housekeeping dropped, all below the floor, which the pages of a resync
		// (cursors below it, served by since) must not see.
		if cached != nil && cursor >= floor {
			ok, n, m, err := cached(tx, version)
			if err != nil {
				return err
			}
			if ok {
				next, more = n, m
				return nil
			}
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
		return 0, false, 0, fmt.Errorf("pull: %w", err)
	}
	return next, more, sinceOut, nil
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
	if err := s.db.queryRow(ctx, s.db.read, metaVersionSQL).Scan(&v); err != nil {
		return 0, fmt.Errorf("read server version: %w", err)
	}
	return v, nil
}
