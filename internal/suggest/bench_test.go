package suggest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/search"
)

// benchSize is the size of the generated directory: 100,000 services, 2,000 under -race.
func benchSize() int {
	if raceEnabled {
		return 2000
	}
	return 100_000
}

var benchIndex = sync.OnceValue(func() *search.Index {
	sts, svs := demo.Generate(benchSize(), 92)
	ix := search.New(search.Options{Now: func() time.Time { return demo.ReferenceDate }})
	ix.Replace(sts, svs)
	return ix
})

// benchNeeds are the needs of a realistic completed interview: isolation, a network to find
// work, food, and a wish to give.
var benchNeeds = []domain.Need{
	{
		Domain: "lien-social", DomainTitle: "Lien social et isolement",
		Thematiques: []string{"remobilisation--lien-social", "remobilisation--bien-etre-confiance-en-soi"},
		Categories:  []string{"cafe-social", "jardin-partage"},
	},
	{
		Domain: "emploi", DomainTitle: "Emploi et réseau",
		Thematiques: []string{"preparer-sa-candidature--developper-son-reseau"},
		Categories:  []string{"tiers-lieu"}, Publics: []string{"demandeurs-emploi"},
	},
	{
		Domain: "alimentation", DomainTitle: "Alimentation",
		Thematiques: []string{"equipement-et-alimentation--alimentation"},
		Categories:  []string{"epicerie-solidaire", "frigo-solidaire", "panier-solidaire"},
	},
	{Domain: "sante", DomainTitle: "Santé", Sensitive: true, Thematiques: []string{"sante--acces-aux-soins"}},
	{Domain: "donner", DomainTitle: "Envie de donner", Give: true, Categories: []string{"benevolat"}},
}

// BenchmarkSuggest100k measures one computation of suggestions for a completed interview over
// the generated directory and reports the 50th and 99th percentiles of its duration, in ms. The
// usager lives in Nanterre (the case of the issue); Antony, at the edge of the département, has
// fewer services around; without a commune there is no proximity, and every query brings its
// largest page.
func BenchmarkSuggest100k(b *testing.B) {
	ix := benchIndex()
	for _, bc := range []struct{ name, commune string }{
		{"nanterre", "92050"}, {"antony", "92002"}, {"sans-commune", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := Profile{Commune: bc.commune, Publics: []string{"demandeurs-emploi"}, Now: demo.ReferenceDate}
			Suggest(ix, benchNeeds, p, Options{}) // warm the index's working memory
			durs := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				out := Suggest(ix, benchNeeds, p, Options{})
				durs = append(durs, time.Since(start))
				if len(out) == 0 {
					b.Fatal("no suggestions")
				}
			}
			b.StopTimer()
			slices.Sort(durs)
			b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds())/1e6, "p50-ms")
			b.ReportMetric(float64(durs[min(len(durs)-1, len(durs)*99/100)].Nanoseconds())/1e6, "p99-ms")
		})
	}
}
