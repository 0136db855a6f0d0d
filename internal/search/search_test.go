package search

import (
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func TestIndex_Search_text(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"ligature folded", "coeur", []string{"01"}},
		{"ligature typed", "cœur", []string{"01"}},
		{"accents dropped", "epicerie", []string{"01", "02"}}, // equal scores: the fresher first
		{"capitals and accents", "ÉPICERIE", []string{"01", "02"}},
		{"prefix while typing", "epic", []string{"01", "11", "02"}}, // all prefixes in the name: by freshness
		// "epicrie" starts "épicriens" but is no word of the directory: the typo pass runs, and
		// the typo matches come after the prefix match.
		{"typo", "epicrie", []string{"11", "01", "02"}},
		{"typo in an unfinished word", "epicr", []string{"11", "01", "02"}},
		{"typo and prefix", "jardn partage", []string{"06", "05"}},
		{"every word must match", "accorderie gennevilliers", []string{"03"}},
		{"name before commune", "accorderie", []string{"03", "04"}},
		{"commune with hyphen typed with a space", "saint cloud", []string{"09"}},
		{"commune with hyphen", "saint-cloud", []string{"09"}},
		{"commune with article", "La Garenne-Colombes", []string{"08"}},
		{"commune without article", "garenne colombes", []string{"08"}},
		{"name beats commune", "nanterre", []string{"04", "01"}},
		{"commune of inherited place", "boulogne", []string{"13", "02"}},
		{"description", "parcelles", []string{"05"}},
		{"category label", "ressourcerie", []string{"09"}},
		{"thématique label", "parentalite", []string{"07"}},
		{"apostrophe", "l'épicerie", []string{"01", "02"}},
		{"deleted record not indexed", "fantome", []string{}},
		{"no match", "zzz", []string{}},
		{"one unknown word empties the result", "epicerie zzz", []string{}},
		{"one letter matches whole words only", "e", []string{}},
		{"stop words only: no text", "de la", []string{"03", "04", "10", "14", "07", "13", "11", "02", "01", "06", "05", "08", "09"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := ix.Search(domain.SearchQuery{Text: tt.text})
			if got := ids(res); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.text, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Total = %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func TestIndex_Search_why(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	tests := []struct {
		name string
		q    domain.SearchQuery
		hit  string
		want []string
	}{
		{"exact", domain.SearchQuery{Text: "coeur"}, "01", []string{"« cœur » dans le nom"}},
		{"prefix", domain.SearchQuery{Text: "epic"}, "01", []string{"« epic… » → « épicerie » dans le nom"}},
		{"typo", domain.SearchQuery{Text: "epicrie"}, "01", []string{"« epicrie » ≈ « épicerie » (faute de frappe)"}},
		{"words in query order", domain.SearchQuery{Text: "gennevilliers accorderie"}, "03",
			[]string{"« gennevilliers » dans le nom", "« accorderie » dans le nom"}},
		{"an unknown word: no hit, no reason", domain.SearchQuery{Text: "relais fraternel"}, "", nil},
		{"structure name", domain.SearchQuery{Text: "jardiniers"}, "06", []string{"« jardiniers » dans le nom de la structure"}},
		{"commune", domain.SearchQuery{Text: "boulogne"}, "13", []string{"« boulogne » dans la commune"}},
		{"description", domain.SearchQuery{Text: "hygiene"}, "02", []string{"« hygiène » dans la description"}},
		{"labels", domain.SearchQuery{Text: "parentalite"}, "07", []string{"« parentalité » dans la catégorie ou les thématiques"}},
		{"distance", domain.SearchQuery{Near: "92050"}, "01", []string{"à 0,5 km de Nanterre"}},
		{"distance from a commune with article", domain.SearchQuery{Near: "92060"}, "06", []string{"à 1,0 km du Plessis-Robinson"}},
		{"remote in a proximity search", domain.SearchQuery{Near: "92050"}, "10", []string{"proposé à distance uniquement"}},
		{"open", domain.SearchQuery{OpenOn: 6}, "02", []string{"ouvert le samedi"}},
		{"sometimes open", domain.SearchQuery{OpenOn: 6}, "06", []string{"ouvert certaines semaines le samedi"}},
		{"hours unknown", domain.SearchQuery{OpenOn: 6}, "04", []string{"horaires inconnus le samedi"}},
		{"free", domain.SearchQuery{FreeOnly: true}, "01", []string{"gratuit"}},
		{"eligible by commune", domain.SearchQuery{EligibleFor: "92050"}, "01", []string{"éligible : Nanterre"}},
		{"eligible by département", domain.SearchQuery{EligibleFor: "92050"}, "02", []string{"éligible : Hauts-de-Seine"}},
		{"eligible by territory", domain.SearchQuery{EligibleFor: "92050"}, "09", []string{"éligible : Paris Ouest La Défense"}},
		{"eligible everywhere in France", domain.SearchQuery{EligibleFor: "92050"}, "06", []string{"éligible : toute la France"}},
		{"eligible: no zone", domain.SearchQuery{EligibleFor: "92050"}, "03", []string{"éligible : aucune restriction de territoire"}},
		{"theme", domain.SearchQuery{Themes: []string{"sante"}}, "06", []string{"thématique : Santé"}},
		{"can give", domain.SearchQuery{CanGive: true}, "05", []string{"on peut aussi y donner de son temps ou de ses savoir-faire"}},
		{"in order: text, distance, day, free, eligibility",
			domain.SearchQuery{Text: "epicerie", Near: "92050", OpenOn: 1, FreeOnly: true, EligibleFor: "92050"}, "01",
			[]string{"« épicerie » dans le nom", "à 0,5 km de Nanterre", "ouvert le lundi", "gratuit", "éligible : Nanterre"}},
		{"no reason without text or filter", domain.SearchQuery{}, "01", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := ix.Search(tt.q)
			if tt.hit == "" {
				if len(res.Hits) != 0 {
					t.Fatalf("hits %v, want none", ids(res))
				}
				return
			}
			h := hitByID(res, tt.hit)
			if h == nil {
				t.Fatalf("%s not in %v", tt.hit, ids(res))
			}
			if !slices.Equal(h.Why, tt.want) {
				t.Errorf("Why = %q, want %q", h.Why, tt.want)
			}
		})
	}
}

// TestIndex_Search_ranking checks that exact beats prefix beats typo in the same field, and that
// a match in the name beats one in a lighter field.
func TestIndex_Search_ranking(t *testing.T) {
	t.Parallel()
	sts := []domain.Structure{structure("st", "Collectif", "92050", "Nanterre", nil)}
	svs := []domain.Service{
		service("svc-01", "st", "Potagers du quartier", "2026-10-01", nil), // prefix of "potager"
		service("svc-02", "st", "Potager du quartier", "2020-01-01", nil),  // exact, stale
		service("svc-03", "st", "Quartier vert", "2026-10-01", func(s *domain.Service) { // description only
			s.Description = "Un potager."
		}),
		service("svc-04", "st", "Ptoagers du quartier", "2026-10-01", nil), // typo of "potagers"
	}
	ix := New(Options{Now: func() time.Time { return testNow }})
	ix.Replace(sts, svs)
	tests := []struct {
		text string
		want []string
	}{
		{"potager", []string{"02", "01", "03"}},      // exact (stale) > prefix > exact in description; "potager" is a word: no typo pass
		{"potage", []string{"01", "02", "04", "03"}}, // prefix in the name > typo in the name > prefix in the description
	}
	for _, tt := range tests {
		res := ix.Search(domain.SearchQuery{Text: tt.text})
		if got := ids(res); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.text, got, tt.want)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i-1].Score < res.Hits[i].Score {
				t.Errorf("Search(%q): scores not decreasing: %v then %v", tt.text, res.Hits[i-1].Score, res.Hits[i].Score)
			}
		}
	}
	if !(kindQuality[kindExact] > kindQuality[kindPrefix] && kindQuality[kindPrefix] > kindQuality[kindTypo1] &&
		kindQuality[kindTypo1] > kindQuality[kindTypo2]) {
		t.Errorf("match qualities out of order: %v", kindQuality)
	}
}

func TestIndex_Search_filters(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	all := []string{"03", "04", "10", "14", "07", "13", "11", "02", "01", "06", "05", "08", "09"}
	tests := []struct {
		name string
		q    domain.SearchQuery
		want []string
	}{
		{"none: name order", domain.SearchQuery{}, all},
		{"theme category matches its sub-themes", domain.SearchQuery{Themes: []string{"sante"}}, []string{"06"}},
		{"sub-theme, own or from the local category", domain.SearchQuery{Themes: []string{"equipement-et-alimentation--alimentation"}},
			[]string{"02", "01", "06", "05"}},
		{"themes are OR", domain.SearchQuery{Themes: []string{"famille", "sante"}}, []string{"07", "06"}},
		{"inherited and own theme", domain.SearchQuery{Themes: []string{"remobilisation--lien-social"}},
			[]string{"03", "04", "07", "13", "11", "06", "05", "08"}},
		{"unknown theme", domain.SearchQuery{Themes: []string{"nope--nope"}}, []string{}},
		{"inferred category", domain.SearchQuery{Categories: []string{"cafe-social"}}, []string{"07", "13"}},
		{"categories are OR, explicit or inferred", domain.SearchQuery{Categories: []string{"jardin-partage", "repair-cafe"}},
			[]string{"06", "05", "08"}},
		{"publics: tous-publics and none match every public", domain.SearchQuery{Publics: []string{"familles"}},
			[]string{"03", "04", "14", "07", "13", "11", "02", "01", "06", "08", "09"}},
		{"publics are OR", domain.SearchQuery{Publics: []string{"jeunes", "seniors"}},
			[]string{"03", "04", "10", "14", "07", "13", "11", "02", "05", "08", "09"}},
		{"free only", domain.SearchQuery{FreeOnly: true}, []string{"03", "04", "10", "07", "01", "05", "08"}},
		{"remote mode", domain.SearchQuery{Mode: "a-distance"}, []string{"10", "07"}},
		{"on-site mode, stated or from a place", domain.SearchQuery{Mode: "en-presentiel"},
			[]string{"03", "04", "14", "07", "13", "11", "02", "01", "06", "05", "08", "09"}},
		{"unknown mode", domain.SearchQuery{Mode: "en-reve"}, []string{}},
		{"commune, own or inherited", domain.SearchQuery{Commune: "92050"}, []string{"04", "01"}},
		{"commune with a Paris postcode", domain.SearchQuery{Commune: "92012"}, []string{"13", "02"}},
		{"commune sharing its postcode", domain.SearchQuery{Commune: "92023"}, []string{"06"}},
		{"can give", domain.SearchQuery{CanGive: true}, []string{"05", "08"}},
		{"open on Saturday: closed ones out", domain.SearchQuery{OpenOn: 6},
			[]string{"03", "04", "10", "14", "07", "13", "11", "02", "06", "05", "08"}},
		{"open on Monday", domain.SearchQuery{OpenOn: 1},
			[]string{"03", "04", "10", "14", "07", "11", "01", "05", "08"}},
		{"eligible: commune, département, territory, France, no zone", domain.SearchQuery{EligibleFor: "92050"},
			[]string{"03", "04", "10", "14", "07", "13", "11", "02", "01", "06", "09"}},
		{"eligible by territory (GPSO)", domain.SearchQuery{EligibleFor: "92040"},
			[]string{"03", "04", "10", "14", "07", "13", "11", "02", "06", "05"}},
		{"eligible by commune code", domain.SearchQuery{EligibleFor: "92035"},
			[]string{"03", "04", "10", "14", "07", "13", "11", "02", "06", "08", "09"}},
		{"usager outside the département", domain.SearchQuery{EligibleFor: "75115"},
			[]string{"03", "04", "10", "14", "07", "13", "11", "06"}},
		{"filters combine (AND)", domain.SearchQuery{FreeOnly: true, Publics: []string{"seniors"}, Mode: "en-presentiel"},
			[]string{"03", "04", "07", "05", "08"}},
		{"text and filters", domain.SearchQuery{Text: "cafe", Commune: "92048"}, []string{"07"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := ix.Search(tt.q)
			if got := ids(res); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Total = %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func TestIndex_Search_openState(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	res := ix.Search(domain.SearchQuery{OpenOn: 6})
	want := map[string]string{"02": domain.DayOpen, "13": domain.DayOpen, "06": domain.DaySometimes,
		"04": domain.DayUnknown, "10": domain.DayUnknown}
	for id, state := range want {
		if h := hitByID(res, id); h == nil || h.OpenState != state {
			t.Errorf("hit %s: %+v, want open state %q", id, h, state)
		}
	}
	for _, h := range ix.Search(domain.SearchQuery{}).Hits {
		if h.OpenState != "" {
			t.Errorf("%s: OpenState %q without OpenOn", h.ID, h.OpenState)
		}
	}
}

func TestIndex_Search_near(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	tests := []struct {
		name       string
		q          domain.SearchQuery
		want       []string
		km         []float64 // DistanceKm of the on-site hits, in order
		remote     int
		remoteLast []string // the remote-only hits, listed after the others
	}{
		{"default radius 5 km", domain.SearchQuery{Near: "92050"}, []string{"04", "01", "08", "10"}, []float64{0, 0.5, 3.0}, 1, []string{"10"}},
		{"10 km, ties by name", domain.SearchQuery{Near: "92050", Km: 10},
			[]string{"04", "01", "08", "09", "13", "02", "03", "05", "10"}, []float64{0, 0.5, 3.0, 5.9, 7.0, 7.0, 7.7, 9.1}, 1, []string{"10"}},
		{"own coordinates beat the commune", domain.SearchQuery{Near: "92060"},
			[]string{"11", "06", "07", "05", "10"}, []float64{0, 1.0, 3.6, 4.7}, 1, []string{"10"}},
		{"text: score first, then distance", domain.SearchQuery{Text: "accorderie", Near: "92050", Km: 10},
			[]string{"04", "03"}, []float64{0, 7.7}, 0, nil},
		{"with filter", domain.SearchQuery{Near: "92050", FreeOnly: true}, []string{"04", "01", "08", "10"}, []float64{0, 0.5, 3.0}, 1, []string{"10"}},
		{"unknown centre: remote ones only", domain.SearchQuery{Near: "99999"}, []string{"10"}, nil, 1, []string{"10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := ix.Search(tt.q)
			if got := ids(res); !slices.Equal(got, tt.want) {
				t.Fatalf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
			if res.Remote != tt.remote {
				t.Errorf("Remote = %d, want %d", res.Remote, tt.remote)
			}
			var km []float64
			for i, h := range res.Hits {
				if h.Remote {
					if h.DistanceKm != nil {
						t.Errorf("%s: remote hit with a distance", h.ID)
					}
					if i < len(res.Hits)-len(tt.remoteLast) {
						t.Errorf("%s: remote hit before on-site ones", h.ID)
					}
					continue
				}
				if h.DistanceKm == nil {
					t.Fatalf("%s: on-site hit without distance", h.ID)
				}
				km = append(km, *h.DistanceKm)
			}
			if !slices.Equal(km, tt.km) {
				t.Errorf("DistanceKm = %v, want %v", km, tt.km)
			}
		})
	}
	// The unplaced on-site service (14) is found without proximity, never with it.
	if res := ix.Search(domain.SearchQuery{Text: "couture", Near: "92050", Km: 50}); len(res.Hits) != 0 {
		t.Errorf("unplaced service in a proximity search: %v", ids(res))
	}
	if res := ix.Search(domain.SearchQuery{Text: "couture"}); !slices.Equal(ids(res), []string{"14"}) {
		t.Errorf("unplaced service not found by text: %v", ids(res))
	}
}

func TestIndex_Search_facets(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	allDays := func(m map[int]int) map[int]int {
		for d := 1; d <= 7; d++ {
			if _, ok := m[d]; !ok {
				m[d] = 0
			}
		}
		return m
	}

	t.Run("whole directory", func(t *testing.T) {
		t.Parallel()
		res := ix.Search(domain.SearchQuery{})
		f := res.Facets
		if res.Total != 13 || res.Remote != 1 {
			t.Errorf("Total %d Remote %d, want 13 and 1", res.Total, res.Remote)
		}
		check(t, "categories", f.Categories, map[string]int{"epicerie-solidaire": 2, "echange-services": 2,
			"jardin-partage": 2, "cafe-social": 2, "repair-cafe": 1, "ressourcerie": 1, "lieu-numerique": 1})
		check(t, "frais", f.Frais, map[string]int{"gratuit": 7, "payant": 2})
		check(t, "modes", f.Modes, map[string]int{"en-presentiel": 12, "a-distance": 2})
		check(t, "communes", f.Communes, map[string]int{"92050": 2, "92012": 2, "92036": 1, "92040": 1,
			"92023": 1, "92048": 1, "92035": 1, "92064": 1, "92060": 1})
		check(t, "open days", f.OpenDays, map[int]int{1: 9, 2: 10, 3: 11, 4: 10, 5: 9, 6: 11, 7: 8})
		if f.CanGive != 2 {
			t.Errorf("CanGive = %d, want 2", f.CanGive)
		}
		for code, want := range map[string]int{
			"remobilisation": 8, "remobilisation--lien-social": 8, "remobilisation--bien-etre-confiance-en-soi": 4,
			"equipement-et-alimentation": 6, "equipement-et-alimentation--alimentation": 4, "sante": 1,
			"sante--acces-aux-soins": 1, "famille": 1, "numerique": 1, "numerique--acquerir-un-equipement": 1,
			"difficultes-financieres": 2, "preparer-sa-candidature": 2,
		} {
			if f.Themes[code] != want {
				t.Errorf("Themes[%s] = %d, want %d", code, f.Themes[code], want)
			}
		}
		if _, ok := f.Themes["logement-hebergement"]; ok {
			t.Errorf("Themes lists a category no service has")
		}
		// 8 services are for every public (tous-publics or none stated): they count for each.
		for code, want := range map[string]int{"familles": 11, "seniors": 10, "jeunes": 9, "tous-publics": 8, "femmes": 8} {
			if f.Publics[code] != want {
				t.Errorf("Publics[%s] = %d, want %d", code, f.Publics[code], want)
			}
		}
	})

	t.Run("a facet ignores its own filter", func(t *testing.T) {
		t.Parallel()
		res := ix.Search(domain.SearchQuery{Categories: []string{"cafe-social"}, FreeOnly: true})
		if got := ids(res); !slices.Equal(got, []string{"07"}) {
			t.Fatalf("hits %v, want [07]", got)
		}
		// Categories as if only FreeOnly were set; Frais as if only the category were set.
		check(t, "categories", res.Facets.Categories, map[string]int{"epicerie-solidaire": 1,
			"echange-services": 2, "jardin-partage": 1, "cafe-social": 1, "repair-cafe": 1, "lieu-numerique": 1})
		check(t, "frais", res.Facets.Frais, map[string]int{"gratuit": 1})
		check(t, "communes", res.Facets.Communes, map[string]int{"92048": 1})
		check(t, "modes", res.Facets.Modes, map[string]int{"en-presentiel": 1, "a-distance": 1})
	})

	t.Run("open days and commune", func(t *testing.T) {
		t.Parallel()
		res := ix.Search(domain.SearchQuery{OpenOn: 6, Commune: "92050"})
		if got := ids(res); !slices.Equal(got, []string{"04"}) {
			t.Fatalf("hits %v, want [04]", got)
		}
		check(t, "open days", res.Facets.OpenDays, allDays(map[int]int{1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 1, 7: 1}))
		check(t, "communes", res.Facets.Communes, map[string]int{"92050": 1, "92012": 2, "92036": 1,
			"92040": 1, "92023": 1, "92048": 1, "92035": 1, "92060": 1})
	})

	t.Run("can give ignores its own filter", func(t *testing.T) {
		t.Parallel()
		res := ix.Search(domain.SearchQuery{CanGive: true, Commune: "92040"})
		if res.Facets.CanGive != 1 || res.Total != 1 {
			t.Errorf("CanGive %d Total %d, want 1 and 1", res.Facets.CanGive, res.Total)
		}
		res = ix.Search(domain.SearchQuery{CanGive: true, Commune: "92050"})
		if res.Facets.CanGive != 0 || res.Total != 0 || res.Facets.Communes["92035"] != 1 {
			t.Errorf("CanGive %d Total %d communes %v", res.Facets.CanGive, res.Total, res.Facets.Communes)
		}
	})

	t.Run("themes with text and public", func(t *testing.T) {
		t.Parallel()
		res := ix.Search(domain.SearchQuery{Text: "jardin", Themes: []string{"sante"}, Publics: []string{"seniors"}})
		if res.Total != 0 {
			t.Fatalf("hits %v, want none (06 is for families)", ids(res))
		}
		// Themes counted without the theme filter: 05 (seniors) only.
		check(t, "themes", res.Facets.Themes, map[string]int{"remobilisation": 1, "remobilisation--lien-social": 1,
			"remobilisation--bien-etre-confiance-en-soi": 1, "equipement-et-alimentation": 1,
			"equipement-et-alimentation--alimentation": 1})
		// Publics counted without the public filter: 06 (familles).
		if res.Facets.Publics["familles"] != 1 || res.Facets.Publics["seniors"] != 0 {
			t.Errorf("Publics = %v", res.Facets.Publics)
		}
	})

	t.Run("no match still counts the other values", func(t *testing.T) {
		t.Parallel()
		res := ix.Search(domain.SearchQuery{Text: "zzz"})
		if res.Total != 0 || len(res.Facets.Categories) != 0 || len(res.Facets.OpenDays) != 7 {
			t.Errorf("result %+v", res)
		}
	})
}

func check[K comparable](t *testing.T, name string, got, want map[K]int) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func TestIndex_Search_hitFields(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	res := ix.Search(domain.SearchQuery{Text: "coeur", Near: "92050"})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", ids(res))
	}
	h := res.Hits[0]
	want := domain.Hit{
		ServiceUUID: uuidOf("svc-01"), ID: "t--svc-01",
		StructureUUID: domain.RecordUUID(domain.KindStructure, src, "t--st-coeur"), StructureID: "t--st-coeur",
		Source: "t", Nom: "Épicerie solidaire Cœur de Ville", StructureNom: "Association Cœur de Ville",
		Commune: "Nanterre", CodeInsee: "92050", DistanceKm: ptr(0.5),
		Thematiques: []string{}, // the record's own: this one states none
		Frais:       "gratuit", ModesAccueil: []string{"en-presentiel"}, Categorie: "epicerie-solidaire",
		Freshness: domain.Freshness{Level: domain.FreshUpToDate, Score: 1, MonthsOld: 1},
		Origin:    domain.OriginImport, Score: 10, // one token; its best field, the name: weight 10 × exact 100 %
		Why: []string{"« cœur » dans le nom", "à 0,5 km de Nanterre"},
	}
	if h.DistanceKm == nil || *h.DistanceKm != *want.DistanceKm {
		t.Errorf("DistanceKm = %v", h.DistanceKm)
	}
	h.DistanceKm, want.DistanceKm = nil, nil
	if !equalHit(h, want) {
		t.Errorf("hit\n got %+v\nwant %+v", h, want)
	}

	// Hits show the record's own thématiques and modes (as exported); the category's thématiques
	// only widen the theme filter (see TestIndex_Search_filters). An explicit category is kept.
	res = ix.Search(domain.SearchQuery{Text: "garennois"})
	if h := res.Hits[0]; h.Categorie != "repair-cafe" || h.PeutDonner != true || len(h.Thematiques) != 0 {
		t.Errorf("hit %+v", h)
	}
	res = ix.Search(domain.SearchQuery{Text: "fontaine"})
	if h := res.Hits[0]; !slices.Equal(h.Thematiques, []string{"sante--acces-aux-soins"}) ||
		h.Freshness.Level != domain.FreshToCheck || h.Commune != "Clamart" { // 6 months old to the day
		t.Errorf("hit %+v", h)
	}
	// Stale, unknown freshness; no stated mode stays unstated; remote flag outside proximity searches.
	res = ix.Search(domain.SearchQuery{Text: "coteau"})
	if h := res.Hits[0]; h.Freshness.Level != domain.FreshStale || len(h.ModesAccueil) != 0 {
		t.Errorf("hit %+v", h)
	}
	res = ix.Search(domain.SearchQuery{Text: "couture"})
	if h := res.Hits[0]; h.Freshness.Level != domain.FreshUnknown || h.Commune != "" || h.Categorie != "" {
		t.Errorf("hit %+v", h)
	}
	res = ix.Search(domain.SearchQuery{Text: "telephone"})
	if h := res.Hits[0]; !h.Remote || h.DistanceKm != nil || res.Remote != 1 {
		t.Errorf("hit %+v, remote %d", h, res.Remote)
	}
}

func equalHit(a, b domain.Hit) bool {
	return a.ServiceUUID == b.ServiceUUID && a.ID == b.ID && a.StructureUUID == b.StructureUUID &&
		a.StructureID == b.StructureID && a.Source == b.Source && a.Nom == b.Nom && a.StructureNom == b.StructureNom &&
		a.Commune == b.Commune && a.CodeInsee == b.CodeInsee && a.Remote == b.Remote &&
		slices.Equal(a.Thematiques, b.Thematiques) && a.Frais == b.Frais && slices.Equal(a.ModesAccueil, b.ModesAccueil) &&
		a.Categorie == b.Categorie && a.PeutDonner == b.PeutDonner && a.Freshness == b.Freshness &&
		a.OpenState == b.OpenState && a.Origin == b.Origin && a.Score == b.Score && slices.Equal(a.Why, b.Why)
}

func TestIndex_Search_page(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	tests := []struct {
		name  string
		q     domain.SearchQuery
		want  []string
		total int
	}{
		{"limit and offset", domain.SearchQuery{Limit: 2, Offset: 1}, []string{"04", "10"}, 13},
		{"last page", domain.SearchQuery{Limit: 5, Offset: 10}, []string{"05", "08", "09"}, 13},
		{"beyond the end", domain.SearchQuery{Offset: 13}, []string{}, 13},
		{"negative offset", domain.SearchQuery{Limit: 1, Offset: -3}, []string{"03"}, 13},
		{"text page", domain.SearchQuery{Text: "epic", Limit: 1, Offset: 1}, []string{"11"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := ix.Search(tt.q)
			if got := ids(res); !slices.Equal(got, tt.want) || res.Total != tt.total {
				t.Errorf("Search(%+v) = %v (total %d), want %v (total %d)", tt.q, got, res.Total, tt.want, tt.total)
			}
			if res.Hits == nil {
				t.Errorf("Hits is nil, want an empty list")
			}
		})
	}
}

// TestIndex_Search_deterministic: the same directory, given in any order, gives the same results;
// equal services are ordered by identifier.
func TestIndex_Search_deterministic(t *testing.T) {
	t.Parallel()
	sts, svs := fixture()
	a := New(Options{Now: func() time.Time { return testNow }})
	a.Replace(sts, svs)
	slices.Reverse(sts)
	slices.Reverse(svs)
	b := New(Options{Now: func() time.Time { return testNow }})
	b.Replace(sts, svs)
	for _, q := range []domain.SearchQuery{
		{}, {Text: "cafe des familles"}, {Text: "epic"}, {Near: "92050", Km: 10}, {OpenOn: 6},
		{Text: "solidaire", FreeOnly: true}, {Text: "e"},
	} {
		ra, rb := a.Search(q), b.Search(q)
		if !slices.Equal(ids(ra), ids(rb)) || !maps.Equal(ra.Facets.Communes, rb.Facets.Communes) {
			t.Errorf("Search(%+v): %v and %v", q, ids(ra), ids(rb))
		}
	}
	// Identical names and scores: by identifier.
	if got := ids(a.Search(domain.SearchQuery{Text: "cafe des familles", Commune: ""})); !slices.Equal(got, []string{"07", "13"}) {
		t.Errorf("ties: %v, want [07 13] (same score; 07 fresher)", got)
	}
	sts, svs = fixture()
	for i := range svs {
		if svs[i].Nom == "Café des familles" {
			svs[i].DateMaj = "2026-10-01"
		}
	}
	a.Replace(sts, svs)
	if got := ids(a.Search(domain.SearchQuery{Text: "familles"})); !slices.Equal(got, []string{"07", "13"}) {
		t.Errorf("ties: %v, want [07 13] (same score, same freshness: by id)", got)
	}
}

func TestFreshTable(t *testing.T) {
	t.Parallel()
	nows := []time.Time{testNow, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 2, 28, 23, 59, 59, 999, time.UTC), time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 3, 0, 0, 0, time.FixedZone("UTC+5", 5*3600))}
	for _, now := range nows {
		ft := newFreshTable(now)
		today := int32(now.Unix() / 86400)
		for day := today - 1200; day < today+60; day++ {
			date := time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
			want := int16(math.Round(domain.FreshnessOf(date, now).Score * 100))
			if got := ft.at(day); got != want {
				t.Fatalf("freshness of %s at %v = %v, want %v", date, now, got, want)
			}
		}
	}
	if newFreshTable(testNow).at(noDay) != 0 {
		t.Errorf("unknown date scores")
	}
}

// TestIndex_Search_hitWeek: every hit carries its week, whatever the query.
func TestIndex_Search_hitWeek(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	seen := false
	for _, h := range ix.Search(domain.SearchQuery{Limit: 500}).Hits {
		for _, s := range h.Week {
			if s == "" {
				t.Fatalf("hit %s has an empty day state: %v", h.ID, h.Week)
			}
		}
		if h.ID == "t--svc-06" { // Jardin partagé de la Fontaine: "Sa[1] 10:00-12:00"
			seen = true
			want := [7]string{domain.DayClosed, domain.DayClosed, domain.DayClosed, domain.DayClosed, domain.DayClosed, domain.DaySometimes, domain.DayClosed}
			if h.Week != want {
				t.Errorf("week of %s = %v, want %v", h.ID, h.Week, want)
			}
		}
	}
	if !seen {
		t.Fatal("t--svc-06 not in the results")
	}
}

func TestIndex_Hit(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	want := ix.Search(domain.SearchQuery{Text: "fontaine"}).Hits[0]
	got, ok := ix.Hit(want.ServiceUUID)
	if !ok || got.ID != want.ID || got.Nom != want.Nom || got.Commune != want.Commune || got.Week != want.Week {
		t.Fatalf("Hit = %+v, %v; want %+v", got, ok, want)
	}
	if _, ok := ix.Hit("no-such-service"); ok {
		t.Fatal("an unknown service has no hit")
	}
}
