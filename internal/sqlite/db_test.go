package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestOpen_MigrationsAppliedOnce(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "passerelle.db")
	ms, err := loadMigrations(deskMigrations)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].version != 1 || ms[0].name != "0001_directory.sql" {
		t.Fatalf("migrations = %+v, want 0001_directory.sql first", ms)
	}

	clock := &testClock{t: t0}
	type applied struct {
		version int
		name    string
		at      string
	}
	read := func(db *DB) []applied {
		rows, err := db.read.Query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var as []applied
		for rows.Next() {
			var a applied
			if err := rows.Scan(&a.version, &a.name, &a.at); err != nil {
				t.Fatal(err)
			}
			as = append(as, a)
		}
		return as
	}

	db, err := Open(path, Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMeta(context.Background(), "device_id", "d1"); err != nil {
		t.Fatal(err)
	}
	first := read(db)
	if len(first) != len(ms) {
		t.Fatalf("schema_migrations has %d rows, want %d", len(first), len(ms))
	}
	if first[0].at != "2026-03-01T09:30:00.123Z" {
		t.Errorf("applied_at = %q, want the clock’s time in UTC with milliseconds", first[0].at)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopening later must neither re-run a migration (it would fail: the tables exist) nor lose
	// data.
	clock.Advance(3600e9)
	db, err = Open(path, Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if again := read(db); len(again) != len(first) || again[0] != first[0] {
		t.Errorf("after reopening, schema_migrations = %+v, want %+v", again, first)
	}
	if v, err := db.GetMeta(context.Background(), "device_id"); err != nil || v != "d1" {
		t.Errorf("GetMeta after reopening = %q, %v; want d1", v, err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
}

func TestOpen_Pragmas(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			var got string
			if err := db.write.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("write pool: PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
			}
			if err := db.read.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("read pool: PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
			}
		})
	}
	t.Run("read pool refuses writes", func(t *testing.T) {
		if _, err := db.read.Exec(`INSERT INTO meta (key, value) VALUES ('k', 'v')`); err == nil {
			t.Error("a write through the read pool succeeded")
		}
	})
}

func TestOpen_FileMode(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	mode := func(t *testing.T, path string) os.FileMode {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	check := func(t *testing.T, path string) {
		t.Helper()
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if m := mode(t, p); m != 0o600 {
				t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
			}
		}
	}

	t.Run("new file", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "new.db")
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		check(t, path)
	})
	t.Run("existing files readable by others", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "old.db")
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetMeta(context.Background(), "device_id", "d1"); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		// An older version, or a copy, left the files open to every user; another connection
		// keeps the -wal and -shm files in place while the store opens.
		other, err := sql.Open("sqlite", path+"?"+pragmas)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.Exec(`INSERT INTO meta (key, value) VALUES ('k', 'v')`); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Chmod(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		db, err = Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		check(t, path)
		if v, err := db.GetMeta(context.Background(), "device_id"); err != nil || v != "d1" {
			t.Errorf("GetMeta after reopening = %q, %v; want d1", v, err)
		}
	})
}

func TestOpen_Errors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notADB := filepath.Join(dir, "texte.db")
	if err := os.WriteFile(notADB, []byte("ceci n’est pas une base SQLite, mais un texte assez long pour un en-tête"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
	}{
		{"empty path", ""},
		{"missing directory", filepath.Join(dir, "absent", "passerelle.db")},
		{"question mark", filepath.Join(dir, "a?b.db")},
		{"not a database", notADB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, err := Open(tt.path, Options{})
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.HasPrefix(err.Error(), "open database: ") {
				t.Errorf("error %q does not say what failed", err)
			}
		})
	}
}

func TestOpen_NewerSchemaRefused(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	path := db.Path()
	if _, err := db.write.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(path, Options{})
	if err == nil {
		db2.Close()
		t.Fatal("Open accepted a database written by a newer version")
	}
}
