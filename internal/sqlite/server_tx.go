package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// InTx runs fn in one write transaction, committed when fn returns nil and rolled back (nothing
// of it persists) when fn returns an error or panics; InTx then returns fn's error as it is, so
// that its domain code reaches the caller, or panics again with fn's panic value. fn must not
// call the ServerDB's own methods (it would wait for itself), and tx must not be used after fn
// returns. A cancelled ctx stops InTx before fn runs, not while it runs: fn's statements finish.
//
// Group commit. The writes of the server are serialized by its single write connection, and
// under a crowd of desks (500 pushing within the same second) most of a push's cost was its own
// transaction: begin, commit and the WAL write of the same pages again and again, each push
// waiting for all the others before it. Concurrent InTx calls are therefore run one after the
// other inside one SQLite transaction, each within its own savepoint: a call whose fn fails is
// rolled back to its savepoint alone, and the others commit together. Each call still sees
// everything the calls before it wrote, exactly as if it had had a transaction of its own after
// theirs. The price: the calls of a group return together, after its commit, and a commit that
// fails fails every call of the group (none of them persists).
func (s *ServerDB) InTx(ctx context.Context, fn func(tx domain.ServerTx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("server transaction: %w", err)
	}
	c := &txCall{ctx: ctx, fn: fn, done: make(chan txOutcome, 1)}
	g := &s.txg
	g.mu.Lock()
	g.queue = append(g.queue, c)
	if !g.running {
		g.running = true
		go s.commitLoop()
	}
	g.mu.Unlock()
	out := <-c.done
	if out.panicked {
		panic(out.panicVal)
	}
	return out.err
}

// maxTxGroup bounds the calls of one group, so that the first calls of a crowd return without
// waiting for the last ones' work.
const maxTxGroup = 64

// txGroup queues the InTx calls waiting for the write connection. A commit loop runs while the
// queue is not empty, and stops when it is: there is no goroutine to stop when the store closes.
type txGroup struct {
	mu      sync.Mutex
	queue   []*txCall
	running bool
}

// txCall is one InTx call in the queue.
type txCall struct {
	ctx  context.Context
	fn   func(domain.ServerTx) error
	done chan txOutcome // buffered: the loop never waits for the caller
}

// txOutcome is what an InTx call returns, or the panic it raises again.
type txOutcome struct {
	err      error
	panicked bool
	panicVal any
}

// commitLoop runs the queued calls, group after group, until the queue is empty.
func (s *ServerDB) commitLoop() {
	g := &s.txg
	for {
		g.mu.Lock()
		calls := g.queue
		if len(calls) > maxTxGroup {
			calls, g.queue = calls[:maxTxGroup:maxTxGroup], calls[maxTxGroup:]
		} else {
			g.queue = nil
		}
		if len(calls) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		s.commitGroup(calls)
	}
}

// The savepoint of each call of a group; prepared at open (prepareTxPaths).
const (
	savepointSQL         = `SAVEPOINT intx`
	releaseSavepointSQL  = `RELEASE intx`
	rollbackSavepointSQL = `ROLLBACK TO intx`
)

// commitGroup runs calls in one transaction, each in a savepoint, commits it and answers every
// call. The transaction does not take any caller's context: one desk hanging up must not roll
// back the others' pushes.
func (s *ServerDB) commitGroup(calls []*txCall) {
	ctx := context.Background()
	outs := make([]txOutcome, len(calls))
	// answered[i]: outs[i] stands whatever the commit does (fn failed, or never ran). The other
	// calls' writes await the commit, and share its outcome.
	answered := make([]bool, len(calls))
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		sh := &txShared{}
		for i, c := range calls {
			if err := c.ctx.Err(); err != nil {
				outs[i], answered[i] = txOutcome{err: fmt.Errorf("server transaction: %w", err)}, true
				continue
			}
			out, kept, err := s.runCall(ctx, tx, sh, c)
			if err != nil {
				// A savepoint statement failed: the transaction is not usable any more. This
				// call fails with it, like the ones before it; the ones after it have not run
				// and go back to the queue, in their order (each group answers at least one
				// call, so a failing disk cannot loop).
				outs[i], answered[i] = txOutcome{err: fmt.Errorf("server transaction: %w", err)}, true
				s.requeue(calls[i+1:])
				calls = calls[:i+1]
				return err
			}
			outs[i], answered[i] = out, !kept
		}
		return sh.finish(ctx, tx)
	})
	for i, c := range calls {
		if err != nil && !answered[i] {
			outs[i] = txOutcome{err: fmt.Errorf("server transaction: %w", err)}
		}
		c.done <- outs[i]
	}
}

// requeue puts calls back at the head of the queue.
func (s *ServerDB) requeue(calls []*txCall) {
	g := &s.txg
	g.mu.Lock()
	g.queue = append(slices.Clone(calls), g.queue...)
	g.mu.Unlock()
}

// runCall runs one call's fn in a savepoint of tx. kept is true when fn returned nil and its
// writes stay; out holds fn's error or panic otherwise, its writes rolled back. err is a failure
// of the savepoint statements themselves.
func (s *ServerDB) runCall(ctx context.Context, tx *sql.Tx, sh *txShared, c *txCall) (out txOutcome, kept bool, err error) {
	if _, err := s.db.txStmtExec(ctx, tx, savepointSQL); err != nil {
		return txOutcome{}, false, fmt.Errorf("savepoint: %w", err)
	}
	saved := sh.counter
	out = callFn(c, &serverTx{db: s.db, tx: tx, sh: sh})
	if out.err == nil && !out.panicked {
		if _, err := s.db.txStmtExec(ctx, tx, releaseSavepointSQL); err != nil {
			return txOutcome{}, false, fmt.Errorf("release savepoint: %w", err)
		}
		return out, true, nil
	}
	sh.counter = saved
	if _, err := s.db.txStmtExec(ctx, tx, rollbackSavepointSQL); err != nil {
		return txOutcome{}, false, fmt.Errorf("roll back to savepoint: %w", err)
	}
	if _, err := s.db.txStmtExec(ctx, tx, releaseSavepointSQL); err != nil {
		return txOutcome{}, false, fmt.Errorf("release savepoint: %w", err)
	}
	return out, false, nil
}

// callFn runs a call's fn and catches its panic, which InTx raises again in the caller's
// goroutine: the commit loop must live on for the other calls.
func callFn(c *txCall, tx *serverTx) (out txOutcome) {
	defer func() {
		if v := recover(); v != nil {
			out = txOutcome{panicked: true, panicVal: v}
		}
	}()
	return txOutcome{err: c.fn(tx)}
}

// txShared is the state the calls of one group share: the server version counter and the
// prepared statements of the record reads and writes.
//
// The counter is read once, on the first PutRecord, then counted in memory and written back
// before the commit: a push of 100 records costs one statement per record. The single writer
// holds the write lock for the whole transaction, so nobody else can move the counter meanwhile;
// a call rolled back to its savepoint gives back the versions it counted.
type txShared struct {
	counter struct {
		version int64 // the last version given; valid when loaded
		loaded  bool
		dirty   bool // version must be written back
	}
	get, put *sql.Stmt // closed with the transaction
}

// finish writes the version counter back before the commit.
func (sh *txShared) finish(ctx context.Context, tx *sql.Tx) error {
	if !sh.counter.dirty {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE meta SET version = ? WHERE id = 1`, sh.counter.version)
	return err
}

// serverTx is the domain.ServerTx of one InTx call. Its methods run their statements with
// context.WithoutCancel(ctx): SQLite answers a cancelled statement inside a transaction by
// rolling back the whole transaction — every call of the group —, not the caller's savepoint.
type serverTx struct {
	db *DB
	tx *sql.Tx
	sh *txShared
}

var _ domain.ServerTx = (*serverTx)(nil)

// Record returns a record's state (a tombstone too); found is false when the server never saw
// it, or dropped its tombstone.
func (t *serverTx) Record(ctx context.Context, kind, uuid string) (domain.SyncRecord, bool, error) {
	ctx = context.WithoutCancel(ctx)
	if t.sh.get == nil {
		stmt, err := t.db.txStmt(ctx, t.tx, t.db.write, getRecordSQL)
		if err != nil {
			return domain.SyncRecord{}, false, fmt.Errorf("read record: %w", err)
		}
		t.sh.get = stmt
	}
	rec, err := scanRecord(t.sh.get.QueryRowContext(ctx, kind, uuid))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.SyncRecord{}, false, nil
	} else if err != nil {
		return domain.SyncRecord{}, false, fmt.Errorf("read record %s %s: %w", kind, uuid, err)
	}
	return rec, true, nil
}

// Records returns the states of the records of keys the store holds (tombstones too), in no
// particular order, in one statement.
func (t *serverTx) Records(ctx context.Context, keys []domain.RecordKey) ([]domain.SyncRecord, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ctx = context.WithoutCancel(ctx)
	pairs := make([][2]string, len(keys))
	for i, k := range keys {
		pairs[i] = [2]string{k.Kind, k.UUID}
	}
	arg, err := json.Marshal(pairs)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	st, err := t.db.txStmt(ctx, t.tx, t.db.write, getRecordsSQL)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	defer st.Close()
	rows, err := st.QueryContext(ctx, string(arg))
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	defer rows.Close()
	var recs []domain.SyncRecord
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("read records: %w", err)
		}
		recs = append(recs, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	return recs, nil
}

// PutRecord stores a record's new state, replacing the previous one, gives it the next server
// version and returns it (rec.Version is ignored). A tombstone (Deleted) is stored with no fields
// and no conflicts whatever rec holds: erased data must not stay on the server. EINVALID for an
// empty kind or uuid, or a field that is not JSON; ENOTFOUND for an unknown site; ECONFLICT when
// the record exists in another scope (another site, or global): a record never changes site,
// which is the store's own guard of « no write to another site's record ».
func (t *serverTx) PutRecord(ctx context.Context, rec domain.SyncRecord) (int64, error) {
	v, err := t.putRecord(context.WithoutCancel(ctx), rec)
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

	c := &t.sh.counter
	if !c.loaded {
		if err := t.db.txStmtQueryRow(ctx, t.tx, metaVersionSQL).Scan(&c.version); err != nil {
			return 0, err
		}
		c.loaded = true
	}
	if t.sh.put == nil {
		stmt, err := t.db.txStmt(ctx, t.tx, t.db.write, putRecordSQL)
		if err != nil {
			return 0, err
		}
		t.sh.put = stmt
	}
	v := c.version + 1
	res, err := t.sh.put.ExecContext(ctx, rec.Kind, rec.UUID, site, v, rec.Deleted, deletedHLC, fields, conflicts)
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
	c.version, c.dirty = v, true
	return v, nil
}

// Device returns a device with its last applied mutation id. ENOTFOUND.
func (t *serverTx) Device(ctx context.Context, id string) (domain.Device, error) {
	dev, err := scanDevice(t.db.txStmtQueryRow(context.WithoutCancel(ctx), t.tx, deviceByIDSQL, id))
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
	res, err := t.db.txStmtExec(context.WithoutCancel(ctx), t.tx, setLastMutationSQL, id, deviceID)
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

// TouchDevice records when a device was last seen (at, kept in UTC to the millisecond), in the
// transaction: a push says so with its own writes. ENOTFOUND for an unknown device.
func (t *serverTx) TouchDevice(ctx context.Context, id string, at time.Time) error {
	res, err := t.db.txStmtExec(context.WithoutCancel(ctx), t.tx, touchDeviceSQL, formatTime(storedTime(at)), id)
	if err != nil {
		return fmt.Errorf("touch device: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("touch device: %w", err)
	} else if n == 0 {
		return errNoDevice(id)
	}
	return nil
}

// The statements of the write transactions, prepared on the write connection at open.
const (
	metaVersionSQL     = `SELECT version FROM meta WHERE id = 1`
	deviceByIDSQL      = `SELECT ` + deviceColumns + ` FROM device WHERE id = ?`
	setLastMutationSQL = `UPDATE device SET last_mutation = ? WHERE id = ?`
	touchDeviceSQL     = `UPDATE device SET last_seen_at = ? WHERE id = ?`
)

// prepareTxPaths prepares the statements of InTx and of the device lookups every request makes.
func (s *ServerDB) prepareTxPaths(ctx context.Context) error {
	if err := s.db.prepare(ctx, s.db.write, savepointSQL, releaseSavepointSQL, rollbackSavepointSQL,
		metaVersionSQL, deviceByIDSQL, setLastMutationSQL, touchDeviceSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if err := s.db.prepare(ctx, s.db.read, deviceByTokenSQL, metaVersionSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	return nil
}
