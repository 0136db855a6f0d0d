package grid

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
	"pgregory.net/rapid"
)

// drawInterview draws answers to the default grid as a worker could give them: any subset of
// the questions (shown or not: answers stay when a later answer hides their question), each
// with a value its question accepts.
func drawInterview(t *rapid.T, g domain.Grid) []domain.Answer {
	var out []domain.Answer
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			if !rapid.Bool().Draw(t, q.ID) {
				continue
			}
			a := domain.Answer{QuestionID: q.ID}
			switch q.Type {
			case domain.QSingle, domain.QYesNo:
				a.Value.Text = rapid.SampledFrom(answerValues(&q)).Draw(t, q.ID+".v")
			case domain.QMultiple:
				vals := answerValues(&q)
				a.Value.Choices = rapid.SliceOfNDistinct(rapid.SampledFrom(vals), 1, len(vals), rapid.ID[string]).Draw(t, q.ID+".v")
			case domain.QNumber:
				f := rapid.Float64Range(*q.Min, *q.Max).Draw(t, q.ID+".v")
				a.Value.Number = &f
			case domain.QScale:
				f := float64(rapid.IntRange(domain.ScaleMin, domain.ScaleMax).Draw(t, q.ID+".v"))
				a.Value.Number = &f
				if rapid.Bool().Draw(t, q.ID+".rated") {
					r := rapid.IntRange(domain.ScaleMin, domain.ScaleMax).Draw(t, q.ID+".r")
					a.WorkerRating = &r
				}
			case domain.QShortText, domain.QLongText:
				a.Value.Text = rapid.SampledFrom([]string{"Le jardin", " des mots ", "  ", "Le jardin", "Cuisiner"}).Draw(t, q.ID+".v")
			}
			out = append(out, a)
		}
	}
	return out
}

// TestDefault_RandomInterviews checks, on random interviews of the default grid, what must
// hold whatever the answers.
func TestDefault_RandomInterviews(t *testing.T) {
	t.Parallel()
	g := Default()
	rapid.Check(t, func(t *rapid.T) {
		answers := drawInterview(t, g)
		for _, a := range answers {
			if err := CheckAnswer(g, a.QuestionID, a.Value, a.WorkerRating); err != nil {
				t.Fatalf("drawn answer refused: %v", err)
			}
		}
		needs := Needs(g, answers)
		checkNeeds(t, g, needs)

		// Answers of hidden questions count for nothing: without them, the same needs and
		// progress.
		vals := map[string]domain.AnswerValue{}
		for _, a := range answers {
			vals[a.QuestionID] = a.Value
		}
		vis := Visible(g, vals)
		var shown []domain.Answer
		for _, a := range answers {
			if vis[a.QuestionID] {
				shown = append(shown, a)
			}
		}
		if got := Needs(g, shown); !reflect.DeepEqual(got, needs) {
			t.Fatalf("hidden answers changed the needs:\n%+v\n%+v", got, needs)
		}
		progress := Progress(g, answers)
		if got := Progress(g, shown); !reflect.DeepEqual(got, progress) {
			t.Fatalf("hidden answers changed the progress:\n%+v\n%+v", got, progress)
		}

		// The order the answers come in does not matter.
		shuffled := rapid.Permutation(answers).Draw(t, "order")
		if got := Needs(g, shuffled); !reflect.DeepEqual(got, needs) {
			t.Fatalf("answer order changed the needs")
		}

		if len(progress) != len(g.Domains) {
			t.Fatalf("%d progress rows for %d domains", len(progress), len(g.Domains))
		}
		for i, p := range progress {
			if p.Domain != g.Domains[i].ID || p.Answered > p.Required || (p.Required > 0 && p.Done != (p.Answered == p.Required)) {
				t.Fatalf("progress %+v", p)
			}
		}
	})
}

// checkNeeds checks what any list of needs of a grid must be.
func checkNeeds(t *rapid.T, g domain.Grid, needs []domain.Need) {
	last := -1
	for _, n := range needs {
		i := slices.IndexFunc(g.Domains, func(d domain.GridDomain) bool { return d.ID == n.Domain })
		if i <= last {
			t.Fatalf("need %s out of grid order or twice", n.Domain)
		}
		last = i
		d := g.Domains[i]
		if n.DomainTitle != d.Title || n.Sensitive != d.Sensitive {
			t.Fatalf("need %s: title %q sensitive %v", n.Domain, n.DomainTitle, n.Sensitive)
		}
		possible, give := tags(d)
		for _, list := range [][]string{n.Thematiques, n.Categories, n.Publics, n.Words} {
			if list == nil {
				t.Fatalf("need %s: nil list", n.Domain)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(list)))) != len(list) {
				t.Fatalf("need %s: duplicates in %v", n.Domain, list)
			}
		}
		for _, th := range n.Thematiques {
			if !vocab.Thematiques.Has(th) || !possible[th] {
				t.Fatalf("need %s: thématique %s", n.Domain, th)
			}
		}
		for _, c := range n.Categories {
			if _, ok := vocab.CategoryByCode(c); !ok || !possible[c] {
				t.Fatalf("need %s: category %s", n.Domain, c)
			}
		}
		for _, p := range n.Publics {
			if !vocab.Publics.Has(p) || !possible[p] {
				t.Fatalf("need %s: public %s", n.Domain, p)
			}
		}
		for _, w := range n.Words {
			if w == "" || w != strings.TrimSpace(w) {
				t.Fatalf("need %s: words %q", n.Domain, w)
			}
		}
		if n.Give && !give {
			t.Fatalf("need %s: give from a domain that cannot give", n.Domain)
		}
		if n.SelfAssessment != nil && (*n.SelfAssessment < domain.ScaleMin || *n.SelfAssessment > domain.ScaleMax) {
			t.Fatalf("need %s: self-assessment %v", n.Domain, *n.SelfAssessment)
		}
		if !n.HasNeed() && len(n.Publics)+len(n.Words) == 0 && n.SelfAssessment == nil && n.WorkerRating == nil {
			t.Fatalf("need %s says nothing", n.Domain)
		}
	}
}
