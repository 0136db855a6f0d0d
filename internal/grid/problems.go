package grid

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// problems collects every problem of a grid, each located, so that the person who writes a grid
// file fixes everything at once instead of one mistake per import attempt.
type problems struct {
	list []string
	// bad holds the fields the JSON reading already reported (wrong type…): the rules on them
	// are skipped so that one mistake gives one message, not two.
	bad map[string]bool
}

// add records a problem at a location (« domaine « sante », question « q » »).
func (p *problems) add(loc, msg string) { p.list = append(p.list, loc+" : "+msg) }

func (p *problems) addf(loc, format string, args ...any) { p.add(loc, fmt.Sprintf(format, args...)) }

// field records a problem of one field, unless reading the JSON already reported it.
func (p *problems) field(loc, field, msg string) {
	if !p.isBad(loc, field) {
		p.add(loc, msg)
	}
}

func (p *problems) fieldf(loc, field, format string, args ...any) {
	if !p.isBad(loc, field) {
		p.add(loc, fmt.Sprintf(format, args...))
	}
}

// markBad records a problem of a field and silences the rules on it.
func (p *problems) markBad(loc, field, msg string) {
	p.silence(loc, field)
	p.add(loc, msg)
}

// silence silences the rules on a field without a message: its problem was told another way.
func (p *problems) silence(loc, field string) {
	if p.bad == nil {
		p.bad = map[string]bool{}
	}
	p.bad[loc+"\x00"+field] = true
}

func (p *problems) isBad(loc, field string) bool { return p.bad[loc+"\x00"+field] }

// err returns nil when there is no problem, else the EINVALID error listing them all.
func (p *problems) err(gridID string) error {
	if len(p.list) == 0 {
		return nil
	}
	name := "Grille invalide"
	if gridID != "" {
		name = "Grille " + quote(gridID) + " invalide"
	}
	return domain.Errorf(domain.EINVALID, "%s : %s.", name, strings.Join(p.list, " ; "))
}

// Locations, the same for the JSON reading and the rules, so that both name a place alike.
const gridLoc = "grille"

func domainLoc(i int, id string) string {
	if id == "" {
		return fmt.Sprintf("domaine n° %d", i+1)
	}
	return "domaine " + quote(id)
}

func questionLoc(dloc string, j int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s, question n° %d", dloc, j+1)
	}
	return dloc + ", question " + quote(id)
}

func optionLoc(qloc string, k int, value string) string {
	if value == "" {
		return fmt.Sprintf("%s, option n° %d", qloc, k+1)
	}
	return qloc + ", option " + quote(value)
}

func scaleLoc(qloc string) string { return qloc + ", « scale »" }

func conditionLoc(qloc string) string { return qloc + ", condition" }

// subConditionLoc names the k-th condition of an all/any list.
func subConditionLoc(cloc, list string, k int) string {
	return fmt.Sprintf("%s, « %s » n° %d", cloc, list, k+1)
}

// maxQuoted bounds what a message repeats of a user's text: a 3,000-character label pasted in
// the wrong field must not make the message unreadable.
const maxQuoted = 60

// quote puts a user value in French quotes, shortened when long.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		s = string(r[:maxQuoted-1]) + "…"
	}
	return "« " + s + " »"
}

// quoteList quotes values and joins them with commas.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = quote(v)
	}
	return strings.Join(q, ", ")
}

// frNumber writes a number the French way (2,5), without useless decimals.
func frNumber(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

// frThousands writes an integer with a no-break space between thousands (5 000).
func frThousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	return b.String()
}
