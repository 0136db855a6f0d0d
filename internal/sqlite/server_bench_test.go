package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
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

// BenchmarkPullEncoded200 measures the pull of a sync wave: one desk's page of the 200 records
// its EDAS's colleagues pushed since its last sync, among the 5,000 that 25 EDAS pushed in
// pushes of 10, in a store already holding 12,000 records. "cache" serves it from the pull
// cache (caught up by the first pull, as the wave's first desk does: the catch-up is not in the
// figure); "sqlite" reads and encodes it from the file, as every pull did before the cache;
// "catch-up-5000" is the cache's first pull of the wave, which reads and encodes the 5,000
// records of every site once.
func BenchmarkPullEncoded200(b *testing.B) {
	for _, tt := range []struct {
		name   string
		cached bool
		fresh  bool // a cache at the desk's cursor each time: the catch-up of the whole wave
	}{{"cache", true, false}, {"sqlite", false, false}, {"catch-up-5000", true, true}} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := context.Background()
			s := benchOpenServer(b)
			const sites, perSite, global, perPush, wave = 25, 400, 2_000, 10, 200
			ids := make([]string, sites)
			for i := range ids {
				ids[i] = pcSite(b, s, fmt.Sprintf("EDAS %02d", i))
			}
			n := 0
			usager := func(site string) domain.SyncRecord {
				n++
				h := fmt.Sprintf("%013d-0000-0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000", 1763892000000+int64(n))
				return domain.SyncRecord{Kind: "usager", UUID: fmt.Sprintf("0190aaaa-0000-7000-8000-%012d", n), Site: site,
					Fields: map[string]domain.FieldValue{
						"display_name": {V: json.RawMessage(`"M. D."`), HLC: h},
						"commune":      {V: json.RawMessage(`"92050"`), HLC: h},
						"notes":        {V: json.RawMessage(`"Orientation vers l’épicerie solidaire."`), HLC: h},
					}}
			}
			var recs []domain.SyncRecord
			for range perSite {
				for _, site := range ids {
					recs = append(recs, usager(site))
				}
				for range global / perSite {
					recs = append(recs, pcRecord("service", fmt.Sprintf("svc-%d", n), "", n))
					n++
				}
				if len(recs) >= 1000 {
					mustPut(b, s, recs...)
					recs = recs[:0]
				}
			}
			mustPut(b, s, recs...)
			cursor, err := s.Version(ctx)
			if err != nil {
				b.Fatal(err)
			}
			// The desk's last pull, at the end of its previous sync: the cache has been there since.
			if _, err := s.PullEncoded(ctx, ids[0], cursor, 0, 500); err != nil {
				b.Fatal(err)
			}
			for range wave / perPush {
				for _, site := range ids {
					recs = recs[:0]
					for range perPush {
						recs = append(recs, usager(site))
					}
					mustPut(b, s, recs...)
				}
			}

			st := s
			if !tt.cached {
				st = sqliteOnly(s)
			} else if _, err := st.PullEncoded(ctx, ids[0], cursor, 0, 500); err != nil { // the catch-up
				b.Fatal(err)
			}
			pulled := 0
			for b.Loop() {
				if tt.fresh {
					b.StopTimer()
					st = &ServerDB{db: s.db, cache: newPullCacheAt(s.db, cursor)}
					b.StartTimer()
				}
				page, err := st.PullEncoded(ctx, ids[0], cursor, 0, 500)
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Changes) != wave || page.More {
					b.Fatalf("a page of %d changes, More %v; want %d, false", len(page.Changes), page.More, wave)
				}
				pulled += len(page.Changes)
			}
			if tt.fresh { // the records read and encoded, not the ones sent
				pulled = pulled / wave * wave * sites
			}
			b.ReportMetric(float64(pulled)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
