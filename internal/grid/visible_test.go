package grid

import (
	"reflect"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// chainGrid has chains of conditions, all/any, a multiple choice read by « contains », and a
// condition on a later question.
func chainGrid() domain.Grid {
	yn := []domain.Option{{Value: "oui", Label: "Oui"}, {Value: "non", Label: "Non"}}
	return domain.Grid{ID: "chaines", Version: 1, Title: "Chaînes", Domains: []domain.GridDomain{{
		ID: "d", Title: "D", Questions: []domain.Question{
			{ID: "q1", Type: domain.QYesNo, Label: "Q1", Options: yn},
			{ID: "q2", Type: domain.QMultiple, Label: "Q2", Options: []domain.Option{{Value: "m1", Label: "M1"}, {Value: "m2", Label: "M2"}, {Value: "m3", Label: "M3"}},
				ShowIf: &domain.Condition{Question: "q1", Equals: "oui"}},
			{ID: "q3", Type: domain.QShortText, Label: "Q3", ShowIf: &domain.Condition{Question: "q2", Equals: "m2"}},
			{ID: "q4", Type: domain.QNumber, Label: "Q4", ShowIf: &domain.Condition{Question: "q3", Answered: ptr(true)}},
			{ID: "q5", Type: domain.QLongText, Label: "Q5", ShowIf: &domain.Condition{All: []domain.Condition{
				{Question: "q1", Equals: "oui"}, {Question: "q2", In: []string{"m1", "m3"}},
			}}},
			{ID: "q6", Type: domain.QSingle, Label: "Q6", Options: []domain.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}},
				ShowIf: &domain.Condition{Any: []domain.Condition{{Question: "q1", Equals: "non"}, {Question: "q4", Answered: ptr(true)}}}},
			{ID: "q7", Type: domain.QYesNo, Label: "Q7", ShowIf: &domain.Condition{Question: "q8", Answered: ptr(false)}},
			{ID: "q8", Type: domain.QNumber, Label: "Q8"},
			{ID: "q9", Type: domain.QShortText, Label: "Q9", ShowIf: &domain.Condition{Question: "q1", Answered: ptr(false)}},
			{ID: "q10", Type: domain.QSingle, Label: "Q10", Options: []domain.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}},
				ShowIf: &domain.Condition{Question: "q6", In: []string{"a", "b"}}},
		},
	}}}
}

func TestChainGridIsValid(t *testing.T) {
	t.Parallel()
	if err := Validate(chainGrid()); err != nil {
		t.Fatal(err)
	}
}

func TestVisible(t *testing.T) {
	t.Parallel()
	text := func(s string) domain.AnswerValue { return domain.AnswerValue{Text: s} }
	choices := func(c ...string) domain.AnswerValue { return domain.AnswerValue{Choices: c} }
	num := func(f float64) domain.AnswerValue { return domain.AnswerValue{Number: &f} }
	tests := []struct {
		name    string
		answers map[string]domain.AnswerValue
		shown   []string // every other question is hidden
	}{
		{"no answer", nil,
			[]string{"q1", "q7", "q8", "q9"}},
		{"yes opens the multiple choice", map[string]domain.AnswerValue{"q1": text("oui")},
			[]string{"q1", "q2", "q7", "q8"}},
		{"multiple choice contains m2, and m3 for in", map[string]domain.AnswerValue{"q1": text("oui"), "q2": choices("m3", "m2")},
			[]string{"q1", "q2", "q3", "q5", "q7", "q8"}},
		{"multiple choice without m2", map[string]domain.AnswerValue{"q1": text("oui"), "q2": choices("m1")},
			[]string{"q1", "q2", "q5", "q7", "q8"}},
		{"blank text is not an answer", map[string]domain.AnswerValue{"q1": text("oui"), "q2": choices("m2"), "q3": text("  ")},
			[]string{"q1", "q2", "q3", "q7", "q8"}},
		{"chain of three", map[string]domain.AnswerValue{"q1": text("oui"), "q2": choices("m2"), "q3": text("bonjour")},
			[]string{"q1", "q2", "q3", "q4", "q7", "q8"}},
		{"any through the end of a chain", map[string]domain.AnswerValue{"q1": text("oui"), "q2": choices("m2"), "q3": text("bonjour"), "q4": num(3)},
			[]string{"q1", "q2", "q3", "q4", "q6", "q7", "q8"}},
		{"any through its first alternative", map[string]domain.AnswerValue{"q1": text("non")},
			[]string{"q1", "q6", "q7", "q8"}},
		{"hidden parents hide their kept answers", map[string]domain.AnswerValue{
			"q1": text("non"), "q2": choices("m2", "m1"), "q3": text("bonjour"), "q4": num(3), "q6": text("a")},
			[]string{"q1", "q6", "q7", "q8", "q10"}},
		{"answer kept by a question hidden through any", map[string]domain.AnswerValue{"q1": text("oui"), "q6": text("a")},
			[]string{"q1", "q2", "q7", "q8"}},
		{"condition on a later question", map[string]domain.AnswerValue{"q8": num(0)},
			[]string{"q1", "q8", "q9"}},
		{"answers to unknown questions change nothing", map[string]domain.AnswerValue{"zz": text("oui")},
			[]string{"q1", "q7", "q8", "q9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := chainGrid()
			want := map[string]bool{}
			for _, q := range g.Domains[0].Questions {
				want[q.ID] = false
			}
			for _, id := range tc.shown {
				want[id] = true
			}
			if got := Visible(g, tc.answers); !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
	}
}

// TestVisible_InvalidGrid checks that a grid Validate refuses does not hang or panic Visible:
// a loop hides its questions, and so does a condition without criterion.
func TestVisible_InvalidGrid(t *testing.T) {
	t.Parallel()
	g := chainGrid()
	q := func(id string) *domain.Question { return question(t, &g, id) }
	q("q1").ShowIf = &domain.Condition{Question: "q2", Answered: ptr(false)}
	q("q8").ShowIf = &domain.Condition{Question: "q8", Answered: ptr(false)}
	q("q9").ShowIf = &domain.Condition{}
	got := Visible(g, map[string]domain.AnswerValue{"q1": {Text: "oui"}})
	for _, id := range []string{"q1", "q2", "q8", "q9"} {
		if got[id] {
			t.Errorf("%s shown", id)
		}
	}
}
