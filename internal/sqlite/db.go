// Package sqlite keeps Passerelle's data durably in one SQLite file (modernc.org/sqlite, no cgo).
// It implements the storage interfaces of the domain; each exported method is one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"

	driver "modernc.org/sqlite" // also registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// pragmas are set on every connection through the DSN, as pocketbase does: busy_timeout first
// so that the others wait for a lock instead of failing, WAL so that readers never block the
// writer, synchronous(NORMAL) which is durable enough in WAL mode and much faster, and foreign
// keys, which SQLite leaves off by default. A 16 MB page cache (2 MB by default) keeps the
// indexes an import of 100,000 services updates in memory; journal_size_limit gives the disk
// back after such an import rather than keeping a WAL file of its size.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(ON)&_pragma=cache_size(-16000)&_pragma=journal_size_limit(67108864)"

// readConns is the size of the read pool: a desktop app has a few concurrent readers at most.
const readConns = 4

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Options tune a store.
type Options struct {
	// Now returns the current time; nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
}

// DB is the desk's database: one SQLite file reached through a pool of readers and a single
// writer, so that writes queue in Go rather than fail with SQLITE_BUSY. It is safe for concurrent
// use.
type DB struct {
	path  string
	read  *sql.DB
	write *sql.DB
	now   func() time.Time

	stmts stmtCache // statements of the hot paths, prepared once per pool
}

var _ domain.DirectoryStore = (*DB)(nil)

// Open opens the database file at path, creating it when needed, makes it and its -wal/-shm
// files readable by the current user only (mode 0600), and applies the pending migrations. Its
// errors carry no domain code (EINTERNAL): the file cannot be created or is not a database, a
// migration failed, or the file was written by a newer version of Passerelle.
func Open(path string, opt Options) (*DB, error) {
	db, err := open(path, opt)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

func open(path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("empty path")
	}
	// The driver cuts the DSN at the first "?" to read its parameters.
	if strings.Contains(path, "?") {
		return nil, fmt.Errorf("path %q contains a question mark", path)
	}
	// Create the file ourselves so that it is never readable by others, not even for the moment
	// between SQLite creating it and a chmod; an existing file gets its mode fixed too.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, err
	}

	db := &DB{path: path, now: opt.Now}
	if db.now == nil {
		db.now = time.Now
	}
	// IMMEDIATE transactions take the write lock at BEGIN, where busy_timeout applies; a deferred
	// one that upgrades later fails at once when another process wrote in between.
	db.write, err = sql.Open("sqlite", path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)

	// query_only makes a write through the read pool an error instead of a lock fight.
	db.read, err = sql.Open("sqlite", path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		db.write.Close()
		return nil, err
	}
	db.read.SetMaxOpenConns(readConns)
	db.read.SetMaxIdleConns(readConns)

	if err := db.setup(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) setup() error {
	ctx := context.Background()
	// The first connection switches the file to WAL mode, which creates the -wal and -shm files.
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	if err := db.migrate(ctx); err != nil {
		return err
	}
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	// SQLite gives the -wal and -shm files the mode of the database file; fix files left with
	// another mode by an older version.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Chmod(db.path+suffix, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Close closes the database. Calls in flight fail afterwards.
func (db *DB) Close() error {
	errs := []error{db.stmts.close()}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Path returns the path of the database file.
func (db *DB) Path() string { return db.path }

// migration is one embedded schema change.
type migration struct {
	version int
	name    string // the file name
	sql     string
}

// migrations returns the embedded migrations in version order.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %q: name must start with a number and _", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %q and %q share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrate applies every migration not yet recorded in schema_migrations, each in its own
// transaction with its record, so that a failed migration leaves the previous schema intact.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY NOT NULL,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}

	var latest int
	if err := db.write.QueryRowContext(ctx,
		`SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&latest); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	// A file written by a newer Passerelle may hold data this version would damage.
	if known := ms[len(ms)-1].version; latest > known {
		return fmt.Errorf("database schema version %d is newer than this program’s (%d)", latest, known)
	}

	for _, m := range ms {
		err := db.inWrite(ctx, func(tx *sql.Tx) error {
			// Checked again inside the write lock: another process may have just applied it.
			var n int
			if err := tx.QueryRowContext(ctx,
				`SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, formatTime(db.clock()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// clock returns the current time as stored: UTC, to the millisecond, so that what a method
// returns equals what a later read gives back.
func (db *DB) clock() time.Time {
	return db.now().UTC().Truncate(time.Millisecond)
}

// inWrite runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) inWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// inRead runs fn in a read-only transaction: every query in fn sees the same snapshot.
func (db *DB) inRead(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// timeLayout is RFC 3339 with milliseconds; times are always formatted in UTC ("Z").
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// parseNullTime parses a nullable timestamp column; nil stays nil.
func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// isUniqueViolation reports whether err is SQLite refusing a duplicate value of a UNIQUE column.
func isUniqueViolation(err error) bool {
	var se *driver.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}
