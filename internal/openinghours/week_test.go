package openinghours

import (
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// weekOf spells a week as 7 letters, Monday first: O open, C closed, S sometimes, U unknown.
func weekOf(t *testing.T, spec string) [7]string {
	t.Helper()
	if len(spec) != 7 {
		t.Fatalf("week spec %q: want 7 letters", spec)
	}
	var w [7]string
	for i, c := range spec {
		switch c {
		case 'O':
			w[i] = domain.DayOpen
		case 'C':
			w[i] = domain.DayClosed
		case 'S':
			w[i] = domain.DaySometimes
		case 'U':
			w[i] = domain.DayUnknown
		default:
			t.Fatalf("week spec %q: unknown letter %q", spec, c)
		}
	}
	return w
}

func spell(w [7]string) string {
	var b strings.Builder
	for _, st := range w {
		switch st {
		case domain.DayOpen:
			b.WriteByte('O')
		case domain.DayClosed:
			b.WriteByte('C')
		case domain.DaySometimes:
			b.WriteByte('S')
		case domain.DayUnknown:
			b.WriteByte('U')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

func TestWeek(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, hours, want string
	}{
		// Days: ranges, lists, wrap-around, case and spaces.
		{"range", "Mo-Fr 09:00-12:00,14:00-17:00", "OOOOOCC"},
		{"list", "Mo,We,Fr 10:00-12:00", "OCOCOCC"},
		{"range and list", "Mo-We,Fr 10:00-12:00", "OOOCOCC"},
		{"wrap-around", "Sa-Mo 10:00-12:00", "OCCCCOO"},
		{"lower case", "mo-fr 09:00-12:00", "OOOOOCC"},
		{"extra spaces and trailing separator", "Mo - Fr  09:00 - 12:00 ;  Sa 10:00-12:00 ;", "OOOOOOC"},
		{"en dash and no-break space", "Mo–Fr\u00a009:00–12:00", "OOOOOCC"},
		{"one-digit hour", "Mo-Fr 9:00-12:00", "OOOOOCC"},
		{"days without hours", "Mo-Fr", "OOOOOCC"},
		{"hours without days", "10:00-18:00", "OOOOOOO"},
		// Times.
		{"open end", "Fr 18:00+", "CCCCOCC"},
		{"past midnight stays on its first day", "Fr 22:00-02:00", "CCCCOCC"},
		{"until 24:00", "Mo-Fr 10:00-24:00", "OOOOOCC"},
		{"24/7", "24/7", "OOOOOOO"},
		{"24/7 except Sunday", "24/7; Su off", "OOOOOOC"},
		// States.
		{"off", "off", "CCCCCCC"},
		{"closed", "closed", "CCCCCCC"},
		{"unknown", "Mo unknown; Tu-Fr 09:00-12:00", "UOOOOCC"},
		{"comment alone", `"sur rendez-vous"`, "UUUUUUU"},
		{"comment on a day without hours", `Mo-Fr 09:00-12:00; Sa "sur rendez-vous"`, "OOOOOUC"},
		{"comment on hours keeps them open", `Mo 14:00-17:00 "sur rendez-vous"`, "OCCCCCC"},
		{"closures only leave other days unknown", "Mo-Fr off", "CCCCCUU"},
		// Nth weekday of the month.
		{"first Saturday", "Sa[1] 10:00-12:00", "CCCCCSC"},
		{"last Sunday", "Su[-1] 10:00-12:00", "CCCCCCS"},
		{"first and third Thursday", "Th[1,3] 14:00-16:00", "CCCSCCC"},
		{"second to third Friday", "Fr[2-3] 09:00-11:00", "CCCCSCC"},
		{"every rank is every week", "Sa[1-5] 10:00-12:00", "CCCCCOC"},
		{"first four and the last are every week", "Sa[1-4],Sa[-1] 10:00-12:00", "CCCCCOC"},
		{"first four miss the fifth", "Sa[1-4] 10:00-12:00", "CCCCCSC"},
		{"the fifth is always the last", "Sa[5] 10:00-12:00; Sa[-1] off", "CCCCCCC"},
		{"the last is not always the fourth", "Sa[-1] 10:00-12:00; Sa[4] off", "CCCCCSC"},
		{"second to last", "Su[-2] 10:00-12:00; Su[3] off", "CCCCCCS"},
		{"weekdays and first Saturday", "Mo-Fr 09:00-12:00; Sa[1] 10:00-12:00", "OOOOOSC"},
		{"closed the first Saturday", "Sa 10:00-12:00; Sa[1] off", "CCCCCSC"},
		// Holidays.
		{"PH off is not an ordinary day", "Mo-Fr 09:00-17:00; PH off", "OOOOOCC"},
		{"PH off alone", "PH off", "UUUUUUU"},
		{"PH hours alone", "PH 10:00-12:00", "UUUUUUU"},
		{"PH or Saturday", "PH,Sa 10:00-12:00", "CCCCCOC"},
		{"closed in school holidays", "Mo-Fr 09:00-17:00; SH off", "OOOOOCC"},
		{"open in school holidays only", "Mo-Fr 09:00-17:00; SH Sa 10:00-12:00", "OOOOOSC"},
		{"school holidays only", "SH Mo-Fr 10:00-12:00", "SSSSSUU"},
		// Months and weeks.
		{"part of the year", "Sep-Jun Mo-Fr 09:00-12:00", "SSSSSCC"},
		{"whole year by months", "Jan-Dec Mo-Fr 09:00-12:00", "OOOOOCC"},
		{"whole year in two rules", "Jan-Jun Mo 10:00-12:00; Jul-Dec Mo 10:00-12:00", "OCCCCCC"},
		{"closed in August", "Mo-Fr 09:00-17:00; Aug off", "SSSSSCC"},
		{"later rule overrides a month closure", "Jul-Aug off; Mo-Fr 09:00-12:00", "OOOOOCC"},
		{"month closure alone", "Jul-Aug off", "UUUUUUU"},
		{"unknown in summer", "Mo-Fr 09:00-12:00; Jul-Aug Mo unknown", "SOOOOCC"},
		{"odd weeks", "week 01-53/2 Mo 10:00-12:00", "SCCCCCC"},
		{"all weeks", "week 1-53 Mo 10:00-12:00", "OCCCCCC"},
		{"odd and even weeks", "week 01-53/2 Mo 10:00-12:00; week 02-52/2 Mo 10:00-12:00", "OCCCCCC"},
		{"colon after a wide selector", "Jan-Jun: Mo-Fr 09:00-12:00", "SSSSSCC"},
		// Rule separators.
		{"later rule replaces", "Mo-Fr 09:00-12:00; We off", "OOCOOCC"},
		{"additional rule adds", "Mo-Fr 08:00-12:00, We 14:00-18:00", "OOOOOCC"},
		{"additional closure cuts part of a day", "Mo-Fr 08:00-18:00, We 12:00-13:00 off", "OOOOOCC"},
		{"additional closure of the whole day", "Mo-Fr 08:00-18:00, We 08:00-18:00 off", "OOCOOCC"},
		{"additional unknown hours keep a day open", "Mo 10:00-12:00, Mo 14:00-16:00 unknown", "OCCCCCC"},
		{"additional hours open an unknown day", "Mo unknown, Mo 10:00-12:00", "OCCCCCC"},
		{"fallback on days no rule names", `Mo-Fr 09:00-12:00 || "sur rendez-vous"`, "OOOOOUU"},
		{"fallback ignored where a rule applies", "Mo 10:00-12:00 || Mo-Tu off", "OCCCCCC"},
		// Unreadable.
		{"empty", "", "UUUUUUU"},
		{"blank", "  ", "UUUUUUU"},
		{"French day names", "Lu-Ve 9h-12h", "UUUUUUU"},
		{"sunrise", "sunrise-sunset", "UUUUUUU"},
		{"garbage", "ouvert du lundi au vendredi !", "UUUUUUU"},
		{"one unreadable rule spoils the value", "Mo-Fr 09:00-12:00; Dec 25 off", "UUUUUUU"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := weekOf(t, tt.want)
			if got := Week(tt.hours); got != want {
				t.Errorf("Week(%q) = %s, want %s", tt.hours, spell(got), tt.want)
			}
			if s, err := Parse(tt.hours); err == nil {
				if got := s.Week(); got != want {
					t.Errorf("Parse(%q).Week() = %s, want %s", tt.hours, spell(got), tt.want)
				}
			} else if tt.want != "UUUUUUU" {
				t.Errorf("Parse(%q): %v", tt.hours, err)
			}
		})
	}
}

// TestWeek_longValue checks values past the parser's inline buffers read the same way.
func TestWeek_longValue(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 0; i < 30; i++ {
		b.WriteString("Mo 08:00-09:00,10:00-11:00; ")
	}
	b.WriteString("Tu 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00,11:00-12:00,13:00-14:00,15:00-16:00")
	if got, want := spell(Week(b.String())), "OOCCCCC"; got != want {
		t.Errorf("Week(long value) = %s, want %s", got, want)
	}
}

// TestSchedule_statesOnly checks the shortcut Week takes against the full evaluation, and that
// values needing hours do not take it.
func TestSchedule_statesOnly(t *testing.T) {
	t.Parallel()
	values := append([]string{
		"Mo-Fr 08:00-12:00, We 14:00-18:00", "Mo-Fr 08:00-18:00, We off", "Mo unknown, Mo 10:00-12:00", "Mo 10:00-12:00, Mo 14:00-16:00 unknown",
		"Mo 10:00-12:00 unknown, Mo off", `Mo-Fr 09:00-12:00 || "sur rendez-vous"`, "Mo off || Mo 10:00-12:00",
		"Mo-Fr 09:00-17:00; SH Sa 10:00-12:00; PH off", "Sep-Jun Mo-Fr 09:00-12:00; Sa[1,-1] 10:00-12:00",
	}, realisticValues...)
	for _, hours := range values {
		s, err := Parse(hours)
		if err != nil {
			continue
		}
		if !s.statesOnly {
			t.Errorf("%q: expected the state-only evaluation to apply", hours)
		}
		if msg := statesAgree(s); msg != "" {
			t.Errorf("%q: %s", hours, msg)
		}
	}
	for _, hours := range []string{
		"Mo-Fr 08:00-18:00, We 12:00-13:00 off", // an additional rule cuts hours out
		"Mo 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00; Tu 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00",
	} {
		s, err := Parse(hours)
		if err != nil {
			t.Fatal(err)
		}
		if s.statesOnly {
			t.Errorf("%q: the state-only evaluation must not apply", hours)
		}
	}
}
