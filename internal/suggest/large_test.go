package suggest

import (
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/search"
)

// generated returns a search index over n generated services.
func generated(n int) *search.Index {
	sts, svs := demo.Generate(n, 7)
	ix := search.New(search.Options{Now: func() time.Time { return demo.ReferenceDate }})
	ix.Replace(sts, svs)
	return ix
}

// denseIndex is a generated directory where most needs are well served close by: 20,000
// services (2,000 under -race, where it is no longer dense).
var denseIndex = sync.OnceValue(func() *search.Index {
	if raceEnabled {
		return sparseIndex()
	}
	return generated(20_000)
})

// sparseIndex is a generated directory of 2,000 services, the size of a real one: no need is
// well served close by, so every match is a candidate.
var sparseIndex = sync.OnceValue(func() *search.Index { return generated(2000) })

// Communes of different densities: Nanterre, Antony (at the edge of the département), Boulogne.
var largeCommunes = []string{"92050", "92002", "92012"}

func hitIDs(hits []domain.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// A need's pool is the nearest services of the whole radius: poolDense of them when that many
// are within denseKm, else every match.
func TestFetch_NearestOfWholeRadius(t *testing.T) {
	t.Parallel()
	ix := denseIndex()
	dense, sparse := 0, 0
	for _, c := range largeCommunes {
		base := baseQuery(Profile{Commune: c, Publics: []string{"demandeurs-emploi"}}, domain.DefaultNearKm)
		for _, j := range plan(benchNeeds, base) {
			if j.remote {
				continue
			}
			whole := j.q
			whole.Limit = poolAll
			all := ix.Search(whole)
			want := all.Hits
			close := j.q
			close.Km, close.Limit = denseKm, 1
			if r := ix.Search(close); r.Total-r.Remote >= poolDense {
				dense++
				want = want[:poolDense]
			} else {
				sparse++ // every match, or the nearest poolAll
			}
			if got := fetch(ix, j.q); !slices.Equal(hitIDs(got), hitIDs(want)) {
				t.Errorf("%s %v %v give=%v:\n got %v\nwant %v", c, j.q.Themes, j.q.Categories, j.q.CanGive,
					hitIDs(got), hitIDs(want))
			}
		}
	}
	if !raceEnabled && (dense == 0 || sparse == 0) {
		t.Errorf("%d dense and %d sparse queries: the test data does not cover both", dense, sparse)
	}
}

// The remote-only pool is the first remote-only services by name order, as a query without
// proximity lists them.
func TestFetchRemote_FirstByName(t *testing.T) {
	t.Parallel()
	ix := denseIndex()
	full := 0
	for _, c := range largeCommunes {
		base := baseQuery(Profile{Commune: c}, domain.DefaultNearKm)
		for _, j := range plan(benchNeeds, base) {
			if !j.remote {
				continue
			}
			got := fetchRemote(ix, j.q)
			ref := j.q
			ref.Near, ref.Km, ref.Limit = "", 0, 500
			res := ix.Search(ref)
			var want []domain.Hit
			for _, h := range res.Hits {
				if h.Remote {
					want = append(want, h)
				}
			}
			if len(want) < poolRemote && len(res.Hits) < res.Total {
				t.Fatalf("reference page too short: %d remote-only of %d", len(want), res.Total)
			}
			want = want[:min(len(want), poolRemote)]
			if len(got) == poolRemote {
				full++
			}
			if !slices.Equal(hitIDs(got), hitIDs(want)) {
				t.Errorf("%s %v %v give=%v:\n got %v\nwant %v", c, j.q.Themes, j.q.Categories, j.q.CanGive,
					hitIDs(got), hitIDs(want))
			}
		}
	}
	if !raceEnabled && full == 0 {
		t.Error("no remote pool was cut: the test data is too sparse")
	}
}

// Hybrid services placed at the commune's centre come first in a remote query: they must not
// take the places of remote-only ones.
func TestFetchRemote_SkipsHybridsAtCentre(t *testing.T) {
	t.Parallel()
	sts := []domain.Structure{structure("st-nant", "Association Nanterre Ensemble", nanterre),
		structure("st-tel", "Réseau Écoute", "")}
	lien := func(s *domain.Service) { s.Thematiques = []string{"remobilisation--lien-social"} }
	// Received on site and at a distance, with a commune and no coordinates: placed at the centre.
	hybrid := service("svc-hybride", "st-nant", "Accueil et téléphone", "", 0, 0, func(s *domain.Service) {
		lien(s)
		s.ModesAccueil = []string{"en-presentiel", "a-distance"}
		s.CodeInsee, s.Commune = domain.Ptr(nanterre), domain.Ptr("Nanterre")
	})
	svs := []domain.Service{hybrid}
	for i := range poolRemote + 10 {
		svs = append(svs, service("svc-tel-"+string(rune('a'+i/26))+string(rune('a'+i%26)), "st-tel",
			"Ligne "+string(rune('a'+i/26))+string(rune('a'+i%26)), "", 0, 0, func(s *domain.Service) {
				lien(s)
				s.ModesAccueil = []string{"a-distance"}
			}))
	}
	ix := search.New(search.Options{Now: func() time.Time { return testNow }})
	ix.Replace(sts, svs)

	var remote domain.SearchQuery
	for _, j := range plan([]domain.Need{needIsolement}, baseQuery(Profile{Commune: nanterre}, 5)) {
		if j.remote {
			remote = j.q
		}
	}
	if first := ix.Search(remote); len(first.Hits) == 0 || first.Hits[0].Remote {
		t.Fatal("the hybrid service is not first in the remote query: the test proves nothing")
	}
	got := fetchRemote(ix, remote)
	if len(got) != poolRemote {
		t.Errorf("%d remote-only services, want %d", len(got), poolRemote)
	}
	for _, h := range got {
		if !h.Remote {
			t.Errorf("%s is not remote only", h.ID)
		}
	}
}

// In a directory of a real size the pools are every match: the suggestions are those of ranking
// all the pages of every query.
func TestSuggest_PoolsMatchEveryMatch(t *testing.T) {
	t.Parallel()
	ix := sparseIndex()
	now := demo.ReferenceDate
	for _, c := range largeCommunes {
		t.Run(c, func(t *testing.T) {
			t.Parallel()
			p := Profile{Commune: c, Publics: []string{"demandeurs-emploi"}, Now: now}
			got := Suggest(ix, benchNeeds, p, Options{})
			if len(got) != DefaultLimit {
				t.Errorf("%d suggestions, want %d", len(got), DefaultLimit)
			}
			base := baseQuery(p, domain.DefaultNearKm)
			var cands []*candidate
			seen := map[string]bool{}
			for _, j := range plan(benchNeeds, base) {
				q := j.q
				q.Mode, q.Km = "", base.Km // remote queries too: every match
				for q.Offset, q.Limit = 0, 100; ; q.Offset += q.Limit {
					res := ix.Search(q)
					for i := range res.Hits {
						if h := &res.Hits[i]; !seen[h.ServiceUUID] {
							seen[h.ServiceUUID] = true
							cands = append(cands, &candidate{hit: h})
						}
					}
					if q.Offset+len(res.Hits) >= res.Total {
						break
					}
				}
			}
			want := rank(cands, benchNeeds, DefaultLimit, weekdayIndex(now), true)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("with pools:\n got %v\nwant %v", ids(got), ids(want))
			}
		})
	}
}

// In a dense directory every need still has suggestions, all within the radius.
func TestSuggest_DenseDirectory(t *testing.T) {
	t.Parallel()
	ix := denseIndex()
	for _, c := range largeCommunes {
		p := Profile{Commune: c, Publics: []string{"demandeurs-emploi"}, Now: demo.ReferenceDate}
		got := Suggest(ix, benchNeeds, p, Options{})
		checkInvariants(t, got, benchNeeds, Options{})
		for _, n := range benchNeeds {
			if !slices.ContainsFunc(got, func(s domain.Suggestion) bool { return slices.Contains(s.Domains, n.Domain) }) {
				t.Errorf("%s: no suggestion for %s", c, n.Domain)
			}
		}
		for _, s := range got {
			if !s.Hit.Remote && (s.Hit.DistanceKm == nil || *s.Hit.DistanceKm > domain.DefaultNearKm) {
				t.Errorf("%s: %s is not within the radius: %v", c, s.Hit.ID, s.Hit.DistanceKm)
			}
		}
	}
}
