package suggest

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/search"
)

// want is one expected suggestion: the short id of its service ("09" for t--svc-09).
type want struct {
	id      string
	domains []string
	give    bool
	why     string
}

func short(s domain.Suggestion) string { return strings.TrimPrefix(s.Hit.ID, src+"--svc-") }

// noCommune is the expected list for isolation and food needs when the commune is not known:
// no proximity (the café of Gennevilliers, 8 km away, comes back), no eligibility (the épicerie
// reserved to Rueil comes back), no distance in Why. Four services tie at 16.5 and are ordered by
// name: Café social de Gennevilliers, Épicerie solidaire de Rueil, La Fabrique, Ligne d’écoute.
var noCommune = []want{
	{"11", []string{"lien-social"}, false, "lien social · gratuit · ouvert aujourd’hui"},
	{"05", []string{"alimentation"}, false, "épicerie solidaire · gratuit · ouvert aujourd’hui"},
	{"03", []string{"lien-social"}, false, "lien social · gratuit · ouvert aujourd’hui"},
	{"06", []string{"alimentation"}, false, "épicerie solidaire · gratuit · ouvert mercredi"},
	{"04", []string{"lien-social"}, false, "lien social · à distance · gratuit · ouvert aujourd’hui"},
	{"02", []string{"lien-social"}, false, "lien social · gratuit · ouvert demain"},
	{"14", []string{"lien-social"}, false, "lien social · gratuit · ouvert demain"},
	{"08", []string{"lien-social"}, false, "lien social · gratuit · certains samedis"},
	{"09", []string{"lien-social"}, false, "lien social · gratuit"},
	{"01", []string{"lien-social"}, false, "lien social · ouvert demain"},
	{"13", []string{"lien-social"}, false, "lien social · gratuit"},
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex()
	interview := []domain.Need{needIsolement, needReseau, needAlimentation, needSante, needDonner, needNone}
	nanterreProfile := Profile{Commune: nanterre, Publics: []string{"demandeurs-emploi"}, Now: testNow}
	tests := []struct {
		name  string
		needs []domain.Need
		p     Profile
		opt   Options
		want  []want
	}{
		{
			// Round-robin (a share of one each: 12 / (2 × 5 needs)): Bénévoles du Cœur is the best
			// for lien social and answers the wish to give too, so that need has had its turn;
			// La Fabrique answers two needs. Then the rest by score. Left out: the épicerie
			// reserved to Rueil, the club for jeunes, the café of Gennevilliers (too far).
			name: "completed interview near Nanterre", needs: interview, p: nanterreProfile,
			want: []want{
				{"09", []string{"lien-social", "donner"}, true, "lien social · bénévolat · 3,1 km · gratuit · pour donner de son temps"},
				{"03", []string{"lien-social", "emploi"}, false, "lien social · développer son réseau · 2,5 km · gratuit · ouvert aujourd’hui"},
				{"06", []string{"alimentation"}, false, "épicerie solidaire · 1,0 km · gratuit · ouvert mercredi"},
				// A sensitive need asked by category code: named by the service's sub-theme.
				{"12", []string{"sante"}, false, "accès aux soins · 0,8 km · gratuit · ouvert jeudi"},
				// Free at 1,2 km beats paid at 0,5 km (01).
				{"02", []string{"lien-social"}, false, "lien social · 1,2 km · gratuit · ouvert demain"},
				{"10", []string{"donner"}, true, "1,8 km · ouvert mercredi · pour donner de son temps"},
				// Remote only: below the close free café, above the paid one.
				{"04", []string{"lien-social"}, false, "lien social · à distance · gratuit · ouvert aujourd’hui"},
				{"01", []string{"lien-social"}, false, "lien social · 0,5 km · ouvert demain"},
				// Closed every day: no opening bonus, nothing said.
				{"13", []string{"lien-social"}, false, "lien social · 0,4 km · gratuit"},
				// Same as 02 but its record is over two years old.
				{"14", []string{"lien-social"}, false, "lien social · 1,2 km · gratuit · ouvert demain"},
				{"08", []string{"lien-social"}, false, "lien social · 2,0 km · gratuit · certains samedis"},
			},
		},
		{
			// The order of picking: every need's best before the second of any.
			name: "limit smaller than the needs", needs: interview, p: nanterreProfile, opt: Options{Limit: 3},
			want: []want{
				{"09", []string{"lien-social", "donner"}, true, "lien social · bénévolat · 3,1 km · gratuit · pour donner de son temps"},
				{"03", []string{"lien-social", "emploi"}, false, "lien social · développer son réseau · 2,5 km · gratuit · ouvert aujourd’hui"},
				{"06", []string{"alimentation"}, false, "épicerie solidaire · 1,0 km · gratuit · ouvert mercredi"},
			},
		},
		{
			name: "young person: the club for jeunes comes first", needs: []domain.Need{needIsolement},
			p: Profile{Commune: nanterre, Publics: []string{"jeunes"}, Now: testNow}, opt: Options{Limit: 3},
			want: []want{
				{"07", []string{"lien-social"}, false, "lien social · 0,3 km · gratuit · ouvert mercredi"},
				{"02", []string{"lien-social"}, false, "lien social · 1,2 km · gratuit · ouvert demain"},
				{"04", []string{"lien-social"}, false, "lien social · à distance · gratuit · ouvert aujourd’hui"},
			},
		},
		{
			// Without a wish to give, Bénévoles du Cœur is only a far lien social place.
			name: "no public known: services for everyone only", needs: []domain.Need{needIsolement},
			p: Profile{Commune: nanterre, Now: testNow}, opt: Options{Limit: 4},
			want: []want{
				{"02", []string{"lien-social"}, false, "lien social · 1,2 km · gratuit · ouvert demain"},
				{"04", []string{"lien-social"}, false, "lien social · à distance · gratuit · ouvert aujourd’hui"},
				{"03", []string{"lien-social"}, false, "lien social · 2,5 km · gratuit · ouvert aujourd’hui"},
				{"01", []string{"lien-social"}, false, "lien social · 0,5 km · ouvert demain"},
			},
		},
		{
			name: "smaller radius", needs: []domain.Need{needIsolement},
			p: Profile{Commune: nanterre, Now: testNow}, opt: Options{NearKm: 1.5},
			want: []want{
				{"02", []string{"lien-social"}, false, "lien social · 1,2 km · gratuit · ouvert demain"},
				{"04", []string{"lien-social"}, false, "lien social · à distance · gratuit · ouvert aujourd’hui"},
				{"01", []string{"lien-social"}, false, "lien social · 0,5 km · ouvert demain"},
				{"13", []string{"lien-social"}, false, "lien social · 0,4 km · gratuit"},
				{"14", []string{"lien-social"}, false, "lien social · 1,2 km · gratuit · ouvert demain"},
			},
		},
		{
			// The ressourcerie is found only as a place to give: nearer and open sooner, it beats
			// the bénévolat association, found by category and as a place to give.
			name: "wish to give only", needs: []domain.Need{needDonner}, p: nanterreProfile,
			want: []want{
				{"10", []string{"donner"}, true, "1,8 km · ouvert mercredi · pour donner de son temps"},
				{"09", []string{"donner"}, true, "bénévolat · 3,1 km · gratuit · pour donner de son temps"},
			},
		},
		{
			name: "commune not known", needs: []domain.Need{needIsolement, needAlimentation},
			p: Profile{Now: testNow}, want: noCommune,
		},
		{
			name: "commune outside the département", needs: []domain.Need{needIsolement, needAlimentation},
			p: Profile{Commune: domain.CommuneOther, Now: testNow}, want: noCommune,
		},
		{
			name: "unknown INSEE code: as unknown", needs: []domain.Need{needIsolement, needAlimentation},
			p: Profile{Commune: "75056", Now: testNow}, want: noCommune,
		},
		{name: "no needs", needs: nil, p: nanterreProfile, want: []want{}},
		{name: "only a domain without need", needs: []domain.Need{needNone}, p: nanterreProfile, want: []want{}},
		{
			name: "a need nothing answers", p: nanterreProfile, want: []want{},
			needs: []domain.Need{{Domain: "mobilite", Thematiques: []string{"mobilite--preparer-un-permis"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Suggest(ix, tt.needs, tt.p, tt.opt)
			if got == nil {
				t.Fatal("Suggest returned nil, want an empty slice")
			}
			checkInvariants(t, got, tt.needs, tt.opt)
			gotW := make([]want, len(got))
			for i, s := range got {
				gotW[i] = want{short(s), s.Domains, s.Give, s.Why}
			}
			if !reflect.DeepEqual(gotW, tt.want) {
				t.Errorf("suggestions:\n got %v\nwant %v", gotW, tt.want)
			}
		})
	}
}

// checkInvariants checks what holds for every list: within the limit, each service once, each
// answering some need of the interview, scores of the fill phase decreasing, and no sensitive
// domain named in Why.
func checkInvariants(t *testing.T, got []domain.Suggestion, needs []domain.Need, opt Options) {
	t.Helper()
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(got) > limit {
		t.Errorf("%d suggestions, limit %d", len(got), limit)
	}
	seen := map[string]bool{}
	for _, s := range got {
		if seen[s.Hit.ServiceUUID] {
			t.Errorf("%s suggested twice", s.Hit.ID)
		}
		seen[s.Hit.ServiceUUID] = true
		if len(s.Domains) == 0 {
			t.Errorf("%s answers no need", s.Hit.ID)
		}
		for _, n := range needs {
			if n.Sensitive && n.DomainTitle != "" && strings.Contains(strings.ToLower(s.Why), strings.ToLower(n.DomainTitle)) {
				t.Errorf("%s: Why %q names the sensitive domain %q", s.Hit.ID, s.Why, n.DomainTitle)
			}
		}
		if s.Give != strings.Contains(s.Why, "pour donner de son temps") {
			t.Errorf("%s: Give %v but Why %q", s.Hit.ID, s.Give, s.Why)
		}
	}
}

func TestSuggest_Deterministic(t *testing.T) {
	t.Parallel()
	needs := []domain.Need{needIsolement, needReseau, needAlimentation, needSante, needDonner}
	p := Profile{Commune: nanterre, Publics: []string{"demandeurs-emploi"}, Now: testNow}
	ix := newFixtureIndex()
	first := Suggest(ix, needs, p, Options{})
	if len(first) == 0 {
		t.Fatal("no suggestions")
	}
	if again := Suggest(ix, needs, p, Options{}); !reflect.DeepEqual(again, first) {
		t.Errorf("second run differs:\n got %v\nwant %v", ids(again), ids(first))
	}
	// The same directory loaded in the opposite order.
	sts, svs := fixture()
	slices.Reverse(sts)
	slices.Reverse(svs)
	rev := search.New(search.Options{Now: func() time.Time { return testNow }})
	rev.Replace(sts, svs)
	if got := Suggest(rev, needs, p, Options{}); !reflect.DeepEqual(got, first) {
		t.Errorf("directory loaded in reverse:\n got %v\nwant %v", ids(got), ids(first))
	}
}

func ids(list []domain.Suggestion) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = short(s)
	}
	return out
}

// nilSearcher is a directory that answers nothing.
type nilSearcher struct{}

func (nilSearcher) Search(domain.SearchQuery) domain.SearchResult { return domain.SearchResult{} }

func TestSuggest_NothingFound(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]Searcher{"empty result": nilSearcher{}, "no searcher": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Suggest(s, []domain.Need{needIsolement}, Profile{Commune: nanterre, Now: testNow}, Options{})
			if got == nil || len(got) != 0 {
				t.Errorf("got %#v, want an empty slice", got)
			}
		})
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	// Synthetic candidates, best first, for three needs: A* answer need 0, B1 need 1, C1 need 2,
	// AB needs 0 and 1.
	mk := func(name string, needs ...int) *candidate {
		return &candidate{hit: &domain.Hit{ID: name}, needs: needs}
	}
	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		// A share of one round (4 / (2 × 3)): AB serves needs 0 and 1, C1 need 2; then by score.
		{"one round", 4, []string{"AB", "C1", "A1", "A2"}},
		// Two rounds (12 / 6): in the second, need 0 takes A1 and need 1 B1; need 2 has no more.
		{"two rounds", 12, []string{"AB", "C1", "A1", "B1", "A2", "A3"}},
		{"limit reached during the rounds", 1, []string{"AB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cands := []*candidate{mk("AB", 0, 1), mk("A1", 0), mk("A2", 0), mk("A3", 0), mk("B1", 1), mk("C1", 2)}
			var got []string
			for _, c := range pick(cands, 3, tt.limit) {
				got = append(got, c.hit.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	type q struct {
		themes, cats []string
		give, remote bool
	}
	near := domain.SearchQuery{Near: nanterre, Km: 5, EligibleFor: nanterre}
	tests := []struct {
		name  string
		needs []domain.Need
		base  domain.SearchQuery
		want  []q
	}{
		{
			// cafe-social shares lien social with its need: the thématique query finds them all.
			name: "category covered by the need's thématique", needs: []domain.Need{needIsolement}, base: near,
			want: []q{
				{themes: []string{"remobilisation--lien-social"}},
				{themes: []string{"remobilisation--lien-social"}, remote: true},
			},
		},
		{
			// A category code covers its sub-themes: panier-solidaire serves sante--acces-aux-soins.
			name: "covered through a thématique category code", base: near,
			needs: []domain.Need{{Domain: "sante", Thematiques: []string{"sante"}, Categories: []string{"panier-solidaire", "repair-cafe"}}},
			want: []q{
				{themes: []string{"sante"}},
				{cats: []string{"repair-cafe"}},
				{themes: []string{"sante"}, remote: true},
				{cats: []string{"repair-cafe"}, remote: true},
			},
		},
		{
			name: "repeated queries run once", base: near,
			needs: []domain.Need{needIsolement, {Domain: "bis", Thematiques: []string{"remobilisation--lien-social"}}, needDonner},
			want: []q{
				{themes: []string{"remobilisation--lien-social"}},
				{cats: []string{"benevolat"}},
				{give: true},
				{themes: []string{"remobilisation--lien-social"}, remote: true},
				{cats: []string{"benevolat"}, remote: true},
				{give: true, remote: true},
			},
		},
		{
			name: "no commune: no remote queries", needs: []domain.Need{needReseau, needAlimentation},
			want: []q{
				{themes: []string{"preparer-sa-candidature--developper-son-reseau"}},
				{cats: []string{"epicerie-solidaire"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []q
			for _, j := range plan(tt.needs, tt.base) {
				got = append(got, q{j.q.Themes, j.q.Categories, j.q.CanGive, j.remote})
				if j.remote != (j.q.Mode == "a-distance") {
					t.Errorf("remote job with mode %q", j.q.Mode)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("queries:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestOpening(t *testing.T) {
	t.Parallel()
	const (
		o = domain.DayOpen
		c = domain.DayClosed
		s = domain.DaySometimes
		u = domain.DayUnknown
	)
	tests := []struct {
		name  string
		week  [7]string
		today int // 0 = Monday
		text  string
		bonus float64
	}{
		{"open today", [7]string{o, o, o, o, o, c, c}, 0, "ouvert aujourd’hui", 2},
		{"open tomorrow", [7]string{c, o, c, c, c, c, c}, 0, "ouvert demain", 1.85},
		{"open on a later day", [7]string{c, c, c, o, c, c, c}, 0, "ouvert jeudi", 1.55},
		{"the week wraps around", [7]string{o, c, c, c, c, c, c}, 4, "ouvert lundi", 1.55},
		{"in six days", [7]string{c, c, c, c, c, c, o}, 0, "ouvert dimanche", 1.1},
		{"open beats sometimes sooner", [7]string{s, c, c, c, o, c, c}, 0, "ouvert vendredi", 1.4},
		{"some weeks only", [7]string{c, c, c, c, c, s, c}, 0, "certains samedis", 0.75},
		{"some weeks, today", [7]string{c, c, s, c, c, c, c}, 2, "certains mercredis", 1},
		{"unknown", [7]string{u, u, u, u, u, u, u}, 0, "", 0.5},
		{"no states at all", [7]string{}, 0, "", 0.5},
		{"closed and unknown", [7]string{c, c, u, c, c, c, c}, 0, "", 0.5},
		{"closed every day", [7]string{c, c, c, c, c, c, c}, 3, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := openingText(tt.week, tt.today); got != tt.text {
				t.Errorf("text %q, want %q", got, tt.text)
			}
			if got := openBonus(tt.week, tt.today); abs(got-tt.bonus) > 1e-9 {
				t.Errorf("bonus %v, want %v", got, tt.bonus)
			}
		})
	}
}

func abs(x float64) float64 { return max(x, -x) }

func TestWeekdayIndex(t *testing.T) {
	t.Parallel()
	for day, want := range map[int]int{2: 0, 3: 1, 7: 5, 8: 6} { // 2 November 2026 is a Monday
		if got := weekdayIndex(time.Date(2026, 11, day, 23, 0, 0, 0, time.UTC)); got != want {
			t.Errorf("%d November: %d, want %d", day, got, want)
		}
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	km := func(v float64) *float64 { return &v }
	week := [7]string{domain.DayOpen, domain.DayOpen, domain.DayOpen, domain.DayOpen, domain.DayOpen, domain.DayOpen, domain.DayOpen}
	tests := []struct {
		name string
		c    candidate
		near bool
		want float64
	}{
		{"one need at the door, nothing else", candidate{hit: &domain.Hit{DistanceKm: km(0)}, needs: []int{0}}, true, 16},
		{"half the nearness at 1,5 km", candidate{hit: &domain.Hit{DistanceKm: km(1.5)}, needs: []int{0}}, true, 14},
		{"remote only", candidate{hit: &domain.Hit{Remote: true}, needs: []int{0}}, true, 13.6},
		{"no commune: no nearness", candidate{hit: &domain.Hit{Remote: true}, needs: []int{0}}, false, 12},
		{
			"every factor at its best",
			candidate{hit: &domain.Hit{DistanceKm: km(0), Frais: "gratuit", Week: week,
				Freshness: domain.Freshness{Score: 1}}, needs: []int{0}, give: true},
			true, 22.5,
		},
		{"two needs, nothing else, far", candidate{hit: &domain.Hit{DistanceKm: km(5)}, needs: []int{0, 1}}, true, 24.923},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Every day closed unless set: no opening bonus.
			if tt.c.hit.Week == ([7]string{}) {
				for i := range tt.c.hit.Week {
					tt.c.hit.Week[i] = domain.DayClosed
				}
			}
			if got := score(&tt.c, 0, tt.near); abs(got-tt.want) > 1e-9 {
				t.Errorf("score %v, want %v", got, tt.want)
			}
		})
	}
	// One more need outweighs every other factor together.
	if rest := weightNear + weightFree + weightOpen + weightFresh + weightGive; rest >= weightNeed {
		t.Errorf("a need (%v) must outweigh all the other factors together (%v)", weightNeed, rest)
	}
}

func TestLowerFirst(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Lien social":                                   "lien social",
		"Épicerie solidaire":                            "épicerie solidaire",
		"Échange de services, SEL, accorderie":          "échange de services, SEL, accorderie",
		"Réaliser un CV et/ou une lettre de motivation": "réaliser un CV et/ou une lettre de motivation",
		"MDPH":     "MDPH",
		"déjà bas": "déjà bas",
		"":         "",
	} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatKm(t *testing.T) {
	t.Parallel()
	for km, want := range map[float64]string{0: "0,0 km", 1.2: "1,2 km", 4.96: "5,0 km", 12: "12,0 km"} {
		if got := formatKm(km); got != want {
			t.Errorf("formatKm(%v) = %q, want %q", km, got, want)
		}
	}
}
