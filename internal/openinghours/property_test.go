package openinghours

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"pgregory.net/rapid"
)

// genRule is a rule of the simple language the property test draws: weekdays (one, a range, a
// list, or one with ranks in the month), optional months, and hours or "off".
type genRule struct {
	additional bool  // after "," rather than ";"
	months     []int // nil: every month; else every month from [0] to [1], wrapping
	days       []int // 0 = Monday
	nth        []int // ranks in the month of the single day (1…5, -1…-2); nil: every week
	off        bool
	text       string
}

var (
	genDays   = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}
	genMonths = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// anyCase writes a keyword as writers do: as specified, lower or upper case.
func anyCase(t *rapid.T, w, label string) string {
	switch rapid.IntRange(0, 3).Draw(t, label) {
	case 1:
		return strings.ToLower(w)
	case 2:
		return strings.ToUpper(w)
	}
	return w
}

func space(t *rapid.T, label string) string {
	return rapid.SampledFrom([]string{"", "", " ", "  "}).Draw(t, label)
}

func drawRule(t *rapid.T, i int) genRule {
	l := func(s string) string { return fmt.Sprintf("r%d.%s", i, s) }
	var r genRule
	var b strings.Builder
	if rapid.IntRange(0, 3).Draw(t, l("hasMonths")) == 0 {
		m1, m2 := rapid.IntRange(0, 11).Draw(t, l("m1")), rapid.IntRange(0, 11).Draw(t, l("m2"))
		r.months = []int{m1, m2}
		b.WriteString(anyCase(t, genMonths[m1], l("m1case")))
		if m2 != m1 {
			b.WriteString("-" + anyCase(t, genMonths[m2], l("m2case")))
		}
		b.WriteString(" ")
	}
	day := func(d int, label string) string { return anyCase(t, genDays[d], l(label)) }
	switch rapid.IntRange(0, 3).Draw(t, l("dayForm")) {
	case 0: // one day
		d := rapid.IntRange(0, 6).Draw(t, l("d"))
		r.days = []int{d}
		b.WriteString(day(d, "dcase"))
	case 1: // a range, possibly wrapping past Sunday
		d1, d2 := rapid.IntRange(0, 6).Draw(t, l("d1")), rapid.IntRange(0, 6).Draw(t, l("d2"))
		for d := d1; ; d = (d + 1) % 7 {
			r.days = append(r.days, d)
			if d == d2 {
				break
			}
		}
		b.WriteString(day(d1, "d1case") + space(t, l("sp1")) + "-" + space(t, l("sp2")) + day(d2, "d2case"))
	case 2: // a list
		ds := rapid.SliceOfNDistinct(rapid.IntRange(0, 6), 2, 3, rapid.ID[int]).Draw(t, l("ds"))
		var names []string
		for k, d := range ds {
			names = append(names, day(d, fmt.Sprintf("dscase%d", k)))
		}
		r.days = ds
		b.WriteString(strings.Join(names, ","))
	default: // one day, some weeks of the month
		// Mostly the weekend, so that ranks of several rules meet on the same day.
		d := rapid.SampledFrom([]int{5, 6, 5, 6, 0}).Draw(t, l("nd"))
		r.days = []int{d}
		r.nth = rapid.SliceOfNDistinct(rapid.SampledFrom([]int{1, 2, 3, 4, 5, -1, -2}), 1, 2, rapid.ID[int]).Draw(t, l("nth"))
		var ranks []string
		for _, n := range r.nth {
			ranks = append(ranks, fmt.Sprint(n))
		}
		b.WriteString(day(d, "ndcase") + "[" + strings.Join(ranks, ",") + "]")
	}
	b.WriteString(" " + space(t, l("sp3")))
	offOdds := 4 // one rule in 5 is a closure; one in 2 for ranked days, so ranks overlap and cancel
	if r.nth != nil {
		offOdds = 1
	}
	if rapid.IntRange(0, offOdds).Draw(t, l("off")) == 0 {
		r.off = true
		b.WriteString(anyCase(t, rapid.SampledFrom([]string{"off", "closed"}).Draw(t, l("offWord")), l("offCase")))
	} else {
		// 1 to 3 spans between distinct, increasing half hours.
		n := rapid.IntRange(1, 3).Draw(t, l("spans"))
		marks := rapid.SliceOfNDistinct(rapid.IntRange(0, 47), 2*n, 2*n, rapid.ID[int]).Draw(t, l("marks"))
		slices.Sort(marks)
		var spans []string
		for k := 0; k < n; k++ {
			from, to := marks[2*k]*30, marks[2*k+1]*30
			spans = append(spans, fmt.Sprintf("%02d:%02d%s-%s%02d:%02d",
				from/60, from%60, space(t, l("sp4")), space(t, l("sp5")), to/60, to%60))
		}
		b.WriteString(strings.Join(spans, ","+space(t, l("sp6"))))
	}
	r.text = b.String()
	return r
}

// expectWeek is an independent reading of the simple language: for each weekday, go through
// every month and every place the day can have in a month (rank k of total 4 or 5), let the
// last rule naming it decide, and sum up.
func expectWeek(rules []genRule) [7]string {
	anyOpen := false
	for _, r := range rules {
		anyOpen = anyOpen || !r.off
	}
	var w [7]string
	for d := 0; d < 7; d++ {
		open, closed, unknown := false, false, false
		for m := 0; m < 12; m++ {
			for total := 4; total <= 5; total++ {
				for k := 1; k <= total; k++ {
					state := "none"
					for _, r := range rules {
						if !inMonths(r.months, m) || !slices.Contains(r.days, d) || !hasRank(r.nth, k, total) {
							continue
						}
						state = "open"
						if r.off {
							state = "closed"
						}
					}
					if state == "none" { // a value that opens nothing leaves the rest undecided
						state = "closed"
						if !anyOpen {
							state = "unknown"
						}
					}
					open = open || state == "open"
					closed = closed || state == "closed"
					unknown = unknown || state == "unknown"
				}
			}
		}
		switch {
		case open && (closed || unknown):
			w[d] = domain.DaySometimes
		case open:
			w[d] = domain.DayOpen
		case unknown:
			w[d] = domain.DayUnknown
		default:
			w[d] = domain.DayClosed
		}
	}
	return w
}

func inMonths(months []int, m int) bool {
	if months == nil {
		return true
	}
	for x := months[0]; ; x = (x + 1) % 12 {
		if x == m {
			return true
		}
		if x == months[1] {
			return false
		}
	}
}

func hasRank(nth []int, k, total int) bool {
	if nth == nil {
		return true
	}
	for _, n := range nth {
		if (n > 0 && k == n) || (n < 0 && k == total+1+n) {
			return true
		}
	}
	return false
}

func TestWeek_property(t *testing.T) {
	t.Parallel()
	rounds := 10 // of rapid's checks each (100 unless -rapid.checks says otherwise)
	if raceEnabled {
		rounds = 1
	}
	for round := 0; round < rounds; round++ {
		t.Run(fmt.Sprint(round), rapid.MakeCheck(func(t *rapid.T) {
			n := rapid.IntRange(1, 5).Draw(t, "rules")
			var rules []genRule
			var b strings.Builder
			for i := 0; i < n; i++ {
				r := drawRule(t, i)
				if i > 0 {
					r.additional = rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("r%d.additional", i)) == 0
					if r.additional {
						b.WriteString("," + space(t, fmt.Sprintf("r%d.sep", i)))
					} else {
						b.WriteString(";" + space(t, fmt.Sprintf("r%d.sep", i)))
					}
				}
				b.WriteString(r.text)
				rules = append(rules, r)
			}
			value := b.String()
			s, err := Parse(value)
			if err != nil {
				t.Fatalf("Parse(%q): %v", value, err)
			}
			want := expectWeek(rules)
			if got := Week(value); got != want {
				t.Fatalf("Week(%q) = %s, want %s", value, spell(got), spell(want))
			}
			if got := s.Week(); got != want {
				t.Fatalf("Parse(%q).Week() = %s, want %s", value, spell(got), spell(want))
			}
			fr := s.French()
			if len(fr) == 0 {
				t.Fatalf("French(%q) is empty", value)
			}
			for _, sentence := range fr {
				if !strings.HasSuffix(sentence, ".") {
					t.Fatalf("French(%q): %q does not end with a full stop", value, sentence)
				}
			}
		}))
	}
}
