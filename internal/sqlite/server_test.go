package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/servertest"
)

// openServerTest opens a fresh server database in the test's temporary directory.
func openServerTest(t testing.TB, opt ServerOptions) *ServerDB {
	t.Helper()
	s, err := OpenServer(filepath.Join(t.TempDir(), "server.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// TestServerDB runs the contract suite of domain.ServerStore on a real SQLite file.
func TestServerDB(t *testing.T) {
	t.Parallel()
	servertest.Run(t, func(t *testing.T) domain.ServerStore {
		return openServerTest(t, ServerOptions{})
	})
}

func TestOpenServer_Reopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "server.db")
	clock := &testClock{t: t0}
	ctx := context.Background()

	s, err := OpenServer(path, ServerOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.AddSite(ctx, "EDAS Nanterre")
	if err != nil {
		t.Fatal(err)
	}
	// The store's clock dates what it creates itself.
	if !site.CreatedAt.Equal(stored(t0)) {
		t.Errorf("site created at %v, want the clock’s %v", site.CreatedAt, stored(t0))
	}
	err = s.InTx(ctx, func(tx domain.ServerTx) error {
		_, err := tx.PutRecord(ctx, domain.SyncRecord{Kind: "usager", UUID: "u1", Site: site.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopening neither re-runs a migration (it would fail: the tables exist) nor loses data,
	// and the version counter carries on.
	clock.Advance(time.Hour)
	s, err = OpenServer(path, ServerOptions{Now: clock.Now})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var n int
	var at string
	if err := s.db.read.QueryRow(`SELECT count(*), max(applied_at) FROM server_schema_migrations`).Scan(&n, &at); err != nil {
		t.Fatal(err)
	}
	if ms, _ := loadMigrations(serverMigrations); n != len(ms) || at != "2026-03-01T09:30:00.123Z" {
		t.Errorf("server_schema_migrations: %d rows applied at %s, want %d at the first opening", n, at, len(ms))
	}
	if sites, err := s.Sites(ctx); err != nil || len(sites) != 1 || sites[0] != site {
		t.Errorf("Sites after reopening = %+v, %v; want %+v", sites, err, site)
	}
	if v, err := s.Version(ctx); err != nil || v != 1 {
		t.Errorf("Version after reopening = %d, %v; want 1", v, err)
	}
	err = s.InTx(ctx, func(tx domain.ServerTx) error {
		v, err := tx.PutRecord(ctx, domain.SyncRecord{Kind: "usager", UUID: "u2", Site: site.ID})
		if err == nil && v != 2 {
			t.Errorf("first version after reopening = %d, want 2", v)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}

func TestOpenServer_FileMode(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "server.db")
	// A file left readable by others gets its mode fixed.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenServer(path, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AddSite(context.Background(), "EDAS Nanterre"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"server.db", "server.db-wal", "server.db-shm"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, mode)
		}
	}
	var mode string
	if err := s.db.read.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// TestOpenServer_OtherFiles checks that a desk's file and a server's are never mistaken for one
// another: each program refuses the other's file, and leaves it as it was.
func TestOpenServer_OtherFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	t.Run("desk file opened as a server", func(t *testing.T) {
		path := filepath.Join(dir, "desk.db")
		desk, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := desk.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = OpenServer(path, ServerOptions{})
		if err == nil || !strings.Contains(err.Error(), "not this program’s database") {
			t.Fatalf("OpenServer(desk file) = %v, want a refusal", err)
		}
		desk, err = Open(path, Options{})
		if err != nil {
			t.Fatalf("the desk file no longer opens: %v", err)
		}
		defer desk.Close()
		if n := count(t, desk, "sqlite_schema", "name = 'server_schema_migrations'"); n != 0 {
			t.Error("OpenServer left its migrations table in the desk file")
		}
	})

	t.Run("server file opened as a desk", func(t *testing.T) {
		path := filepath.Join(dir, "server.db")
		s, err := OpenServer(path, ServerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if desk, err := Open(path, Options{}); err == nil {
			desk.Close()
			t.Fatal("Open(server file) succeeded, want a refusal")
		}
		s, err = OpenServer(path, ServerOptions{})
		if err != nil {
			t.Fatalf("the server file no longer opens: %v", err)
		}
		s.Close()
	})

	t.Run("newer server schema", func(t *testing.T) {
		path := filepath.Join(dir, "newer.db")
		s, err := OpenServer(path, ServerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.db.write.Exec(`INSERT INTO server_schema_migrations (version, name, applied_at) VALUES (999, '0999_later.sql', '')`)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := OpenServer(path, ServerOptions{}); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("OpenServer(newer file) = %v, want a refusal", err)
		}
	})
}

// TestServerDB_PullPlan checks that a pull reads two ranges of the scope index, whatever the
// number of other sites' records, rather than every version above the cursor.
func TestServerDB_PullPlan(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	text := queryPlan(t, s, `SELECT `+syncRecordColumns+` FROM record WHERE site = ?1 AND version > ?2
		UNION ALL
		SELECT `+syncRecordColumns+` FROM record WHERE site IS NULL AND version > ?2
		ORDER BY version LIMIT ?3`, "s", 0, 10)
	if strings.Count(text, "record_scope (site=? AND version>?)") != 2 || strings.Contains(text, "TEMP B-TREE") {
		t.Errorf("pull plan:\n%s\nwant two range searches of record_scope and no sort", text)
	}
}

// TestServerDB_TombstoneKeepsNoField checks in the file itself that a deleted record's data is
// gone, not only hidden.
func TestServerDB_TombstoneKeepsNoField(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	ctx := context.Background()
	site, err := s.AddSite(ctx, "EDAS Nanterre")
	if err != nil {
		t.Fatal(err)
	}
	rec := domain.SyncRecord{Kind: "usager", UUID: "u1", Site: site.ID, Fields: map[string]domain.FieldValue{
		"display_name": {V: []byte(`"Nom à effacer"`), HLC: "1772357400123-0000-d1"}}}
	for _, deleted := range []bool{false, true} {
		rec.Deleted = deleted
		if err := s.InTx(ctx, func(tx domain.ServerTx) error {
			_, err := tx.PutRecord(ctx, rec)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var fields string
	if err := s.db.read.QueryRow(`SELECT fields || coalesce(conflicts, '') FROM record`).Scan(&fields); err != nil {
		t.Fatal(err)
	}
	if fields != "{}" {
		t.Errorf("a tombstone's row holds %s, want {}", fields)
	}
}

// TestServerDB_RecordsPlan checks that a push's batch read looks each record up by its primary
// key, rather than scanning the records.
func TestServerDB_RecordsPlan(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	text := queryPlan(t, s, getRecordsSQL, `[["usager","u1"]]`)
	if !strings.Contains(text, "SEARCH record USING INDEX") || !strings.Contains(text, "(kind=? AND uuid=?)") || strings.Contains(text, "SCAN record") {
		t.Errorf("batch read plan:\n%s\nwant a primary key lookup per pair, no scan of record", text)
	}
}

// queryPlan returns SQLite's query plan of query, one step a line.
func queryPlan(t *testing.T, s *ServerDB, query string, args ...any) string {
	t.Helper()
	rows, err := s.db.read.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
