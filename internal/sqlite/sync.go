package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

// The desk's side of the sync protocol (docs/sync-protocol.md): its enrolment, its clock, the
// outbox of its local changes and what it knows of every synced record. The tables are those of
// migration 0004; this file holds the domain.DeskSyncStore API, sync_track.go turns local writes
// into outbox mutations, sync_apply.go writes pulled records into the desk's tables.

var _ domain.DeskSyncStore = (*DB)(nil)

// Settings of the desk's sync, in meta. The token is a secret: it is read only by SyncToken and
// never appears in an error or a log line.
const (
	metaDeskID    = "sync.desk_id"       // the device part of every HLC this desk issues (a UUIDv7, made once)
	metaHLC       = "sync.hlc"           // the latest HLC the desk issued or observed
	metaServerURL = "sync.server_url"    //
	metaToken     = "sync.token"         // the device token
	metaDeviceID  = "sync.device_id"     // the device id the server gave at enrolment
	metaSiteID    = "sync.site_id"       // the site (EDAS) of the enrolment: the work of the desk is that site's
	metaSiteName  = "sync.site_name"     //
	metaRevoked   = "sync.revoked"       // "1" once the server refused the device
	metaCursor    = "sync.cursor"        // the server version pulled through
	metaSince     = "sync.pull_since"    // the Since of the last page applied, while its pull has more
	metaOffset    = "sync.outbox_offset" // outbox id minus this = the device's mutation id
	metaResync    = "sync.resync"        // "1" while a full resync runs
	metaLastSync  = "sync.last_sync_at"  //
	metaLastError = "sync.last_error"    //
	metaLastErrAt = "sync.last_error_at" //
)

// defaultOutboxLimit is what Outbox returns at most when asked for a limit <= 0: the protocol's
// largest push.
const defaultOutboxLimit = 500

// queryer is what reads a setting: a transaction or a pool.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getMeta reads a setting, "" when unset.
func getMeta(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// setMeta writes a setting in tx.
func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// getMetaInt reads an integer setting, 0 when unset.
func getMetaInt(ctx context.Context, q queryer, key string) (int64, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("setting %s: %w", key, err)
	}
	return n, nil
}

// SyncState returns the desk's enrolment and sync status: whether it is enrolled (it holds a
// device token), with which server, device and site, whether the server revoked it, the cursor
// pulled through, the changes waiting in the outbox, the refused changes kept, and the outcome
// of the last sync attempts. It never returns the token. Its errors carry no domain code.
func (db *DB) SyncState(ctx context.Context) (domain.DeskSyncState, error) {
	var st domain.DeskSyncState
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		vals := map[string]string{}
		rows, err := tx.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'sync.%'`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			vals[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		st.Enrolled = vals[metaToken] != ""
		st.ServerURL, st.DeviceID = vals[metaServerURL], vals[metaDeviceID]
		st.SiteID, st.SiteName = vals[metaSiteID], vals[metaSiteName]
		st.Revoked = vals[metaRevoked] == "1"
		if c := vals[metaCursor]; c != "" {
			if st.Cursor, err = strconv.ParseInt(c, 10, 64); err != nil {
				return fmt.Errorf("cursor: %w", err)
			}
		}
		if c := vals[metaSince]; c != "" {
			if st.PullSince, err = strconv.ParseInt(c, 10, 64); err != nil {
				return fmt.Errorf("pull since: %w", err)
			}
		}
		st.LastError = vals[metaLastError]
		if st.LastSyncAt, err = parseOptionalTime(vals[metaLastSync]); err != nil {
			return err
		}
		if st.LastErrorAt, err = parseOptionalTime(vals[metaLastErrAt]); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_outbox`).Scan(&st.Pending); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_rejection`).Scan(&st.Rejected)
	})
	if err != nil {
		return domain.DeskSyncState{}, fmt.Errorf("sync state: %w", err)
	}
	return st, nil
}

// parseOptionalTime parses a stored time, nil for "".
func parseOptionalTime(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := parseTime(s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// SyncToken returns the device token, "" when the desk is not enrolled. The token is a secret:
// the caller puts it in the Authorization header and nowhere else. Its errors carry no domain
// code.
func (db *DB) SyncToken(ctx context.Context) (string, error) {
	tok, err := getMeta(ctx, db.read, metaToken)
	if err != nil {
		return "", fmt.Errorf("sync token: %w", err) // a read error never quotes the value
	}
	return tok, nil
}

// WorkSite returns the site of the desk's last enrolment when the desk holds work (usager files,
// interviews, answers, selections, referrals, synced or not), "" otherwise: a desk that holds
// none may be enrolled for any EDAS. Its errors carry no domain code.
func (db *DB) WorkSite(ctx context.Context) (string, error) {
	var site string
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		site, err = workSite(ctx, tx)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("work site: %w", err)
	}
	return site, nil
}

// workSite is WorkSite in tx.
func workSite(ctx context.Context, tx *sql.Tx) (string, error) {
	site, err := getMeta(ctx, tx, metaSiteID)
	if err != nil || site == "" {
		return "", err
	}
	var work bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sync_record WHERE kind IN (`+workKindsSQL+`))
		OR EXISTS (SELECT 1 FROM usager) OR EXISTS (SELECT 1 FROM referral)`).Scan(&work); err != nil {
		return "", err
	}
	if !work {
		return "", nil
	}
	return site, nil
}

// Enrol records a new enrolment of the desk: the server, the device the server created, its
// site and the device token. The pull starts again from cursor 0; every local record of the
// work (usagers, interviews, answers, selections, referrals and their steps) the outbox does not
// hold yet is queued; the waiting mutations are numbered from 1 for the new device (those queued
// before the enrolment included). A revoked desk enrolled again syncs again.
//
// EINVALID when e lacks its server address, device, site or token; ECONFLICT when the desk holds
// work of another site than e.SiteID (it was enrolled for another EDAS and has usager files,
// interviews or referrals: one EDAS never receives another's files).
func (db *DB) Enrol(ctx context.Context, e domain.DeskEnrolment) error {
	switch {
	case strings.TrimSpace(e.ServerURL) == "":
		return domain.Errorf(domain.EINVALID, "Inscription incomplète : l’adresse du serveur de synchronisation manque.")
	case e.DeviceID == "" || e.SiteID == "":
		return domain.Errorf(domain.EINVALID, "Inscription incomplète : le serveur n’a pas indiqué le poste ou l’EDAS.")
	case e.Token == "":
		return domain.Errorf(domain.EINVALID, "Inscription incomplète : le serveur n’a pas donné de jeton d’accès.")
	}
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		s := db.newSyncTx(ctx, tx)
		defer s.close()
		oldSite, err := workSite(ctx, tx)
		if err != nil {
			return err
		}
		if oldSite != "" && oldSite != e.SiteID {
			name, err := getMeta(ctx, tx, metaSiteName)
			if err != nil {
				return err
			}
			if name == "" {
				name = oldSite
			}
			return domain.Errorf(domain.ECONFLICT, "Ce poste contient déjà des dossiers de l’EDAS « %s » : il ne peut pas être inscrit pour une autre EDAS, qui ne doit pas les recevoir. Inscrivez-le de nouveau pour « %s », ou utilisez un autre poste.", name, name)
		}
		if err := s.flush(); err != nil {
			return err
		}
		if err := s.backfill(); err != nil {
			return err
		}
		// The new device numbers from 1: its first mutation is the oldest one waiting, or the
		// next one the outbox will hold.
		var offset int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT min(id) - 1 FROM sync_outbox),
			(SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0)`).Scan(&offset); err != nil {
			return fmt.Errorf("outbox offset: %w", err)
		}
		for k, v := range map[string]string{
			metaServerURL: strings.TrimSpace(e.ServerURL), metaToken: e.Token, metaDeviceID: e.DeviceID,
			metaSiteID: e.SiteID, metaSiteName: e.SiteName, metaRevoked: "0", metaCursor: "0", metaSince: "0",
			metaOffset: strconv.FormatInt(offset, 10), metaResync: "0", metaLastError: "", metaLastErrAt: "",
		} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return s.saveClock()
	})
	if err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return err
		}
		return fmt.Errorf("enrol: %w", err)
	}
	return nil
}

// MarkRevoked records that the server refused the device (401 revoked): SyncState says so and
// the sync stops until the desk is enrolled again. Local changes stay in the outbox. Its errors
// carry no domain code.
func (db *DB) MarkRevoked(ctx context.Context) error {
	if err := db.inWrite(ctx, func(tx *sql.Tx) error { return setMeta(ctx, tx, metaRevoked, "1") }); err != nil {
		return fmt.Errorf("mark revoked: %w", err)
	}
	return nil
}

// Outbox returns up to limit mutations waiting for the server (500 when limit <= 0), oldest
// first, with the device's mutation ids: strictly increasing from the first one not yet
// acknowledged, without gaps. Before the desk is enrolled the ids are provisional (Enrol numbers
// them again from 1). Its errors carry no domain code.
func (db *DB) Outbox(ctx context.Context, limit int) ([]domain.Mutation, error) {
	if limit <= 0 {
		limit = defaultOutboxLimit
	}
	var muts []domain.Mutation
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		s := db.newSyncTx(ctx, tx)
		defer s.close()
		// A mark left by a write that did not turn it would otherwise wait for the next write.
		if err := s.flush(); err != nil {
			return err
		}
		if err := s.saveClock(); err != nil {
			return err
		}
		offset, err := getMetaInt(ctx, tx, metaOffset)
		if err != nil {
			return err
		}
		// Known: the server version the desk last received of the record (0: never received).
		rows, err := tx.QueryContext(ctx, `SELECT o.id, o.kind, o.uuid, o.op, o.hlc, o.fields, o.base, coalesce(r.version, 0)
			FROM sync_outbox AS o LEFT JOIN sync_record AS r ON r.kind = o.kind AND r.uuid = o.uuid
			ORDER BY o.id LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				m      domain.Mutation
				fields sql.NullString
			)
			if err := rows.Scan(&m.ID, &m.Kind, &m.UUID, &m.Op, &m.HLC, &fields, &m.Base, &m.Known); err != nil {
				return err
			}
			m.ID -= offset
			if fields.Valid {
				if err := json.Unmarshal([]byte(fields.String), &m.Fields); err != nil {
					return fmt.Errorf("decode mutation %d: %w", m.ID, err)
				}
			}
			muts = append(muts, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return muts, nil
}

// Acknowledge forgets the waiting mutations whose device id is through or less: the server
// applied them, or rejected them. The rejected ones (by device id) are kept, with the record
// they were about and the server's reason, for the worker (SyncRejections). An id beyond the
// outbox is fine (the server answers the device's last applied id even for an empty push). Its
// errors carry no domain code.
func (db *DB) Acknowledge(ctx context.Context, through int64, rejected []domain.MutationRejection) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		offset, err := getMetaInt(ctx, tx, metaOffset)
		if err != nil {
			return err
		}
		now := formatTime(db.clock())
		for _, r := range rejected {
			if r.ID > through {
				continue // not acknowledged: it will be reported again with its batch
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_rejection (kind, uuid, reason, at)
				SELECT kind, uuid, ?, ? FROM sync_outbox WHERE id = ?`, r.Reason, now, r.ID+offset); err != nil {
				return fmt.Errorf("keep rejection: %w", err)
			}
		}
		if through <= 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sync_outbox WHERE id <= ?`, through+offset)
		return err
	})
	if err != nil {
		return fmt.Errorf("acknowledge: %w", err)
	}
	return nil
}

// ResetCursor starts a full resync (the server answered 410 resync): the next pull starts from
// cursor 0, and when the page with More false has been applied, the synced records that the full
// pull did not bring (the server dropped them with their tombstones) are removed from the desk,
// except those with a change waiting in the outbox. Its errors carry no domain code.
func (db *DB) ResetCursor(ctx context.Context) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sync_record SET seen = 0 WHERE seen = 1`); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, metaCursor, "0"); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, metaSince, "0"); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaResync, "1")
	})
	if err != nil {
		return fmt.Errorf("reset cursor: %w", err)
	}
	return nil
}

// RecordSync records the outcome of a sync attempt at a time: errMsg "" for a success (the last
// successful sync moves to at and the last error is cleared), else the French reason it failed.
// Its errors carry no domain code.
func (db *DB) RecordSync(ctx context.Context, at time.Time, errMsg string) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		when := formatTime(at.UTC().Truncate(time.Millisecond))
		if errMsg == "" {
			if err := setMeta(ctx, tx, metaLastSync, when); err != nil {
				return err
			}
			if err := setMeta(ctx, tx, metaLastError, ""); err != nil {
				return err
			}
			return setMeta(ctx, tx, metaLastErrAt, "")
		}
		if err := setMeta(ctx, tx, metaLastError, errMsg); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaLastErrAt, when)
	})
	if err != nil {
		return fmt.Errorf("record sync: %w", err)
	}
	return nil
}

// SyncRejections returns the local changes the server refused, newest first, with the record
// each was about and the server's reason (French). Its errors carry no domain code.
func (db *DB) SyncRejections(ctx context.Context) ([]domain.SyncRejection, error) {
	var list []domain.SyncRejection
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT kind, uuid, reason, at FROM sync_rejection ORDER BY id DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r  domain.SyncRejection
				at string
			)
			if err := rows.Scan(&r.Kind, &r.UUID, &r.Reason, &at); err != nil {
				return err
			}
			if r.At, err = parseTime(at); err != nil {
				return err
			}
			list = append(list, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sync rejections: %w", err)
	}
	return list, nil
}

// syncTx is the sync work of one write transaction: the desk's clock, loaded from meta on first
// use and saved back before the commit, and the statements it prepared.
type syncTx struct {
	db  *DB
	ctx context.Context
	tx  *sql.Tx
	now string // the clock's time, as stored

	clock      *hlc.Clock
	clockStart string
	stmts      map[string]*sql.Stmt
	settle     string // the answer SaveAnswer saved: sent even unchanged when in conflict
}

func (db *DB) newSyncTx(ctx context.Context, tx *sql.Tx) *syncTx {
	return &syncTx{db: db, ctx: ctx, tx: tx, now: formatTime(db.clock())}
}

// close releases the statements (the transaction would close them anyway when it ends).
func (s *syncTx) close() {
	for _, st := range s.stmts {
		st.Close()
	}
}

// stmt returns query prepared for the transaction, once: a pull runs the same few statements
// for each of its records, and every write of the work runs those of tracking.
func (s *syncTx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.syncStmt(s.ctx, s.tx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[query] = st
	return st, nil
}

// syncStmt returns query prepared for tx, a transaction of the write pool. modernc.org/sqlite
// parses a statement at every prepare, and parsing was half of what tracking added to a saved
// answer: the statements are kept prepared on the pool's one connection, in the database's
// statement cache. Tracking runs inside transactions that other writes opened, where nothing
// can be prepared on the pool (its connection is the transaction's, and preparing would wait for
// itself): a statement not cached yet is prepared for tx alone, and on the pool by a goroutine
// that waits for the connection to be free.
func (db *DB) syncStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	key := stmtKey{db.write, query}
	c := &db.stmts
	c.mu.Lock()
	st, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return tx.StmtContext(ctx, st), nil
	}
	if _, busy := preparing.LoadOrStore(key, true); !busy {
		go func() {
			defer preparing.Delete(key)
			st, err := db.write.PrepareContext(context.Background(), query)
			if err != nil {
				return // closed meanwhile: the transactions prepare it themselves
			}
			c.mu.Lock()
			defer c.mu.Unlock()
			if _, ok := c.m[key]; ok {
				st.Close()
				return
			}
			if c.m == nil {
				c.m = map[stmtKey]*sql.Stmt{}
			}
			c.m[key] = st
		}()
	}
	return tx.PrepareContext(ctx, query)
}

// preparing holds the statements a goroutine is preparing on a pool, so that one does.
var preparing sync.Map // stmtKey → true

func (s *syncTx) exec(query string, args ...any) (sql.Result, error) {
	st, err := s.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(s.ctx, args...)
}

// errRow is a row whose statement could not be prepared.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type scanner interface{ Scan(...any) error }

func (s *syncTx) queryRow(query string, args ...any) scanner {
	st, err := s.stmt(query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(s.ctx, args...)
}

// query runs a query and hands each row to fn; the rows are closed before it returns.
func (s *syncTx) query(query string, args []any, fn func(scanner) error) error {
	st, err := s.stmt(query)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(s.ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// loadClock reads the desk's id and its clock's latest stamp, making the id the first time.
func (s *syncTx) loadClock() error {
	if s.clock != nil {
		return nil
	}
	var desk, last string
	if err := s.query(`SELECT key, value FROM meta WHERE key IN (?, ?)`, []any{metaDeskID, metaHLC}, func(r scanner) error {
		var k, v string
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		if k == metaDeskID {
			desk = v
		} else {
			last = v
		}
		return nil
	}); err != nil {
		return fmt.Errorf("read clock: %w", err)
	}
	if !hlc.ValidDevice(desk) {
		desk = domain.NewUUID()
		if err := setMeta(s.ctx, s.tx, metaDeskID, desk); err != nil {
			return err
		}
	}
	s.clock, s.clockStart = hlc.New(desk, s.db.now, last), last
	return nil
}

// stamp issues a new HLC of this desk.
func (s *syncTx) stamp() (string, error) {
	if err := s.loadClock(); err != nil {
		return "", err
	}
	return s.clock.Now(), nil
}

// observe moves the clock past a pulled HLC. A malformed stamp, or one more than a day ahead of
// this desk's clock, is not followed (hlc.Observe): the record is still merged by its stamp.
func (s *syncTx) observe(stamp string) error {
	if stamp == "" {
		return nil
	}
	if err := s.loadClock(); err != nil {
		return err
	}
	_ = s.clock.Observe(stamp)
	return nil
}

// saveClock persists the clock's latest stamp when it moved, in the transaction that moved it.
func (s *syncTx) saveClock() error {
	if s.clock == nil || s.clock.Last() == s.clockStart {
		return nil
	}
	if _, err := s.exec(`INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaHLC, s.clock.Last()); err != nil {
		return fmt.Errorf("save clock: %w", err)
	}
	s.clockStart = s.clock.Last()
	return nil
}
