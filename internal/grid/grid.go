// Package grid reads, checks and uses interview grids (grilles d'entretien): which questions are
// shown given the answers so far, whether an answer fits its question, how far an interview has
// gone, and which needs it reveals. A grid is data, written by the département's staff as a JSON
// file (docs/grid-format.md); the default grid « Grille EDAS » is embedded in the binary.
//
// Every function here is pure: no storage, no clock. Errors are *domain.Error with code
// domain.EINVALID and a French message.
package grid

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/edas92/passerelle/internal/domain"
)

//go:embed default.json
var defaultJSON []byte

// DefaultID is the id of the embedded default grid.
const DefaultID = "grille-edas"

// defaultGrid parses the embedded grid once. Its validity is checked by the tests, so a failure
// here is a build mistake, not a user error.
var defaultGrid = sync.OnceValue(func() domain.Grid {
	g, err := Parse(defaultJSON)
	if err != nil {
		panic(fmt.Sprintf("grid: embedded default.json: %v", err))
	}
	return g
})

// Default returns the embedded default grid « Grille EDAS » (id "grille-edas"). Each call returns
// a fresh copy: the caller may change it freely.
func Default() domain.Grid { return Clone(defaultGrid()) }

// DefaultJSON returns the default grid's file as shipped (a copy).
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// SelfAssessment returns the ID of a domain's self-assessment question, its first scale
// question, or "" when it has none.
func SelfAssessment(d domain.GridDomain) string {
	for _, q := range d.Questions {
		if q.Type == domain.QScale {
			return q.ID
		}
	}
	return ""
}

// Clone returns a deep copy of g: no slice or pointer is shared with it.
func Clone(g domain.Grid) domain.Grid {
	out := g
	out.Domains = cloneSlice(g.Domains, func(d domain.GridDomain) domain.GridDomain {
		d.Thematiques = cloneStrings(d.Thematiques)
		d.Categories = cloneStrings(d.Categories)
		d.Questions = cloneSlice(d.Questions, cloneQuestion)
		return d
	})
	return out
}

func cloneQuestion(q domain.Question) domain.Question {
	q.Options = cloneSlice(q.Options, func(o domain.Option) domain.Option {
		o.Thematiques = cloneStrings(o.Thematiques)
		o.Categories = cloneStrings(o.Categories)
		o.Publics = cloneStrings(o.Publics)
		return o
	})
	q.Min = clonePtr(q.Min)
	q.Max = clonePtr(q.Max)
	q.Scale = clonePtr(q.Scale)
	if q.ShowIf != nil {
		c := cloneCondition(*q.ShowIf)
		q.ShowIf = &c
	}
	return q
}

func cloneCondition(c domain.Condition) domain.Condition {
	c.In = cloneStrings(c.In)
	c.Answered = clonePtr(c.Answered)
	c.All = cloneSlice(c.All, cloneCondition)
	c.Any = cloneSlice(c.Any, cloneCondition)
	return c
}

// cloneSlice keeps nil as nil and an empty slice empty, so that a clone compares equal.
func cloneSlice[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
