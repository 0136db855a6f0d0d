package syncclient

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncclient/memdesk"
)

// deskStores are the desk stores a benchmark runs on: the in-memory fake (the client and the
// server alone) and the desk's SQLite store.
func deskStores(b *testing.B) map[string]func(b *testing.B) domain.DeskSyncStore {
	return map[string]func(b *testing.B) domain.DeskSyncStore{
		"memory": func(b *testing.B) domain.DeskSyncStore { return memdesk.New(nil) },
		"sqlite": func(b *testing.B) domain.DeskSyncStore {
			db, err := sqlite.Open(filepath.Join(b.TempDir(), "passerelle.db"), sqlite.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
	}
}

// BenchmarkClient_FirstSync: a new desk's first sync of a directory of 100,000 services (and
// their structures), over loopback HTTP from the real server. One op is one whole sync.
func BenchmarkClient_FirstSync(b *testing.B) {
	n := 100_000
	if raceEnabled {
		n = 1000
	}
	e := newEnv(b, nil)
	records := e.importGenerated(n)
	site := e.addSite("EDAS")
	for _, name := range []string{"memory", "sqlite"} {
		open := deskStores(b)[name]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				store := open(b)
				enr, err := Enroll(context.Background(), e.url, e.code(site.ID), "Banc", EnrollOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if err := store.Enrol(context.Background(), enr); err != nil {
					b.Fatal(err)
				}
				c := New(store, ClientOptions{})
				b.StartTimer()
				rep, err := c.Sync(context.Background(), nil)
				if err != nil || rep.Directory != records {
					b.Fatalf("%v: %d directory records, want %d", err, rep.Directory, records)
				}
			}
			b.ReportMetric(float64(records), "records/op")
		})
	}
}

// BenchmarkClient_Push: 1,000 local changes pushed by one desk and pulled by a colleague's.
// One op is the two syncs.
func BenchmarkClient_Push(b *testing.B) {
	e := newEnv(b, nil)
	site := e.addSite("EDAS")
	a1, a2 := e.newDesk(site.ID, "A1", nil), e.newDesk(site.ID, "A2", nil)
	a2.mustSync(b)
	for b.Loop() {
		b.StopTimer()
		for range 1000 {
			a1.store.Change(domain.KindUsager, newUUID(), domain.MutUpsert, map[string]any{"display_name": "M. D.", "commune": "92050"})
		}
		b.StartTimer()
		if rep := a1.mustSync(b); rep.Pushed != 1000 {
			b.Fatalf("pushed %d", rep.Pushed)
		}
		if rep := a2.mustSync(b); rep.Work != 1000 {
			b.Fatalf("pulled %d", rep.Work)
		}
	}
}
