package suggest

import (
	"slices"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// Age bounds of the data·inclusion publics « seniors » and « jeunes ».
const (
	seniorFrom = 60 // seniors from 60
	youngUntil = 26 // jeunes under 26
)

// PublicsOf derives the data·inclusion publics a person belongs to, for Profile.Publics: from
// the year of birth (seniors from 60, jeunes under 26, by the age reached during now's year,
// the file keeping only the year), the household (familles for « parent-seul » and
// « couple-enfants »), and the Publics of the needs (the interview's answers). Sorted,
// deduplicated; an empty slice, not nil, when none.
func PublicsOf(u domain.Usager, needs []domain.Need, now time.Time) []string {
	out := []string{}
	if u.BirthYear != nil && *u.BirthYear > 0 {
		switch age := now.Year() - *u.BirthYear; {
		case age < 0: // a year in the future: a typing error, nothing to derive
		case age >= seniorFrom:
			out = append(out, "seniors")
		case age < youngUntil:
			out = append(out, "jeunes")
		}
	}
	switch u.Household {
	case "parent-seul", "couple-enfants":
		out = append(out, "familles")
	}
	for _, n := range needs {
		for _, p := range n.Publics {
			if p != "" {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
