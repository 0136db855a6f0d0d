package search

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
)

// benchSize is the size of the generated directory: 100,000 services, 2,000 under -race.
func benchSize() int {
	if raceEnabled {
		return 2000
	}
	return 100_000
}

var generated = sync.OnceValues(func() ([]domain.Structure, []domain.Service) {
	return demo.Generate(benchSize(), 42)
})

var benchIndex = sync.OnceValue(func() *Index {
	sts, svs := generated()
	ix := New(Options{Now: func() time.Time { return demo.ReferenceDate }})
	ix.Replace(sts, svs)
	return ix
})

// benchQueries are the query families measured; each family cycles over a few queries so that
// one lucky word does not stand for the whole family.
var benchQueries = []struct {
	name    string
	queries []domain.SearchQuery
}{
	{"text", []domain.SearchQuery{
		{Text: "épicerie solidaire"}, {Text: "jardin partagé"}, {Text: "repair café"},
		{Text: "atelier informatique"}, {Text: "accorderie"}, {Text: "café rencontre"},
		{Text: "démonstration"}, {Text: "aide démarches en ligne"},
	}},
	{"typo", []domain.SearchQuery{
		{Text: "epicrie"}, {Text: "jardn partage"}, {Text: "informatiqe"}, {Text: "ressoucerie"},
		{Text: "benevolta"}, {Text: "acorderie"}, {Text: "recylerie"}, {Text: "demonstartion"},
	}},
	{"prefix3", []domain.SearchQuery{
		{Text: "epi"}, {Text: "jar"}, {Text: "caf"}, {Text: "ate"}, {Text: "sol"}, {Text: "rep"},
		{Text: "don"}, {Text: "ben"},
	}},
	{"text+theme+free+day", []domain.SearchQuery{
		{Text: "jardin", Themes: []string{"remobilisation"}, FreeOnly: true, OpenOn: 6},
		{Text: "épicerie", Themes: []string{"equipement-et-alimentation--alimentation"}, FreeOnly: true, OpenOn: 3},
		{Text: "café", Themes: []string{"remobilisation--lien-social"}, FreeOnly: true, OpenOn: 1},
		{Text: "atelier", Themes: []string{"numerique"}, FreeOnly: true, OpenOn: 5},
	}},
	{"text+near3km+eligible", []domain.SearchQuery{
		{Text: "épicerie", Near: "92050", Km: 3, EligibleFor: "92050"},
		{Text: "jardin", Near: "92040", Km: 3, EligibleFor: "92040"},
		{Text: "café", Near: "92012", Km: 3, EligibleFor: "92012"},
		{Text: "atelier", Near: "92025", Km: 3, EligibleFor: "92025"},
	}},
	{"empty+facets", []domain.SearchQuery{{}}},
}

// BenchmarkSearch100k measures one query at a time over the generated directory and reports the
// 50th and 99th percentiles of the per-query durations, in µs.
func BenchmarkSearch100k(b *testing.B) {
	ix := benchIndex()
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			for _, q := range bq.queries { // warm the scratch pool
				ix.Search(q)
			}
			durs := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				q := bq.queries[i%len(bq.queries)]
				i++
				start := time.Now()
				res := ix.Search(q)
				durs = append(durs, time.Since(start))
				if res.Total < 0 {
					b.Fatal("impossible")
				}
			}
			b.StopTimer()
			slices.Sort(durs)
			b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(durs[min(len(durs)-1, len(durs)*99/100)].Nanoseconds())/1e3, "p99-µs")
		})
	}
}

// BenchmarkBuild100k measures a full build and reports the heap the index holds (live heap after
// a collection, before and after the build, the input records being kept alive outside).
func BenchmarkBuild100k(b *testing.B) {
	sts, svs := generated()
	var heap uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix := New(Options{})
		ix.Replace(sts, svs)
		runtime.GC()
		runtime.ReadMemStats(&after)
		if after.HeapAlloc > before.HeapAlloc {
			heap = after.HeapAlloc - before.HeapAlloc
		}
		runtime.KeepAlive(ix)
	}
	b.ReportMetric(float64(heap)/(1<<20), "index-MiB")
	b.ReportMetric(float64(len(svs)), "services")
}

// BenchmarkUpsert100k measures an edit of one service, applied in place in the 100k index (the
// index is built once; dead slots are reclaimed by the periodic rebuild, counted in the average).
func BenchmarkUpsert100k(b *testing.B) {
	sts, svs := generated()
	ix := New(Options{})
	ix.Replace(sts, svs)
	i := 0
	for b.Loop() {
		sv := svs[i%len(svs)]
		sv.Description += " Mise à jour."
		ix.Upsert(nil, []domain.Service{sv})
		i++
	}
}
