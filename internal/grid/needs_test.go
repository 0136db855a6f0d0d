package grid

import (
	"reflect"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func text(q, s string) domain.Answer {
	return domain.Answer{QuestionID: q, Value: domain.AnswerValue{Text: s}}
}

func choices(q string, c ...string) domain.Answer {
	return domain.Answer{QuestionID: q, Value: domain.AnswerValue{Choices: c}}
}

func number(q string, f float64) domain.Answer {
	return domain.Answer{QuestionID: q, Value: domain.AnswerValue{Number: &f}}
}

func rated(q string, f float64, worker int) domain.Answer {
	a := number(q, f)
	a.WorkerRating = &worker
	return a
}

// need builds an expected Need with non-nil lists, as Needs returns them.
func need(id, title string, sensitive bool, them, cats, pubs []string, give bool, words []string, self *float64, worker *int) domain.Need {
	orEmpty := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return domain.Need{Domain: id, DomainTitle: title, Sensitive: sensitive,
		Thematiques: orEmpty(them), Categories: orEmpty(cats), Publics: orEmpty(pubs), Give: give, Words: orEmpty(words),
		SelfAssessment: self, WorkerRating: worker}
}

func TestNeeds(t *testing.T) {
	t.Parallel()
	const (
		lien      = "remobilisation--lien-social"
		confiance = "remobilisation--bien-etre-confiance-en-soi"
		equip     = "numerique--acquerir-un-equipement"
		soins     = "sante--acces-aux-soins"
	)
	type L = []string
	tests := []struct {
		name    string
		answers []domain.Answer
		want    []domain.Need
	}{
		{"no answer", nil, []domain.Need{}},
		{"a good self-assessment says only itself", []domain.Answer{number("a-auto", 4)},
			[]domain.Need{need("a", "Domaine A", false, nil, nil, nil, false, nil, ptr(4.0), nil)}},
		{"self-assessment at the threshold brings the domain's needs", []domain.Answer{rated("a-auto", 2, 1)},
			[]domain.Need{need("a", "Domaine A", false, L{lien}, L{"cafe-social"}, nil, false, nil, ptr(2.0), ptr(1))}},
		{"self-assessment above the threshold does not", []domain.Answer{rated("a-auto", 3, 1)},
			[]domain.Need{need("a", "Domaine A", false, nil, nil, nil, false, nil, ptr(3.0), ptr(1))}},
		{"everything, deduplicated in first-seen order", []domain.Answer{
			number("a-auto", 1),
			text("a-choix", "x"),
			choices("a-multi", "m2", "m1"), // option order counts, not the order of the clicks
			text("a-yn", "non"),
			text("a-court", "  Aller au jardin "),
			text("a-long", "Aller au jardin"),
		}, []domain.Need{need("a", "Domaine A", false,
			L{lien, equip, confiance}, L{"cafe-social", "jardin-partage", "benevolat"}, nil, true,
			L{"Aller au jardin"}, ptr(1.0), nil)}},
		{"publics of the chosen option", []domain.Answer{text("a-choix", "y")},
			[]domain.Need{need("a", "Domaine A", false, nil, nil, L{"demandeurs-emploi"}, false, nil, nil, nil)}},
		{"an answer with nothing to say makes no need", []domain.Answer{text("a-yn", "oui"), choices("a-multi", "m3"), number("a-num", 4)},
			[]domain.Need{}},
		{"answers of hidden questions do not count", []domain.Answer{text("a-yn", "oui"), text("a-court", "caché")},
			[]domain.Need{}},
		{"blank text is not words", []domain.Answer{text("a-long", " \n ")},
			[]domain.Need{}},
		{"sensitive domain", []domain.Answer{number("s-auto", 2), text("s-yn", "oui")},
			[]domain.Need{need("s", "Santé", true, L{soins}, nil, nil, false, nil, ptr(2.0), nil)}},
		{"domains in grid order", []domain.Answer{number("s-auto", 5), text("a-long", "Mes mots")},
			[]domain.Need{
				need("a", "Domaine A", false, nil, nil, nil, false, L{"Mes mots"}, nil, nil),
				need("s", "Santé", true, nil, nil, nil, false, nil, ptr(5.0), nil),
			}},
		{"unknown questions and unknown values are ignored", []domain.Answer{text("zz", "oui"), text("a-choix", "z")},
			[]domain.Need{}},
		{"the last answer to a question counts", []domain.Answer{text("a-choix", "x"), text("a-choix", "y")},
			[]domain.Need{need("a", "Domaine A", false, nil, nil, L{"demandeurs-emploi"}, false, nil, nil, nil)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Needs(testGrid(), tc.answers); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestNeeds_SelfAssessmentIsTheFirstScale checks that a second scale question of a domain is
// not its self-assessment.
func TestNeeds_SelfAssessmentIsTheFirstScale(t *testing.T) {
	t.Parallel()
	g := testGrid()
	d := &g.Domains[0]
	d.Questions = append(d.Questions, domain.Question{ID: "a-autre", Type: domain.QScale, Label: "Et ça ?"})
	if SelfAssessment(*d) != "a-auto" {
		t.Fatalf("SelfAssessment = %q", SelfAssessment(*d))
	}
	got := Needs(g, []domain.Answer{number("a-autre", 1)})
	if len(got) != 0 {
		t.Fatalf("a second scale question made a need: %+v", got)
	}
	if SelfAssessment(domain.GridDomain{Questions: []domain.Question{{ID: "t", Type: domain.QShortText}}}) != "" {
		t.Fatal("a domain without scale has a self-assessment")
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	// In this grid the short text is required too: it counts only when shown.
	g := testGrid()
	question(t, &g, "a-court").Required = true
	type P = DomainProgress
	tests := []struct {
		name    string
		answers []domain.Answer
		want    []DomainProgress
	}{
		{"no answer", nil,
			[]P{{"a", 0, 2, false}, {"s", 0, 0, false}}},
		{"required answered, hidden required question not counted", []domain.Answer{number("a-auto", 3), text("a-yn", "oui")},
			[]P{{"a", 2, 2, true}, {"s", 0, 0, false}}},
		{"a shown required question waits for its answer", []domain.Answer{number("a-auto", 3), text("a-yn", "non")},
			[]P{{"a", 2, 3, false}, {"s", 0, 0, false}}},
		{"and is then done", []domain.Answer{number("a-auto", 3), text("a-yn", "non"), text("a-court", "oui")},
			[]P{{"a", 3, 3, true}, {"s", 0, 0, false}}},
		{"blank text does not answer", []domain.Answer{number("a-auto", 3), text("a-yn", "non"), text("a-court", "  ")},
			[]P{{"a", 2, 3, false}, {"s", 0, 0, false}}},
		{"optional answers alone do not finish a domain with required questions", []domain.Answer{text("a-long", "mots"), number("a-num", 1)},
			[]P{{"a", 0, 2, false}, {"s", 0, 0, false}}},
		{"a domain without required questions is done by any answer", []domain.Answer{number("s-auto", 4)},
			[]P{{"a", 0, 2, false}, {"s", 0, 0, true}}},
		{"but not by the answer of a hidden question", []domain.Answer{text("s-yn", "oui"), text("a-choix", "y")},
			[]P{{"a", 0, 2, false}, {"s", 0, 0, false}}},
		{"a cleared answer is no answer", []domain.Answer{{QuestionID: "a-auto"}, {QuestionID: "s-auto"}},
			[]P{{"a", 0, 2, false}, {"s", 0, 0, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Progress(g, tc.answers); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
