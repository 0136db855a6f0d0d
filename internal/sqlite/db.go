// Package sqlite keeps Passerelle's data durably in one SQLite file (modernc.org/sqlite, no cgo).
// It implements the storage interfaces of the domain; each exported method is one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
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
	return openWith(path, opt.Now, deskMigrations)
}

// deskMigrations is the desk's schema: migrations/*.sql, recorded in schema_migrations.
var deskMigrations = migrationSet{files: migrationFiles, dir: "migrations", table: "schema_migrations"}

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
