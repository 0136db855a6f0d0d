package search

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
)

func TestIndex_Upsert(t *testing.T) {
	t.Parallel()
	find := func(ix *Index, q domain.SearchQuery) []string { return ids(ix.Search(q)) }

	t.Run("structure update reaches the services that inherit from it", func(t *testing.T) {
		t.Parallel()
		ix := newFixtureIndex()
		sts, _ := fixture()
		relais := sts[1]
		relais.Nom = "Le Lien Fraternel"
		relais.CodeInsee, relais.Commune = ptr("92072"), ptr("Sèvres")
		relais.HorairesAccueil = ptr("Mo 09:00-12:00")
		ix.Upsert([]domain.Structure{relais}, nil)
		if got := find(ix, domain.SearchQuery{Text: "fraternel"}); !slices.Equal(got, []string{"13", "02"}) {
			t.Errorf("new structure name: %v", got)
		}
		if got := find(ix, domain.SearchQuery{Text: "relais"}); !slices.Equal(got, []string{"02"}) {
			t.Errorf("old structure name: %v, want only 02 (its own name)", got)
		}
		if got := find(ix, domain.SearchQuery{Commune: "92012"}); len(got) != 0 {
			t.Errorf("old commune: %v", got)
		}
		if got := find(ix, domain.SearchQuery{Commune: "92072"}); !slices.Equal(got, []string{"13", "02"}) {
			t.Errorf("new commune: %v", got)
		}
		if got := find(ix, domain.SearchQuery{OpenOn: 1, Text: "familles"}); !slices.Equal(got, []string{"07", "13"}) {
			t.Errorf("new hours: %v", got)
		}
		res := ix.Search(domain.SearchQuery{Text: "fraternel"})
		if h := res.Hits[0]; h.StructureNom != "Le Lien Fraternel" || h.Commune != "Sèvres" || h.CodeInsee != "92072" {
			t.Errorf("hit %+v", h)
		}
		if ix.Len() != 13 {
			t.Errorf("Len = %d, want 13", ix.Len())
		}
	})

	t.Run("service update, new service, deletion", func(t *testing.T) {
		t.Parallel()
		ix := newFixtureIndex()
		_, svs := fixture()
		changed := svs[1] // 02
		changed.Nom = "Marché solidaire du Relais"
		added := service("svc-20", "st-garenne", "Frigo partagé", "2026-10-20", func(s *domain.Service) {
			s.Frais = ptr("gratuit")
		})
		gone := svs[0] // 01
		gone.DeletedAt = ptr(testNow)
		ix.Upsert(nil, []domain.Service{changed, added, gone})
		if got := find(ix, domain.SearchQuery{Text: "epicerie"}); len(got) != 0 {
			t.Errorf("old names still found: %v", got)
		}
		if got := find(ix, domain.SearchQuery{Text: "marche"}); !slices.Equal(got, []string{"02"}) {
			t.Errorf("new name: %v", got)
		}
		res := ix.Search(domain.SearchQuery{Text: "frigo"})
		if got := ids(res); !slices.Equal(got, []string{"20"}) || res.Hits[0].Commune != "La Garenne-Colombes" ||
			res.Hits[0].Categorie != "frigo-solidaire" {
			t.Errorf("added: %+v", res.Hits)
		}
		if ix.Len() != 13 {
			t.Errorf("Len = %d, want 13", ix.Len())
		}
		if got := ix.Search(domain.SearchQuery{}).Facets.Categories["frigo-solidaire"]; got != 1 {
			t.Errorf("facet of the added service: %d", got)
		}
		all := find(ix, domain.SearchQuery{Limit: 100})
		if want := []string{"03", "04", "10", "14", "07", "13", "11", "20", "06", "05", "02", "08", "09"}; !slices.Equal(all, want) {
			t.Errorf("name order after updates: %v, want %v", all, want)
		}
	})

	t.Run("service before its structure", func(t *testing.T) {
		t.Parallel()
		ix := New(Options{Now: func() time.Time { return testNow }})
		sv := service("svc-30", "st-late", "Tiers-lieu des Possibles", "2026-10-01", nil)
		ix.Upsert(nil, []domain.Service{sv})
		if res := ix.Search(domain.SearchQuery{Text: "possibles"}); res.Total != 1 || res.Hits[0].Commune != "" {
			t.Fatalf("orphan service: %+v", res)
		}
		st := structure("st-late", "Collectif Tardif", "92025", "Colombes", nil)
		ix.Upsert([]domain.Structure{st}, nil)
		res := ix.Search(domain.SearchQuery{Text: "possibles tardif"})
		if res.Total != 1 || res.Hits[0].Commune != "Colombes" || res.Hits[0].StructureNom != "Collectif Tardif" {
			t.Errorf("after its structure: %+v", res)
		}
		// Deleting the structure leaves the service without it.
		st.DeletedAt = ptr(testNow)
		ix.Upsert([]domain.Structure{st}, nil)
		if res := ix.Search(domain.SearchQuery{Text: "tardif"}); res.Total != 0 {
			t.Errorf("deleted structure still indexed: %v", ids(res))
		}
		if ix.Len() != 1 {
			t.Errorf("Len = %d, want 1", ix.Len())
		}
	})

	t.Run("service moved to another structure", func(t *testing.T) {
		t.Parallel()
		ix := newFixtureIndex()
		sts, svs := fixture()
		moved := svs[2] // 03, Gennevilliers
		moved.StructureID = "t--st-coteau"
		ix.Upsert(nil, []domain.Service{moved})
		if got := find(ix, domain.SearchQuery{Commune: "92064"}); !slices.Equal(got, []string{"03", "09"}) {
			t.Errorf("moved: %v", got)
		}
		// An update of its old structure no longer touches it; one of its new structure does.
		old := sts[2]
		old.Nom = "Accorderie Nord"
		coteau := sts[8]
		coteau.Nom = "Ressourcerie des Hauts"
		ix.Upsert([]domain.Structure{old, coteau}, nil)
		res := ix.Search(domain.SearchQuery{Text: "gennevilliers accorderie"})
		if got := ids(res); !slices.Equal(got, []string{"03"}) || res.Hits[0].StructureNom != "Ressourcerie des Hauts" {
			t.Errorf("after structure updates: %+v", res.Hits)
		}
	})
}

func TestIndex_Remove(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	ix.Remove(uuidOf("svc-01"), "no-such-uuid", uuidOf("svc-01"))
	if ix.Len() != 12 {
		t.Errorf("Len = %d, want 12", ix.Len())
	}
	if res := ix.Search(domain.SearchQuery{Text: "coeur"}); res.Total != 0 {
		t.Errorf("removed service found: %v", ids(res))
	}
	res := ix.Search(domain.SearchQuery{})
	if res.Total != 12 || res.Facets.Categories["epicerie-solidaire"] != 1 || res.Facets.Communes["92050"] != 1 {
		t.Errorf("facets after removal: total %d %v %v", res.Total, res.Facets.Categories, res.Facets.Communes)
	}
	// Back again.
	_, svs := fixture()
	ix.Upsert(nil, svs[:1])
	if got := ids(ix.Search(domain.SearchQuery{Text: "coeur"})); !slices.Equal(got, []string{"01"}) {
		t.Errorf("restored: %v", got)
	}
}

func TestIndex_Replace(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	sts := []domain.Structure{structure("st-x", "Autre annuaire", "92002", "Antony", nil)}
	svs := []domain.Service{service("svc-40", "st-x", "Bricothèque d’Antony", "2026-10-01", nil)}
	ix.Replace(sts, svs)
	if ix.Len() != 1 {
		t.Errorf("Len = %d, want 1", ix.Len())
	}
	if res := ix.Search(domain.SearchQuery{Text: "epicerie"}); res.Total != 0 {
		t.Errorf("old directory still there: %v", ids(res))
	}
	if got := ids(ix.Search(domain.SearchQuery{Text: "bricotheque"})); !slices.Equal(got, []string{"40"}) {
		t.Errorf("new directory: %v", got)
	}
	ix.Replace(nil, nil)
	if res := ix.Search(domain.SearchQuery{}); ix.Len() != 0 || res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("empty directory: %d, %+v", ix.Len(), res)
	}
}

// TestIndex_Upsert_compaction: many updates of the same services leave dead slots; past a
// threshold the index is rebuilt, with the same results.
func TestIndex_Upsert_compaction(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	_, svs := fixture()
	rounds := deadMin + 200
	for i := range rounds {
		sv := svs[0]
		sv.Description = fmt.Sprintf("Version %d des courses à petit prix.", i)
		ix.Upsert(nil, []domain.Service{sv})
	}
	ix.mu.RLock()
	dead, slots := ix.st.dead, len(ix.st.docs)
	ix.mu.RUnlock()
	if dead > deadMin || slots > deadMin+13 {
		t.Errorf("not compacted: %d dead of %d slots", dead, slots)
	}
	if ix.Len() != 13 {
		t.Errorf("Len = %d", ix.Len())
	}
	last := fmt.Sprintf("version %d", rounds-1)
	if got := ids(ix.Search(domain.SearchQuery{Text: last})); !slices.Equal(got, []string{"01"}) {
		t.Errorf("Search(%q) = %v", last, got)
	}
	if got := ids(ix.Search(domain.SearchQuery{Text: "version 5"})); len(got) != 0 {
		t.Errorf("old version found: %v", got)
	}
	fresh := newFixtureIndex()
	for _, q := range []domain.SearchQuery{{}, {Text: "epic"}, {Near: "92050", Km: 10}, {OpenOn: 6, FreeOnly: true}} {
		a, b := ix.Search(q), fresh.Search(q)
		if !slices.Equal(ids(a), ids(b)) || a.Total != b.Total {
			t.Errorf("Search(%+v) after compaction %v, fresh index %v", q, ids(a), ids(b))
		}
	}
}

// TestIndex_Upsert_largeBatch: a batch too large to apply in place rebuilds the index, with the
// same result as a Replace of everything.
func TestIndex_Upsert_largeBatch(t *testing.T) {
	t.Parallel()
	sts, svs := demo.Generate(inPlaceMax+300, 7)
	ix := newFixtureIndex()
	ix.Upsert(sts, svs)
	fsts, fsvs := fixture()
	ref := New(Options{Now: func() time.Time { return testNow }})
	ref.Replace(append(fsts, sts...), append(fsvs, svs...))
	if ix.Len() != 13+len(svs) || ref.Len() != ix.Len() {
		t.Fatalf("Len = %d and %d, want %d", ix.Len(), ref.Len(), 13+len(svs))
	}
	// A small batch afterwards is applied in place and must agree with a rebuild too.
	small := []domain.Service{svs[0], svs[1]}
	small[0].Nom, small[1].DeletedAt = "Épicerie du Renouveau", ptr(testNow)
	ix.Upsert(nil, small)
	ref.Upsert(nil, small)
	ref2 := New(Options{Now: func() time.Time { return testNow }})
	ix.wmu.Lock()
	ref2.swap(build(ix.rec))
	ix.wmu.Unlock()
	for _, q := range []domain.SearchQuery{
		{Limit: 500}, {Text: "epicerie", Limit: 500}, {Text: "renouveau"}, {Text: "jardn", Limit: 200},
		{Near: "92050", Km: 3, Limit: 500}, {Themes: []string{"remobilisation"}, OpenOn: 6, Limit: 300},
	} {
		a, b, c := ix.Search(q), ref.Search(q), ref2.Search(q)
		if !slices.Equal(ids(a), ids(b)) || !slices.Equal(ids(a), ids(c)) || a.Total != b.Total || a.Total != c.Total {
			t.Errorf("Search(%+v): %d/%d/%d hits differ", q, a.Total, b.Total, c.Total)
		}
	}
}

// TestIndex_concurrent runs searches while the index is written; run it under -race.
func TestIndex_concurrent(t *testing.T) {
	t.Parallel()
	n := 2000
	if !raceEnabled {
		n = 5000
	}
	sts, svs := demo.Generate(n, 3)
	ix := New(Options{Now: func() time.Time { return demo.ReferenceDate }})
	ix.Replace(sts, svs)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	queries := []domain.SearchQuery{
		{Text: "épicerie solidaire"}, {Text: "jardn"}, {}, {Near: "92050", Km: 3}, {Text: "cafe", OpenOn: 6, FreeOnly: true},
	}
	for g := range 3 {
		wg.Go(func() {
			for i := g; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res := ix.Search(queries[i%len(queries)])
				if res.Total < len(res.Hits) {
					t.Errorf("Total %d < %d hits", res.Total, len(res.Hits))
					return
				}
				for _, h := range res.Hits {
					if h.ServiceUUID == "" || h.Nom == "" {
						t.Errorf("empty hit %+v", h)
						return
					}
				}
			}
		})
	}
	for i := range 60 {
		sv := svs[i%len(svs)]
		sv.Nom = fmt.Sprintf("Épicerie numéro %d", i)
		ix.Upsert([]domain.Structure{sts[i%len(sts)]}, []domain.Service{sv})
		if i%10 == 0 {
			ix.Remove(svs[(i+1)%len(svs)].UUID)
		}
		if i == 30 {
			ix.Replace(sts, svs)
		}
	}
	close(stop)
	wg.Wait()
	if ix.Len() < n-3 || ix.Len() > n {
		t.Errorf("Len = %d", ix.Len())
	}
}

// TestIndex_Search_pages: pages of the same query are slices of one ranking, whichever way the
// best matches are selected.
func TestIndex_Search_pages(t *testing.T) {
	t.Parallel()
	sts, svs := demo.Generate(1200, 11)
	ix := New(Options{Now: func() time.Time { return demo.ReferenceDate }})
	ix.Replace(sts, svs)
	for _, q := range []domain.SearchQuery{
		{}, {Text: "cafe"}, {Text: "epicrie"}, {Near: "92040", Km: 4}, {Text: "atelier", Near: "92012"},
	} {
		all := q
		all.Limit = 500
		whole := ids(ix.Search(all))
		var paged []string
		for off := 0; off < len(whole); off += 37 {
			p := q
			p.Limit, p.Offset = 37, off
			paged = append(paged, ids(ix.Search(p))...)
		}
		if len(paged) > len(whole) { // the last page may run past the 500 of the whole
			paged = paged[:len(whole)]
		}
		if !slices.Equal(whole, paged) {
			t.Errorf("Search(%+v): pages differ from the whole", q)
		}
		if q.Text == "" && q.Near == "" {
			if len(whole) != 500 {
				t.Errorf("limit over 500 not capped: %d", len(whole))
			}
			big := q
			big.Limit = 5000
			if got := len(ix.Search(big).Hits); got != 500 {
				t.Errorf("Limit 5000 gave %d hits, want 500", got)
			}
		}
	}
}

func TestDictionary_matchTerms(t *testing.T) {
	t.Parallel()
	d := newDictionary()
	d.building = true
	for _, w := range []string{"epicerie", "epicier", "epicriens", "epidemie", "eric", "jardin", "jardins",
		"jardinage", "partage", "partages", "informatique", "potager", "picerie", "demonstration", "e"} {
		d.id(w)
	}
	d.finish()
	sc := &scratch{}
	tests := []struct {
		tok  string
		want map[string]uint8
	}{
		{"epicerie", map[string]uint8{"epicerie": kindExact}}, // a word: no typo pass
		{"epic", map[string]uint8{"epicerie": kindPrefix, "epicier": kindPrefix, "epicriens": kindPrefix,
			"epidemie": kindTypo1, "eric": kindTypo1}}, // not a word: typos too ("epi…" + one letter, "eric")
		{"epicrie", map[string]uint8{"epicriens": kindPrefix, "epicerie": kindTypo1, "epicier": kindTypo1}}, // "epicie" + r
		{"epicr", map[string]uint8{"epicriens": kindPrefix, "epicerie": kindTypo1, "epicier": kindTypo1}},
		{"jardn", map[string]uint8{"jardin": kindTypo1, "jardins": kindTypo1, "jardinage": kindTypo1}},
		{"partage", map[string]uint8{"partage": kindExact, "partages": kindPrefix}},
		{"infromatique", map[string]uint8{"informatique": kindTypo1}}, // transposition
		{"infrmatiqe", map[string]uint8{"informatique": kindTypo2}},   // two edits from 8 letters
		{"ifrmatiq", map[string]uint8{"informatique": kindTypo2}},     // two edits in a beginning
		{"jrdn", map[string]uint8{}},                        // two edits under 8 letters
		{"picerie", map[string]uint8{"picerie": kindExact}}, // the first letter must be right
		{"oicerie", map[string]uint8{}},
		{"epu", map[string]uint8{}}, // under 4 letters: no typo
		{"ep", map[string]uint8{"epicerie": kindPrefix, "epicier": kindPrefix, "epicriens": kindPrefix, "epidemie": kindPrefix}},
		{"e", map[string]uint8{"e": kindExact}}, // one letter: whole words only
		{"demonstartion", map[string]uint8{"demonstration": kindTypo1}},
		{"zzzz", map[string]uint8{}},
	}
	for _, tt := range tests {
		t.Run(tt.tok, func(t *testing.T) {
			got := map[string]uint8{}
			terms, _ := d.matchTerms(tt.tok, sc, nil)
			for _, m := range terms {
				got[d.strs[m.id]] = m.kind
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("matchTerms(%q) = %v, want %v", tt.tok, got, tt.want)
			}
		})
	}
	// Terms added after the build keep the sorted order the prefix and typo searches rely on.
	d.id("epicentre")
	d.id("aaa")
	if !slices.IsSorted(d.sorted) || len(d.sorted) != len(d.strs) {
		t.Errorf("sorted terms: %v", d.sorted)
	}
	terms, _ := d.matchTerms("epicen", sc, nil)
	if !slices.Contains(terms, termMatch{id: d.ids["epicentre"], kind: kindPrefix}) {
		t.Errorf("after insert: %v", terms)
	}
}
