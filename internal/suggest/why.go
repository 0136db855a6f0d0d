package suggest

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
)

// whySep joins the pieces of a Why line.
const whySep = " · "

var (
	weekdays = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
	// Plurals for « certains mardis ».
	weekdaysPlural = [7]string{"lundis", "mardis", "mercredis", "jeudis", "vendredis", "samedis", "dimanches"}
)

// weekdayIndex returns the position of t's weekday in Hit.Week (0 = Monday).
func weekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// nextOpening looks at the coming 7 days from today (0 = Monday), today first: the first day the
// service is open, else the first day it is open some weeks, else whether any day is unknown.
// It returns the state found (domain.DayClosed when it is closed every day) and the days to wait.
func nextOpening(week [7]string, today int) (state string, wait int) {
	for _, want := range [...]string{domain.DayOpen, domain.DaySometimes} {
		for d := range 7 {
			if week[(today+d)%7] == want {
				return want, d
			}
		}
	}
	for _, s := range week {
		if s != domain.DayClosed {
			return domain.DayUnknown, 0 // unknown, or no state at all
		}
	}
	return domain.DayClosed, 0
}

// openBonus is the « open soon » factor of the score.
func openBonus(week [7]string, today int) float64 {
	switch state, wait := nextOpening(week, today); state {
	case domain.DayOpen:
		return weightOpen - openDecay*float64(wait)
	case domain.DaySometimes:
		return weightSometimes - sometimesDecay*float64(wait)
	case domain.DayUnknown:
		return weightUnknown
	}
	return 0
}

// openingText says when the service opens next: « ouvert aujourd’hui », « ouvert demain »,
// « ouvert mardi », « certains mardis », or "" when the hours are not known or it never opens.
func openingText(week [7]string, today int) string {
	state, wait := nextOpening(week, today)
	day := (today + wait) % 7
	switch {
	case state == domain.DayOpen && wait == 0:
		return "ouvert aujourd’hui"
	case state == domain.DayOpen && wait == 1:
		return "ouvert demain"
	case state == domain.DayOpen:
		return "ouvert " + weekdays[day]
	case state == domain.DaySometimes:
		return "certains " + weekdaysPlural[day]
	}
	return ""
}

// why writes the one-line explanation of a suggestion: the needs it answers, how far, free,
// when it opens next, and whether the person can give there.
func why(c *candidate, needs []domain.Need, today int) string {
	h := c.hit
	var parts []string
	eff := themesOf(h)
	for _, i := range c.needs {
		if l := needLabel(&needs[i], h, eff); l != "" && !slices.Contains(parts, l) {
			parts = append(parts, l)
		}
	}
	switch {
	case h.Remote:
		parts = append(parts, "à distance")
	case h.DistanceKm != nil:
		parts = append(parts, formatKm(*h.DistanceKm))
	}
	if h.Frais == "gratuit" {
		parts = append(parts, "gratuit")
	}
	if o := openingText(h.Week, today); o != "" {
		parts = append(parts, o)
	}
	if c.give {
		parts = append(parts, "pour donner de son temps")
	}
	return strings.Join(parts, whySep)
}

// needLabel names what of a need the service answers: the label of the first of the need's
// thématiques it has, else the label of its local category, else "" (a place to give, said
// apart). The domain's own title is never used: for a sensitive domain it would name the
// person's health on the screen and on the sheet. For the same reason a thématique category code
// ("sante") is named by the service's sub-theme (« accès aux soins »), never by the category.
func needLabel(n *domain.Need, h *domain.Hit, eff [2][]string) string {
	for _, t := range n.Thematiques {
		if x := themeMatch(t, eff); x != "" {
			return lowerFirst(vocab.ThemeLabel(x))
		}
	}
	if h.Categorie != "" && slices.Contains(n.Categories, h.Categorie) {
		if c, ok := vocab.CategoryByCode(h.Categorie); ok {
			return lowerFirst(c.Label)
		}
		return h.Categorie
	}
	return ""
}

// lowerFirst puts a label in lower case for the middle of a line: its first letter only, so that
// acronyms and proper nouns inside keep their capitals (« réaliser un CV… », « panier
// solidaire, AMAP »); a label starting with an acronym is left as it is.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// formatKm writes a distance the French way, to the tenth: « 1,2 km ».
func formatKm(km float64) string {
	return strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1) + " km"
}
