package grid

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
)

func TestDefault_IsValid(t *testing.T) {
	t.Parallel()
	g := Default()
	if err := Validate(g); err != nil {
		t.Fatal(err)
	}
	if DefaultID != "grille-edas" || g.ID != DefaultID || g.Version != 1 || g.Title != "Grille EDAS" {
		t.Fatalf("id %q version %d title %q", g.ID, g.Version, g.Title)
	}
}

func TestDefault_IsTheShippedFile(t *testing.T) {
	t.Parallel()
	file, err := os.ReadFile("default.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(DefaultJSON(), file) {
		t.Fatal("DefaultJSON is not default.json")
	}
	g, err := Parse(DefaultJSON())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, Default()) {
		t.Fatal("Default is not the parsed default.json")
	}
}

// TestDefault_Copies checks that a caller changing what it got cannot change the next caller's.
func TestDefault_Copies(t *testing.T) {
	t.Parallel()
	g := Default()
	g.Domains[0].Questions[0].Label = "changé"
	g.Domains[0].Questions[1].Options[0].Publics[0] = "changé"
	g.Domains[0].Thematiques[0] = "changé"
	g.Domains[0].Questions[4].ShowIf.Equals = "changé"
	b := DefaultJSON()
	b[0] = 'x'
	if !reflect.DeepEqual(Default(), mustParse(t, DefaultJSON())) {
		t.Fatal("changing a copy changed the default grid")
	}
	if DefaultJSON()[0] != '{' {
		t.Fatal("changing DefaultJSON's bytes changed the file")
	}
}

func mustParse(t *testing.T, b []byte) domain.Grid {
	t.Helper()
	g, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestDefault_Shape checks what the grid promises: the domains asked for, each opening on the
// person's self-assessment, health sensitive and optional.
func TestDefault_Shape(t *testing.T) {
	t.Parallel()
	g := Default()
	var ids []string
	for _, d := range g.Domains {
		ids = append(ids, d.ID)
	}
	want := []string{"situation", "liens", "reseau-emploi", "sante", "alimentation", "logement", "mobilite", "numerique", "donner", "attentes"}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("domains %v, want %v", ids, want)
	}
	types := map[string]bool{}
	for _, d := range g.Domains {
		t.Run(d.ID, func(t *testing.T) {
			first := d.Questions[0]
			if first.Type != domain.QScale || first.Scale == nil || !first.Scale.WorkerRating ||
				first.Scale.MinLabel == "" || first.Scale.MaxLabel == "" {
				t.Errorf("does not start with a self-assessment with labels and worker rating: %+v", first)
			}
			if SelfAssessment(d) != first.ID {
				t.Errorf("SelfAssessment = %q, want %q", SelfAssessment(d), first.ID)
			}
			if n := len(d.Questions) - 1; n < 3 || n > 7 {
				t.Errorf("%d questions after the self-assessment, want 3 to 7", n)
			}
			if d.Sensitive != (d.ID == "sante") {
				t.Errorf("sensitive = %v", d.Sensitive)
			}
			for _, q := range d.Questions {
				types[q.Type] = true
				if d.Sensitive && q.Required {
					t.Errorf("%s: required in the sensitive domain", q.ID)
				}
				if !d.Sensitive && q.ShowIf != nil {
					for _, r := range refs(q.ShowIf, nil) {
						if strings.HasPrefix(r, "sante-") {
							t.Errorf("%s: condition on the health question %s", q.ID, r)
						}
					}
				}
				for _, s := range []string{q.Label, q.Help} {
					if strings.ContainsAny(s, "'\"") {
						t.Errorf("%s: straight quote or apostrophe in %q (write ’ and « »)", q.ID, s)
					}
				}
				if !d.Sensitive && q.Type == domain.QScale && !q.Required {
					t.Errorf("%s: the self-assessment of a non-sensitive domain should be required", q.ID)
				}
			}
		})
	}
	for _, typ := range questionTypes {
		if !types[typ] {
			t.Errorf("the default grid uses no question of type %s", typ)
		}
	}
}

// tags gathers every thématique, category and public a domain can reveal, and whether it can
// reveal a wish to give.
func tags(d domain.GridDomain) (map[string]bool, bool) {
	out := map[string]bool{}
	give := false
	for _, s := range append(slices.Clone(d.Thematiques), d.Categories...) {
		out[s] = true
	}
	for _, q := range d.Questions {
		for _, o := range q.Options {
			for _, s := range slices.Concat(o.Thematiques, o.Categories, o.Publics) {
				out[s] = true
			}
			give = give || o.Give
		}
	}
	return out, give
}

// TestDefault_Tags checks that each domain can reveal the needs the département's experiment
// found, mapped to the directory's vocabularies.
func TestDefault_Tags(t *testing.T) {
	t.Parallel()
	g := Default()
	want := map[string][]string{
		"situation":     {"demandeurs-emploi", "beneficiaires-des-minimas-sociaux", "difficultes-financieres--*"},
		"liens":         {"remobilisation--lien-social", "cafe-social", "jardin-partage", "tiers-lieu", "echange-services"},
		"reseau-emploi": {"preparer-sa-candidature--developper-son-reseau", "trouver-un-emploi--*", "choisir-un-metier--*", "tiers-lieu", "benevolat"},
		"sante":         {"sante--acces-aux-soins", "sante--sante-mentale", "equipement-et-alimentation--alimentation"},
		"alimentation":  {"equipement-et-alimentation--alimentation", "epicerie-solidaire", "panier-solidaire", "frigo-solidaire", "jardin-partage"},
		"logement":      {"logement-hebergement--*"},
		"mobilite":      {"mobilite--*"},
		"numerique":     {"numerique--*", "lieu-numerique"},
		"donner":        {"benevolat", "echange-services", "repair-cafe", "jardin-partage"},
	}
	for _, d := range g.Domains {
		got, give := tags(d)
		for _, w := range want[d.ID] {
			found := got[w]
			if prefix, ok := strings.CutSuffix(w, "*"); ok {
				for tag := range got {
					found = found || strings.HasPrefix(tag, prefix)
				}
			}
			if !found {
				t.Errorf("%s: no %s", d.ID, w)
			}
		}
		if give != (d.ID == "donner" || d.ID == "reseau-emploi") {
			t.Errorf("%s: give = %v", d.ID, give)
		}
		for tag := range got {
			if !vocab.Thematiques.Has(tag) && !vocab.Publics.Has(tag) {
				if _, ok := vocab.CategoryByCode(tag); !ok {
					t.Errorf("%s: unknown tag %s", d.ID, tag)
				}
			}
		}
	}
}

// TestDefault_Conditions checks the conditions the grid relies on, through Visible.
func TestDefault_Conditions(t *testing.T) {
	t.Parallel()
	g := Default()
	vis := func(answers map[string]domain.AnswerValue) map[string]bool { return Visible(g, answers) }
	if v := vis(nil); v["liens-aide"] || v["situation-charges"] || v["donner-comment"] || v["donner-savoir-faire"] || !v["liens-soutien"] {
		t.Fatalf("without answers: %v", v)
	}
	if !vis(map[string]domain.AnswerValue{"liens-soutien": {Text: "non"}})["liens-aide"] {
		t.Error("no one to talk to does not ask what would help")
	}
	if !vis(map[string]domain.AnswerValue{"liens-frequence": {Text: "rarement"}})["liens-aide"] {
		t.Error("seeing people rarely does not ask what would help")
	}
	if vis(map[string]domain.AnswerValue{"liens-soutien": {Text: "oui"}, "liens-frequence": {Text: "souvent"}})["liens-aide"] {
		t.Error("well surrounded, still asked what would help")
	}
	v := vis(map[string]domain.AnswerValue{"donner-envie": {Text: "oui"}})
	if !v["donner-comment"] || !v["donner-savoir-faire"] {
		t.Errorf("wishing to give does not ask how: %v", v)
	}
	if q := findQuestion(g, "donner-savoir-faire"); q.Type != domain.QShortText || q.Label != "Un savoir-faire que vous aimeriez partager ?" {
		t.Errorf("donner-savoir-faire: %+v", q)
	}
	if q := findQuestion(g, "liens-soutien"); q.Type != domain.QYesNo || q.Label != "Avez-vous quelqu’un à qui parler en cas de difficulté ?" {
		t.Errorf("liens-soutien: %+v", q)
	}
}

// realisticAnswers is an interview of a person who is isolated, eats badly, whose health needs a
// diet, and who would like to give: the département's experiment in one person.
func realisticAnswers() []domain.Answer {
	return []domain.Answer{
		choices("situation-ressources", "minimum-social"),
		text("situation-emploi", "sans-activite"),
		rated("liens-auto", 2, 2),
		text("liens-frequence", "rarement"),
		text("liens-soutien", "non"),
		choices("liens-aide", "jardiner", "se-poser"),
		text("liens-envie", "Faire la cuisine avec d’autres"),
		text("reseau-projet", "plus-tard"),
		text("sante-alimentation", "oui"),
		rated("alimentation-auto", 2, 1),
		text("alimentation-manque", "parfois"),
		text("alimentation-frais", "non"),
		choices("alimentation-aide", "potager", "paniers"),
		rated("donner-auto", 4, 3),
		text("donner-envie", "oui"),
		choices("donner-comment", "transmettre", "jardiner"),
		text("donner-savoir-faire", "La couture"),
		text("attentes-paroles", "Un endroit près de chez moi pour rencontrer du monde."),
	}
}

func TestNeeds_DefaultRealistic(t *testing.T) {
	t.Parallel()
	type L = []string
	const (
		lien  = "remobilisation--lien-social"
		alim  = "equipement-et-alimentation--alimentation"
		compe = "preparer-sa-candidature--valoriser-ses-competences"
	)
	want := []domain.Need{
		need("situation", "Situation et ressources", false, nil, nil, L{"beneficiaires-des-minimas-sociaux"}, false, nil, nil, nil),
		need("liens", "Liens sociaux et isolement", false, L{lien}, L{"cafe-social", "jardin-partage"}, nil, false,
			L{"Faire la cuisine avec d’autres"}, ptr(2.0), ptr(2)),
		need("sante", "Santé", true, L{alim}, L{"panier-solidaire"}, nil, false, nil, nil, nil),
		need("alimentation", "Alimentation", false, L{alim, lien},
			L{"epicerie-solidaire", "frigo-solidaire", "panier-solidaire", "jardin-partage"}, nil, false, nil, ptr(2.0), ptr(1)),
		need("donner", "Ce que vous aimeriez donner", false, L{compe}, L{"jardin-partage", "echange-services"}, nil, true,
			L{"La couture"}, ptr(4.0), ptr(3)),
		need("attentes", "Ce que vous attendez des services publics", false, nil, nil, nil, false,
			L{"Un endroit près de chez moi pour rencontrer du monde."}, nil, nil),
	}
	g := Default()
	got := Needs(g, realisticAnswers())
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	for _, a := range realisticAnswers() {
		if err := CheckAnswer(g, a.QuestionID, a.Value, a.WorkerRating); err != nil {
			t.Errorf("%s: %v", a.QuestionID, err)
		}
	}

	// Changing one's mind hides what followed: no more wish to give.
	answers := append(realisticAnswers(), text("donner-envie", "non"))
	for _, n := range Needs(g, answers) {
		if n.Domain == "donner" && (n.Give || len(n.Words) > 0 || len(n.Categories) > 0) {
			t.Fatalf("hidden answers still count: %+v", n)
		}
	}
}

func TestProgress_DefaultRealistic(t *testing.T) {
	t.Parallel()
	got := Progress(Default(), realisticAnswers())
	want := []DomainProgress{
		{"situation", 1, 2, false}, // the self-assessment is missing
		{"liens", 2, 2, true},
		{"reseau-emploi", 0, 1, false},
		{"sante", 0, 0, true}, // no required question; one answer
		{"alimentation", 1, 1, true},
		{"logement", 0, 2, false},
		{"mobilite", 0, 1, false},
		{"numerique", 0, 1, false},
		{"donner", 1, 1, true},
		{"attentes", 0, 1, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}
