package grid

import (
	"slices"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
)

// Needs derives what an interview reveals, one Need per domain of the grid that has something to
// say, in grid order. Only answers to visible questions count (an answer kept from a question
// that a later answer hid is not said). A domain's need gathers:
//   - the thématiques, categories and publics of the chosen options, and Give when one of them
//     has Give;
//   - the domain's own thématiques and categories when the person's self-assessment (the
//     domain's first scale question) is at or below domain.NeedThreshold;
//   - the person's own words: the domain's non-empty text answers;
//   - the self-assessment and the worker's rating beside it.
//
// Lists are deduplicated, in the order first seen (question order, then option order), and never
// nil. Answers to questions the grid does not have are ignored.
func Needs(g domain.Grid, answers []domain.Answer) []domain.Need {
	byQ, vals := indexAnswers(answers)
	vis := newVisibility(g, vals)
	needs := []domain.Need{}
	for i := range g.Domains {
		d := &g.Domains[i]
		n := domain.Need{
			Domain: d.ID, DomainTitle: d.Title, Sensitive: d.Sensitive,
			Thematiques: []string{}, Categories: []string{}, Publics: []string{}, Words: []string{},
		}
		self := SelfAssessment(*d)
		for j := range d.Questions {
			q := &d.Questions[j]
			a, ok := byQ[q.ID]
			if !ok || !answered(q, a.Value) || !vis.visible(q.ID) {
				continue
			}
			switch q.Type {
			case domain.QSingle, domain.QYesNo, domain.QMultiple:
				for k := range q.Options {
					o := &q.Options[k]
					if !matches(q, a.Value, o.Value) {
						continue
					}
					n.Thematiques = appendNew(n.Thematiques, o.Thematiques...)
					n.Categories = appendNew(n.Categories, o.Categories...)
					n.Publics = appendNew(n.Publics, o.Publics...)
					n.Give = n.Give || o.Give
				}
			case domain.QShortText, domain.QLongText:
				n.Words = appendNew(n.Words, strings.TrimSpace(a.Value.Text))
			case domain.QScale:
				if q.ID != self {
					continue
				}
				n.SelfAssessment = clonePtr(a.Value.Number)
				n.WorkerRating = clonePtr(a.WorkerRating)
				if *a.Value.Number <= domain.NeedThreshold {
					n.Thematiques = appendNew(n.Thematiques, d.Thematiques...)
					n.Categories = appendNew(n.Categories, d.Categories...)
				}
			}
		}
		if len(n.Thematiques)+len(n.Categories)+len(n.Publics)+len(n.Words) > 0 || n.Give ||
			n.SelfAssessment != nil || n.WorkerRating != nil {
			needs = append(needs, n)
		}
	}
	return needs
}

// appendNew appends the values not already in list.
func appendNew(list []string, vals ...string) []string {
	for _, v := range vals {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// indexAnswers keys answers by question; when a question appears twice, the last answer counts.
func indexAnswers(answers []domain.Answer) (map[string]domain.Answer, map[string]domain.AnswerValue) {
	byQ := make(map[string]domain.Answer, len(answers))
	vals := make(map[string]domain.AnswerValue, len(answers))
	for _, a := range answers {
		byQ[a.QuestionID] = a
		vals[a.QuestionID] = a.Value
	}
	return byQ, vals
}

// DomainProgress says how far an interview has gone in one domain of its grid.
type DomainProgress struct {
	Domain   string `json:"domain"`   // grid domain id
	Answered int    `json:"answered"` // visible required questions answered
	Required int    `json:"required"` // visible required questions
	// Done: every visible required question is answered; in a domain with no visible required
	// question, once any of its visible questions is.
	Done bool `json:"done"`
}

// Progress says, for every domain of the grid in order, how many of its visible required
// questions are answered and whether the domain is done. Hidden questions count for nothing,
// even if they kept an answer.
func Progress(g domain.Grid, answers []domain.Answer) []DomainProgress {
	_, vals := indexAnswers(answers)
	vis := newVisibility(g, vals)
	out := make([]DomainProgress, 0, len(g.Domains))
	for i := range g.Domains {
		d := &g.Domains[i]
		dp := DomainProgress{Domain: d.ID}
		some := false
		for j := range d.Questions {
			q := &d.Questions[j]
			if !vis.visible(q.ID) {
				continue
			}
			a := answered(q, vals[q.ID])
			some = some || a
			if q.Required {
				dp.Required++
				if a {
					dp.Answered++
				}
			}
		}
		if dp.Required > 0 {
			dp.Done = dp.Answered == dp.Required
		} else {
			dp.Done = some
		}
		out = append(out, dp)
	}
	return out
}
