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

	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The central server's store (cmd/passerelle-server) lives in this package beside the desk's:
// same SQLite setup (pragmas, one read pool and one single-connection write pool, numbered
// embedded migrations, UTC millisecond timestamps), a different file and schema.

//go:embed server_migrations/*.sql
var serverMigrationFiles embed.FS

// serverMigrations is the server's schema. It is recorded in a table of its own, so that the two
// kinds of file stay apart: the server refuses a file holding tables but not its record table
// (see migrateWith), and a desk opening a server file finds none of its migrations recorded and
// fails on its first one (both schemas have a meta table) instead of adding its later ones.
var serverMigrations = migrationSet{
	files: serverMigrationFiles,
	dir:   "server_migrations",
	table: "server_schema_migrations",
}

// ServerOptions tune a server store.
type ServerOptions struct {
	// Now returns the current time; nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
}

// ServerDB is the central server's database: sites, devices and their enrolment codes, the
// synced records with their server versions, and the curators' suggestions. Writes go through a
// single connection, so that concurrent pushes queue in Go instead of failing with SQLITE_BUSY;
// pulls and lookups use the read pool and never wait for a push. It is safe for concurrent use.
type ServerDB struct {
	db  *DB
	txg txGroup // concurrent InTx calls share one write transaction (server_tx.go)
	// cache serves PullEncoded's recent cursors from memory (server_pullcache.go); nil serves
	// every pull from SQLite.
	cache *pullCache
}

var _ domain.ServerStore = (*ServerDB)(nil)

// OpenServer opens the server database at path, creating it when needed, makes it and its
// -wal/-shm files readable by the current user only (mode 0600), and applies the pending
// migrations. Its errors carry no domain code (EINTERNAL): the file cannot be created, is not a
// server database, a migration failed, or the file was written by a newer passerelle-server.
func OpenServer(path string, opt ServerOptions) (*ServerDB, error) {
	db, err := openWith(path, opt.Now, serverMigrations)
	if err != nil {
		return nil, fmt.Errorf("open server database: %w", err)
	}
	s := &ServerDB{db: db}
	if err := errors.Join(s.prepareHotPaths(context.Background()), s.prepareTxPaths(context.Background())); err != nil {
		db.Close()
		return nil, fmt.Errorf("open server database: %w", err)
	}
	if s.cache, err = newPullCache(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open server database: %w", err)
	}
	return s, nil
}

// Close closes the database. Calls in flight fail afterwards.
func (s *ServerDB) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close server database: %w", err)
	}
	return nil
}

// Path returns the path of the database file.
func (s *ServerDB) Path() string { return s.db.path }

// migrationSet is one schema: numbered .sql files in dir of files, applied once each and
// recorded in table.
type migrationSet struct {
	files fs.FS
	dir   string
	table string
}

// openWith opens the SQLite file at path with the migrations of set: the desk's file (open) and
// the server's (OpenServer) are opened alike.
func openWith(path string, now func() time.Time, set migrationSet) (*DB, error) {
	if path == "" {
		return nil, errors.New("empty path")
	}
	// The driver cuts the DSN at the first "?" to read its parameters.
	if strings.Contains(path, "?") {
		return nil, fmt.Errorf("path %q contains a question mark", path)
	}
	// Create the file ourselves so that it is never readable by others, not even for a moment;
	// an existing file gets its mode fixed too.
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

	db := &DB{path: path, now: now}
	if db.now == nil {
		db.now = time.Now
	}
	// IMMEDIATE transactions take the write lock at BEGIN, where busy_timeout applies.
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

	ctx := context.Background()
	err = db.write.PingContext(ctx) // switches the file to WAL mode: creates -wal and -shm
	if err == nil {
		err = migrateWith(ctx, db, set)
	}
	if err == nil {
		err = db.read.PingContext(ctx)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err != nil {
			break
		}
		if e := os.Chmod(path+suffix, 0o600); e != nil && !errors.Is(e, fs.ErrNotExist) {
			err = e
		}
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// loadMigrations returns the migrations of set in version order.
func loadMigrations(set migrationSet) ([]migration, error) {
	entries, err := fs.ReadDir(set.files, set.dir)
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
		body, err := fs.ReadFile(set.files, path.Join(set.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(body)})
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migration in %s", set.dir)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %q and %q share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrateWith applies every migration of set not yet recorded, each in its own transaction with
// its record, so that a failed migration leaves the previous schema intact. It refuses a file
// whose recorded migrations are newer than the program's or were named otherwise (another
// schema, or an edited release).
func migrateWith(ctx context.Context, db *DB, set migrationSet) error {
	ms, err := loadMigrations(set)
	if err != nil {
		return err
	}
	// A file holding tables but no record of ours is another program's database (a desk's):
	// refuse it before writing anything to it.
	var ours, others int
	if err := db.write.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE name = ?1),
		count(*) FILTER (WHERE name <> ?1) FROM sqlite_schema WHERE type = 'table'`, set.table).
		Scan(&ours, &others); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if ours == 0 && others > 0 {
		return fmt.Errorf("the file holds %d tables and no %s: not this program’s database", others, set.table)
	}
	// The table name is ours, never input.
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+set.table+` (
		version    INTEGER PRIMARY KEY NOT NULL,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create %s: %w", set.table, err)
	}

	names := make(map[int]string, len(ms))
	for _, m := range ms {
		names[m.version] = m.name
	}
	rows, err := db.write.QueryContext(ctx, `SELECT version, name FROM `+set.table+` ORDER BY version`)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	for rows.Next() {
		var version int
		var name string
		if err := rows.Scan(&version, &name); err != nil {
			rows.Close()
			return fmt.Errorf("read schema version: %w", err)
		}
		known, ok := names[version]
		if !ok && version > ms[len(ms)-1].version {
			// A file written by a newer program may hold data this version would damage.
			rows.Close()
			return fmt.Errorf("database schema version %d is newer than this program’s (%d)", version, ms[len(ms)-1].version)
		}
		if known != name {
			rows.Close()
			return fmt.Errorf("database migration %d is %q, this program’s is %q: not this program’s database", version, name, known)
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}

	for _, m := range ms {
		err := db.inWrite(ctx, func(tx *sql.Tx) error {
			// Checked again inside the write lock: another process may have just applied it.
			var n int
			if err := tx.QueryRowContext(ctx,
				`SELECT count(*) FROM `+set.table+` WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx,
				`INSERT INTO `+set.table+` (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, formatTime(db.clock()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// storedTime is t as the store keeps it: UTC, to the millisecond, so that what a method returns
// equals what a later read gives back.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// isKeyViolation reports whether err is SQLite refusing a duplicate primary key or UNIQUE value.
func isKeyViolation(err error) bool {
	var se *driver.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE)
}

// isForeignKeyViolation reports whether err is SQLite refusing a reference to a missing row.
func isForeignKeyViolation(err error) bool {
	var se *driver.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
