package openinghours

import (
	"fmt"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// FuzzParse checks that no input makes the package panic, that Parse and Week agree, and that a
// value Parse accepts always gets French sentences. Seeds: testdata/fuzz/FuzzParse and below.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Sa[1] 10:00-12:00", "24/7", "Fr 22:00-02:00+",
		`Mo 14:00-17:00 "sur rendez-vous"`, "Sep-Jun Mo-Fr 09:00-12:00; Jul-Aug off", "week 01-53/2 Tu 10:00-12:00",
		"Mo-Fr 08:00-12:00, We 14:00-18:00 || \"sur rendez-vous\"", "SH Mo-Fr 10:00-12:00; PH,Su off", "Lu-Ve 9h-12h",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sch, err := Parse(s)
		week := Week(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
				t.Fatalf("Parse(%q): error %v, want a domain EINVALID error with a message", s, err)
			}
			if week != unknownWeek {
				t.Fatalf("Week(%q) = %v for a value Parse refuses, want all unknown", s, week)
			}
			if fr, ok := French(s); ok || fr != nil {
				t.Fatalf("French(%q) = %q, %v for a value Parse refuses", s, fr, ok)
			}
			return
		}
		if msg := statesAgree(sch); msg != "" {
			t.Fatalf("%q: %s", s, msg)
		}
		if got := sch.Week(); got != week {
			t.Fatalf("Schedule.Week() = %v, Week(%q) = %v", got, s, week)
		}
		for d, st := range week {
			switch st {
			case domain.DayOpen, domain.DayClosed, domain.DaySometimes, domain.DayUnknown:
			default:
				t.Fatalf("Week(%q)[%d] = %q", s, d, st)
			}
		}
		fr := sch.French()
		if len(fr) == 0 {
			t.Fatalf("French(%q) is empty", s)
		}
		for _, sentence := range fr {
			if strings.TrimSpace(sentence) == "" {
				t.Fatalf("French(%q) has an empty sentence: %q", s, fr)
			}
		}
	})
}

// statesAgree checks that the state-only evaluation Week uses, where it applies, says what the
// full evaluation with hours says, day by day and context by context; "" when it does.
func statesAgree(s *Schedule) string {
	if !s.statesOnly {
		return ""
	}
	msg := ""
	var o outcome
	for d := 0; d < 7 && msg == ""; d++ {
		s.each(true, func(c ctx) bool {
			if fast, full := s.evalState(d, c), s.dayState(&o, s.eval(d, c, &o)); fast != full {
				msg = fmt.Sprintf("day %d in %+v: state-only evaluation says %d, with hours %d", d, c, fast, full)
				return false
			}
			return true
		})
	}
	return msg
}
