package datadir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	base := t.TempDir()
	t.Setenv(EnvVar, filepath.Join(base, "env"))
	got, err := Resolve(filepath.Join(base, "flag"))
	if err != nil || got != filepath.Join(base, "flag") {
		t.Fatalf("the flag wins: %q %v", got, err)
	}
	got, err = Resolve("")
	if err != nil || got != filepath.Join(base, "env") {
		t.Fatalf("then the environment: %q %v", got, err)
	}
	if st, err := os.Stat(got); err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
		t.Fatalf("the folder is created for its owner only: %v %v", st, err)
	}
	t.Setenv(EnvVar, "")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(base, "config"))
	got, err = Resolve("")
	if err != nil || got != filepath.Join(base, "config", "Passerelle") {
		t.Fatalf("then the user's config folder: %q %v", got, err)
	}
}

func TestOpenLog_Rotates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := strings.Repeat("x", maxLogSize+1)
	if err := os.WriteFile(filepath.Join(dir, LogFile), []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := OpenLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new\n")
	f.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, LogFile)); string(b) != "new\n" {
		t.Errorf("the log starts afresh: %d bytes", len(b))
	}
	if st, err := os.Stat(filepath.Join(dir, LogFile+".1")); err != nil || st.Size() != int64(len(big)) {
		t.Errorf("the old log is kept as .1: %v", err)
	}
	f, _ = OpenLog(dir) // small: appended to, not rotated
	f.WriteString("more\n")
	f.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, LogFile)); string(b) != "new\nmore\n" {
		t.Errorf("appended: %q", b)
	}
}
