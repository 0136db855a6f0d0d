package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
)

// benchServices is the size of the benchmark directory: the largest the app is built for.
func benchServices() int {
	if raceEnabled {
		return 2_000
	}
	return 100_000
}

func benchBatch(b *testing.B) domain.ImportBatch {
	b.Helper()
	sts, svs := demo.Generate(benchServices(), 92)
	return domain.ImportBatch{Origin: domain.OriginDemo, Structures: sts, Services: svs}
}

func benchOpen(b *testing.B) *DB {
	b.Helper()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkApplyImport100k imports 100,000 services and their structures into an empty file, then
// the same batch again into a file that holds it (every record unchanged).
func BenchmarkApplyImport100k(b *testing.B) {
	batch := benchBatch(b)
	ctx := context.Background()
	records := len(batch.Structures) + len(batch.Services)

	b.Run("empty", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db := benchOpen(b)
			b.StartTimer()
			c, err := db.ApplyImport(ctx, batch, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if c.Imported != records {
				b.Fatalf("counts = %+v, want %d imported", c, records)
			}
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(len(batch.Services)*b.N)/b.Elapsed().Seconds(), "services/s")
		b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
	})

	b.Run("unchanged", func(b *testing.B) {
		db := benchOpen(b)
		defer db.Close()
		if _, err := db.ApplyImport(ctx, batch, nil); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			c, err := db.ApplyImport(ctx, batch, nil)
			if err != nil {
				b.Fatal(err)
			}
			if c.Unchanged != records {
				b.Fatalf("counts = %+v, want %d unchanged", c, records)
			}
		}
		b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "unchanged/s")
	})
}

// BenchmarkLoadDirectory100k loads 100,000 live services and their structures, as the app does at
// start-up.
func BenchmarkLoadDirectory100k(b *testing.B) {
	batch := benchBatch(b)
	ctx := context.Background()
	db := benchOpen(b)
	defer db.Close()
	if _, err := db.ApplyImport(ctx, batch, nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sts, svs, err := db.LoadDirectory(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(svs) != len(batch.Services) || len(sts) != len(batch.Structures) {
			b.Fatalf("loaded %d services, %d structures", len(svs), len(sts))
		}
	}
	b.ReportMetric(float64(len(batch.Services)*b.N)/b.Elapsed().Seconds(), "services/s")
}
