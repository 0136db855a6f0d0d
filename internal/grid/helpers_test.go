package grid

import (
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// testGrid is a small grid using every question type, written here so that the tests do not
// depend on the default grid's wording. testGridJSON is the same grid as a file.
func testGrid() domain.Grid {
	return domain.Grid{
		ID: "t", Version: 1, Title: "Test",
		Domains: []domain.GridDomain{
			{
				ID: "a", Title: "Domaine A",
				Thematiques: []string{"remobilisation--lien-social"},
				Categories:  []string{"cafe-social"},
				Questions: []domain.Question{
					{ID: "a-auto", Type: domain.QScale, Label: "Où en êtes-vous ?", Required: true,
						Scale: &domain.Scale{MinLabel: "Difficile", MaxLabel: "Bien", WorkerRating: true}},
					{ID: "a-choix", Type: domain.QSingle, Label: "Choix ?", Options: []domain.Option{
						{Value: "x", Label: "X", Thematiques: []string{"remobilisation--lien-social"}, Categories: []string{"jardin-partage"}},
						{Value: "y", Label: "Y", Publics: []string{"demandeurs-emploi"}},
					}},
					{ID: "a-multi", Type: domain.QMultiple, Label: "Plusieurs ?", Options: []domain.Option{
						{Value: "m1", Label: "M1", Categories: []string{"benevolat"}, Give: true},
						{Value: "m2", Label: "M2", Thematiques: []string{"numerique--acquerir-un-equipement"}},
						{Value: "m3", Label: "M3"},
					}},
					{ID: "a-yn", Type: domain.QYesNo, Label: "Oui ou non ?", Required: true, Options: []domain.Option{
						{Value: "oui", Label: "Oui"},
						{Value: "non", Label: "Non", Thematiques: []string{"remobilisation--bien-etre-confiance-en-soi"}},
					}},
					{ID: "a-num", Type: domain.QNumber, Label: "Combien ?", Min: ptr(0.0), Max: ptr(10.0), Unit: "personnes"},
					{ID: "a-court", Type: domain.QShortText, Label: "En quelques mots ?",
						ShowIf: &domain.Condition{Question: "a-yn", Equals: "non"}},
					{ID: "a-long", Type: domain.QLongText, Label: "Avec vos mots ?", Help: "Notez ses mots."},
				},
			},
			{
				ID: "s", Title: "Santé", Sensitive: true,
				Thematiques: []string{"sante--acces-aux-soins"},
				Questions: []domain.Question{
					{ID: "s-auto", Type: domain.QScale, Label: "Votre santé ?", Scale: &domain.Scale{}},
					{ID: "s-yn", Type: domain.QYesNo, Label: "Un médecin ?",
						ShowIf: &domain.Condition{Question: "a-choix", Equals: "x"}},
				},
			},
		},
	}
}

const testGridJSON = `{
  "id": "t",
  "version": 1,
  "title": "Test",
  "domains": [
    {
      "id": "a",
      "title": "Domaine A",
      "thematiques": ["remobilisation--lien-social"],
      "categories": ["cafe-social"],
      "questions": [
        {"id": "a-auto", "type": "echelle", "label": "Où en êtes-vous ?", "required": true,
         "scale": {"min_label": "Difficile", "max_label": "Bien", "worker_rating": true}},
        {"id": "a-choix", "type": "choix-unique", "label": "Choix ?", "options": [
          {"value": "x", "label": "X", "thematiques": ["remobilisation--lien-social"], "categories": ["jardin-partage"]},
          {"value": "y", "label": "Y", "publics": ["demandeurs-emploi"]}
        ]},
        {"id": "a-multi", "type": "choix-multiples", "label": "Plusieurs ?", "options": [
          {"value": "m1", "label": "M1", "categories": ["benevolat"], "give": true},
          {"value": "m2", "label": "M2", "thematiques": ["numerique--acquerir-un-equipement"]},
          {"value": "m3", "label": "M3"}
        ]},
        {"id": "a-yn", "type": "oui-non", "label": "Oui ou non ?", "required": true, "options": [
          {"value": "oui", "label": "Oui"},
          {"value": "non", "label": "Non", "thematiques": ["remobilisation--bien-etre-confiance-en-soi"]}
        ]},
        {"id": "a-num", "type": "nombre", "label": "Combien ?", "min": 0, "max": 10, "unit": "personnes"},
        {"id": "a-court", "type": "texte-court", "label": "En quelques mots ?",
         "show_if": {"question": "a-yn", "equals": "non"}},
        {"id": "a-long", "type": "texte-long", "label": "Avec vos mots ?", "help": "Notez ses mots."}
      ]
    },
    {
      "id": "s",
      "title": "Santé",
      "sensitive": true,
      "thematiques": ["sante--acces-aux-soins"],
      "questions": [
        {"id": "s-auto", "type": "echelle", "label": "Votre santé ?", "scale": {}},
        {"id": "s-yn", "type": "oui-non", "label": "Un médecin ?", "show_if": {"question": "a-choix", "equals": "x"}}
      ]
    }
  ]
}`

func ptr[T any](v T) *T { return &v }

// question returns the question of g with this id; the test fails when there is none.
func question(t testing.TB, g *domain.Grid, id string) *domain.Question {
	t.Helper()
	for i := range g.Domains {
		for j := range g.Domains[i].Questions {
			if g.Domains[i].Questions[j].ID == id {
				return &g.Domains[i].Questions[j]
			}
		}
	}
	t.Fatalf("no question %q", id)
	return nil
}

// wantInvalid checks that err is an EINVALID domain error whose message is exactly want.
func wantInvalid(t testing.TB, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if code := domain.ErrorCode(err); code != domain.EINVALID {
		t.Fatalf("code %q, want %q (%v)", code, domain.EINVALID, err)
	}
	if got := domain.ErrorMessage(err); got != want {
		t.Fatalf("message:\n got %s\nwant %s", got, want)
	}
}

// gridMessage is the message of an invalid test grid with the given problems.
func gridMessage(problems ...string) string {
	return "Grille « t » invalide : " + strings.Join(problems, " ; ") + "."
}
