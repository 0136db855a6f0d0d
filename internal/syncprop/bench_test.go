package syncprop

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncclient"
	"github.com/edas92/passerelle/internal/syncserver"
)

// BenchmarkSync_1000Changes measures the incremental sync of the issue: a desk made 1,000 changes
// offline (new files, through the desk's real store, outbox and all); it syncs, then a
// colleague's desk of the same EDAS syncs and receives them. Both desks are real SQLite stores,
// the server is the real one on its SQLite file, over loopback HTTP. One op is the two syncs.
func BenchmarkSync_1000Changes(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	store, err := sqlite.OpenServer(filepath.Join(dir, "serveur.db"), sqlite.ServerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv := syncserver.New(store, syncserver.Options{DeviceRate: rate.Inf})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	site, err := srv.AddSite(ctx, "EDAS de Clichy")
	if err != nil {
		b.Fatal(err)
	}
	desk := func(name string) (*sqlite.DB, *syncclient.Client) {
		db, err := sqlite.Open(filepath.Join(dir, name+".db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		code, _, err := srv.NewEnrolment(ctx, site.ID)
		if err != nil {
			b.Fatal(err)
		}
		enr, err := syncclient.Enroll(ctx, hs.URL, code, name, syncclient.EnrollOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Enrol(ctx, enr); err != nil {
			b.Fatal(err)
		}
		return db, syncclient.New(db, syncclient.ClientOptions{})
	}
	a, ca := desk("a")
	defer a.Close()
	bdb, cb := desk("b")
	defer bdb.Close()
	n := 0
	var pushT, pullT time.Duration
	for b.Loop() {
		b.StopTimer()
		for range 1000 {
			n++
			u := domain.Usager{DisplayName: fmt.Sprintf("M. D. %d", n), Commune: "92024", Notes: "Orienté vers l’épicerie solidaire."}
			u.UUID = domain.NewUUID()
			if err := a.CreateUsager(ctx, u); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		t0 := time.Now()
		if rep, err := ca.Sync(ctx, nil); err != nil || rep.Pushed != 1000 {
			b.Fatalf("push: %v, %d pushed", err, rep.Pushed)
		}
		t1 := time.Now()
		if rep, err := cb.Sync(ctx, nil); err != nil || rep.Work < 1000 {
			b.Fatalf("pull: %v, %d received", err, rep.Work)
		}
		pushT, pullT = pushT+t1.Sub(t0), pullT+time.Since(t1)
	}
	b.ReportMetric(float64(pushT.Milliseconds())/float64(b.N), "push-ms")
	b.ReportMetric(float64(pullT.Milliseconds())/float64(b.N), "pull-ms")
}
