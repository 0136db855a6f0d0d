package grid

import (
	"slices"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
)

// Visible reports, for every question of the grid, whether it is shown given the answers so far
// (keyed by question ID). A question without condition is always shown. Conditions may refer to
// questions before or after their own; each is evaluated once the questions it refers to are
// known to be shown or hidden.
//
// What is hidden counts as not said: a condition on a hidden question does not hold, whatever
// answer that question kept from before it was hidden. So a question whose condition refers to a
// hidden question is hidden too; inside « any », another alternative may still show it.
func Visible(g domain.Grid, answers map[string]domain.AnswerValue) map[string]bool {
	v := newVisibility(g, answers)
	out := make(map[string]bool, len(v.questions))
	for id := range v.questions {
		out[id] = v.visible(id)
	}
	return out
}

// visibility evaluates conditions lazily, each question once.
type visibility struct {
	questions map[string]*domain.Question
	answers   map[string]domain.AnswerValue
	state     map[string]uint8
}

const (
	stateUnknown uint8 = iota
	stateVisiting
	stateHidden
	stateShown
)

func newVisibility(g domain.Grid, answers map[string]domain.AnswerValue) *visibility {
	v := &visibility{questions: map[string]*domain.Question{}, answers: answers, state: map[string]uint8{}}
	for i := range g.Domains {
		for j := range g.Domains[i].Questions {
			q := &g.Domains[i].Questions[j]
			if _, dup := v.questions[q.ID]; !dup { // a valid grid has no duplicate; else the first counts
				v.questions[q.ID] = q
			}
		}
	}
	return v
}

func (v *visibility) visible(id string) bool {
	switch v.state[id] {
	case stateShown:
		return true
	case stateHidden, stateVisiting: // visiting: a loop of conditions, which Validate refuses
		return false
	}
	q, ok := v.questions[id]
	if !ok {
		return false
	}
	shown := true
	if q.ShowIf != nil {
		v.state[id] = stateVisiting
		shown = v.holds(q.ShowIf, 1)
	}
	if shown {
		v.state[id] = stateShown
	} else {
		v.state[id] = stateHidden
	}
	return shown
}

// holds evaluates a condition. One that cannot hold in a valid grid (no criterion, too deep)
// is false: an unchecked grid must not show what it means to hide.
func (v *visibility) holds(c *domain.Condition, depth int) bool {
	if depth > maxCondDepth {
		return false
	}
	if len(c.All) > 0 {
		for k := range c.All {
			if !v.holds(&c.All[k], depth+1) {
				return false
			}
		}
		return true
	}
	if len(c.Any) > 0 {
		for k := range c.Any {
			if v.holds(&c.Any[k], depth+1) {
				return true
			}
		}
		return false
	}
	if c.Question == "" || !v.visible(c.Question) {
		return false
	}
	q, a := v.questions[c.Question], v.answers[c.Question]
	switch {
	case c.Answered != nil:
		return answered(q, a) == *c.Answered
	case c.Equals != "":
		return matches(q, a, c.Equals)
	case len(c.In) > 0:
		for _, want := range c.In {
			if matches(q, a, want) {
				return true
			}
		}
	}
	return false
}

// matches reports whether an answer is the value, or for multiple choice contains it.
func matches(q *domain.Question, a domain.AnswerValue, value string) bool {
	if q.Type == domain.QMultiple {
		return slices.Contains(a.Choices, value)
	}
	return a.Text == value
}

// answered reports whether a question has an answer, read according to its type: blanks are
// not an answer to a text question.
func answered(q *domain.Question, a domain.AnswerValue) bool {
	switch q.Type {
	case domain.QMultiple:
		return len(a.Choices) > 0
	case domain.QNumber, domain.QScale:
		return a.Number != nil
	case domain.QSingle, domain.QYesNo, domain.QShortText, domain.QLongText:
		return strings.TrimSpace(a.Text) != ""
	}
	return !a.IsZero()
}
