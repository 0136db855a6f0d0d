// Package accesslog keeps the access log of the usager files: who opened which file, interview
// or referral sheet, and when — never their content — in a file apart from the data (CNIL:
// access logs kept 6 to 12 months, apart from the data, without content). Lines older than the
// retention are dropped at start-up.
package accesslog

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// FileName is the access log's name in the data folder.
const FileName = "acces.log"

// Retention is how long a line is kept.
const Retention = 365 * 24 * time.Hour

// Log appends access lines to a file. Safe for concurrent use.
type Log struct {
	mu   sync.Mutex
	path string
	now  func() time.Time
}

// Open returns the access log of a data folder, first dropping lines older than Retention.
func Open(dir string, now func() time.Time) (*Log, error) {
	if now == nil {
		now = time.Now
	}
	l := &Log{path: filepath.Join(dir, FileName), now: now}
	if err := l.purge(); err != nil {
		return nil, err
	}
	return l, nil
}

// Record appends one line: time (UTC), worker, action, object. Fields are tab-separated; tabs
// and line breaks in them are replaced by spaces. A failure is returned, never hidden: an access
// that cannot be logged is a fact the caller reports.
func (l *Log) Record(worker, action, object string) error {
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }
	line := fmt.Sprintf("%s\t%s\t%s\t%s\n", l.now().UTC().Format(time.RFC3339), clean(worker), clean(action), clean(object))
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return fmt.Errorf("access log: %w", err)
	}
	return f.Close()
}

// purge rewrites the file without the lines older than Retention (or unreadable).
func (l *Log) purge() error {
	b, err := os.ReadFile(l.path)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	limit := l.now().Add(-Retention)
	var kept bytes.Buffer
	dropped := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		at, _, _ := strings.Cut(sc.Text(), "\t")
		t, err := time.Parse(time.RFC3339, at)
		if err != nil || t.Before(limit) {
			dropped = true
			continue
		}
		kept.WriteString(sc.Text())
		kept.WriteByte('\n')
	}
	if !dropped {
		return nil
	}
	tmp := l.path + ".tmp"
	if err := os.WriteFile(tmp, kept.Bytes(), 0o600); err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	return os.Rename(tmp, l.path)
}
