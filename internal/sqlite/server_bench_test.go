package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/edas92/passerelle/internal/servertest"
)

func benchOpenServer(b *testing.B) *ServerDB {
	b.Helper()
	s, err := OpenServer(filepath.Join(b.TempDir(), "server.db"), ServerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkServerPush100 measures one push of 100 small records: a write transaction reading and
// writing each record, committed to a real file (WAL, synchronous NORMAL).
func BenchmarkServerPush100(b *testing.B) {
	servertest.BenchPush100(b, benchOpenServer(b))
}

// BenchmarkPull500 measures one pull page of 500 records of a site, among another site's.
func BenchmarkPull500(b *testing.B) {
	servertest.BenchPull500(b, benchOpenServer(b))
}
