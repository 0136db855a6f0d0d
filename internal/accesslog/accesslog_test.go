package accesslog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	l, err := Open(dir, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Record("Claire\tMartin", "ouverture dossier", "0190-uuid"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	if string(b) != "2026-11-23T10:00:00Z\tClaire Martin\touverture dossier\t0190-uuid\n" {
		t.Fatalf("line %q", b)
	}
	if st, _ := os.Stat(filepath.Join(dir, FileName)); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	// Thirteen months later, the line is dropped at start; a recent one stays.
	now = now.AddDate(0, 13, 0)
	l.Record("Claire Martin", "ouverture entretien", "0191-uuid")
	if _, err := Open(dir, clock); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, FileName))
	if strings.Contains(string(b), "0190-uuid") || !strings.Contains(string(b), "0191-uuid") {
		t.Fatalf("after purge: %q", b)
	}
}
