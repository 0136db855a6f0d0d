package directory_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
)

// BenchmarkImport100k measures what a worker waits for: importing the data·inclusion files of
// 100,000 services (and their 50,000 structures) into an empty desk — reading, checking, the
// one write transaction and the search index — then the same files again (nothing changes).
func BenchmarkImport100k(b *testing.B) {
	n := 100_000
	if raceEnabled {
		n = 2_000
	}
	sts, svs := demo.Generate(n, 92)
	dir := b.TempDir()
	stPath, svPath := filepath.Join(dir, "structures.json"), filepath.Join(dir, "services.json")
	for path, write := range map[string]func(f *os.File) error{
		stPath: func(f *os.File) error { return datainclusion.EncodeStructures(f, sts) },
		svPath: func(f *os.File) error { return datainclusion.EncodeServices(f, svs) },
	} {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := write(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	sources := []directory.Source{directory.FileSource(stPath), directory.FileSource(svPath)}
	ctx := context.Background()
	var first, again time.Duration
	for i := 0; b.Loop(); i++ {
		db, err := sqlite.Open(filepath.Join(b.TempDir(), "passerelle.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		d := directory.New(db, directory.Options{Logger: slog.New(slog.DiscardHandler)})
		if err := d.Load(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		rep, err := d.Import(ctx, sources, datainclusion.FormatAuto, domain.OriginImport, nil)
		first += time.Since(start)
		if err != nil || rep.Imported != len(sts)+len(svs) || len(rep.Rejected) > 0 {
			b.Fatalf("import: %+v %v", rep.ImportCounts, err)
		}
		start = time.Now()
		rep, err = d.Import(ctx, sources, datainclusion.FormatAuto, domain.OriginImport, nil)
		again += time.Since(start)
		if err != nil || rep.Unchanged != len(sts)+len(svs) {
			b.Fatalf("re-import: %+v %v", rep.ImportCounts, err)
		}
		db.Close()
	}
	b.ReportMetric(float64(n*b.N)/first.Seconds(), "services/s")
	b.ReportMetric(float64(n*b.N)/again.Seconds(), "unchanged-services/s")
	b.ReportMetric(0, "ns/op")
}
