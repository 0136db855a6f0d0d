package openinghours

import (
	"slices"
	"strings"
	"testing"
)

func TestFrench(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, hours string
		want        []string
	}{
		// The examples of the brief.
		{"range with two spans", "Mo-Fr 09:00-12:00,14:00-17:00",
			[]string{"Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h."}},
		{"two days", "Tu,Th 14:00-18:00", []string{"Le mardi et le jeudi, de 14 h à 18 h."}},
		{"first Saturday", "Sa[1] 10:00-12:00", []string{"Le premier samedi du mois, de 10 h à 12 h."}},
		{"two rules", "Mo 09:30-12:00; We 14:00-16:30",
			[]string{"Le lundi, de 9 h 30 à 12 h.", "Le mercredi, de 14 h à 16 h 30."}},
		{"24/7", "24/7", []string{"Tous les jours, 24 h sur 24."}},
		{"every day", "Mo-Su 10:00-18:00", []string{"Tous les jours, de 10 h à 18 h."}},
		{"PH off", "Mo-Fr 09:00-17:00; PH off",
			[]string{"Du lundi au vendredi, de 9 h à 17 h.", "Fermé les jours fériés."}},
		{"three days in a list", "Mo,Tu,Th 09:00-12:00", []string{"Le lundi, le mardi et le jeudi, de 9 h à 12 h."}},
		{"months", "Sep-Jun Mo-Fr 09:00-12:00", []string{"De septembre à juin, du lundi au vendredi, de 9 h à 12 h."}},
		{"open end", "Fr 18:00+", []string{"Le vendredi, à partir de 18 h."}},
		{"comment", `Mo 14:00-17:00 "sur rendez-vous"`, []string{"Le lundi, de 14 h à 17 h (sur rendez-vous)."}},
		// Days.
		{"wrap-around", "Sa-Mo 10:00-12:00", []string{"Du samedi au lundi, de 10 h à 12 h."}},
		{"run and single day", "Mo-We,Fr 10:00-12:00", []string{"Du lundi au mercredi et le vendredi, de 10 h à 12 h."}},
		{"days across the weekend", "Mo,Tu,Sa,Su 10:00-12:00", []string{"Du samedi au mardi, de 10 h à 12 h."}},
		{"same hours in two rules are grouped", "Mo 09:00-12:00; Tu 09:00-12:00", []string{"Le lundi et le mardi, de 9 h à 12 h."}},
		{"lower case and spaces", "mo - fr  09:00 - 12:00", []string{"Du lundi au vendredi, de 9 h à 12 h."}},
		{"no hours given", "Mo-Fr", []string{"Du lundi au vendredi, horaires non précisés."}},
		// Nth weekdays.
		{"first and third Thursday", "Th[1,3] 14:00-16:00", []string{"Le premier et le troisième jeudi du mois, de 14 h à 16 h."}},
		{"second to third Friday", "Fr[2-3] 09:00-11:00", []string{"Le deuxième et le troisième vendredi du mois, de 9 h à 11 h."}},
		{"last Sunday", "Su[-1] 10:00-12:00", []string{"Le dernier dimanche du mois, de 10 h à 12 h."}},
		{"second to last", "Su[-2] 10:00-12:00", []string{"L'avant-dernier dimanche du mois, de 10 h à 12 h."}},
		{"fourth and fifth", "Sa[4,5] 10:00-12:00", []string{"Le quatrième et le dernier samedi du mois, de 10 h à 12 h."}},
		{"weekdays and first Saturday", "Mo-Fr,Sa[1] 09:00-12:00",
			[]string{"Du lundi au vendredi et le premier samedi du mois, de 9 h à 12 h."}},
		{"closed the first Saturday", "Sa 10:00-12:00; Sa[1] off",
			[]string{"Le samedi, de 10 h à 12 h.", "Fermé le premier samedi du mois."}},
		// Times.
		{"past midnight", "Fr 22:00-02:00", []string{"Le vendredi, de 22 h à 2 h."}},
		{"midnight", "Mo 00:00-06:00; Tu 18:00-24:00", []string{"Le lundi, de minuit à 6 h.", "Le mardi, de 18 h à minuit."}},
		{"may close later", "Mo 10:00-12:00+", []string{"Le lundi, de 10 h à 12 h au moins."}},
		{"minutes", "Mo 08:05-12:45", []string{"Le lundi, de 8 h 05 à 12 h 45."}},
		{"whole days", "Mo-Fr 00:00-24:00", []string{"Du lundi au vendredi, 24 h sur 24."}},
		// States and comments.
		{"off", "off", []string{"Fermé."}},
		{"explicit weekend closure", "Mo-Fr 08:00-12:00; Sa,Su off",
			[]string{"Du lundi au vendredi, de 8 h à 12 h.", "Fermé le samedi et le dimanche."}},
		{"closure with a comment", `Mo-Fr 08:00-12:00; We off "réunion d'équipe"`,
			[]string{"Le lundi, le mardi, le jeudi et le vendredi, de 8 h à 12 h.", "Fermé le mercredi (réunion d'équipe)."}},
		{"comment alone", `"sur rendez-vous"`, []string{"Sur rendez-vous."}},
		{"comment on a day", `Sa "sur rendez-vous"`, []string{"Le samedi (sur rendez-vous)."}},
		{"unknown", "Mo unknown", []string{"Le lundi, ouverture à confirmer."}},
		{"unknown hours", "Mo 10:00-12:00 unknown", []string{"Le lundi, de 10 h à 12 h (à confirmer)."}},
		{"comments per span", `Mo 10:00-12:00 "accueil", Mo 14:00-16:00 "ateliers"`,
			[]string{"Le lundi, de 10 h à 12 h (accueil) et de 14 h à 16 h (ateliers)."}},
		// Holidays.
		{"PH hours", "PH 10:00-12:00", []string{"Les jours fériés, de 10 h à 12 h."}},
		{"PH or Saturday", "PH,Sa 10:00-12:00", []string{"Le samedi, de 10 h à 12 h.", "Les jours fériés, de 10 h à 12 h."}},
		{"Sunday and PH closed", "Mo-Sa 09:00-12:00; Su,PH off",
			[]string{"Du lundi au samedi, de 9 h à 12 h.", "Fermé le dimanche.", "Fermé les jours fériés."}},
		{"school holidays", "Mo-Fr 09:00-17:00; SH off",
			[]string{"Du lundi au vendredi, de 9 h à 17 h.", "Fermé pendant les vacances scolaires."}},
		{"during school holidays", "SH Mo-Fr 10:00-12:00",
			[]string{"Pendant les vacances scolaires, du lundi au vendredi, de 10 h à 12 h."}},
		{"PH off overridden by a later rule", "PH off; Mo-Fr 09:00-12:00", []string{"Du lundi au vendredi, de 9 h à 12 h."}},
		// Months and weeks.
		{"closed in August", "Mo-Fr 09:00-17:00; Aug off",
			[]string{"Du lundi au vendredi, de 9 h à 17 h.", "Fermé en août."}},
		{"closed in summer", "Mo-Fr 09:00-17:00; Jul-Aug off",
			[]string{"Du lundi au vendredi, de 9 h à 17 h.", "Fermé en juillet et en août."}},
		{"summer and school year", "Jul-Aug Mo-Fr 10:00-12:00; Sep-Jun Mo-Fr 09:00-17:00",
			[]string{"En juillet et en août, du lundi au vendredi, de 10 h à 12 h.",
				"De septembre à juin, du lundi au vendredi, de 9 h à 17 h."}},
		{"elision before a vowel", "Oct-Mar Mo 10:00-12:00", []string{"D'octobre à mars, le lundi, de 10 h à 12 h."}},
		{"several month ranges", "Jan,Mar-May,Oct Mo 10:00-12:00",
			[]string{"En janvier, de mars à mai et en octobre, le lundi, de 10 h à 12 h."}},
		{"odd weeks", "week 01-53/2 Mo 10:00-12:00", []string{"Les semaines impaires, le lundi, de 10 h à 12 h."}},
		{"week range", "week 10-20 Mo 10:00-12:00", []string{"Les semaines 10 à 20, le lundi, de 10 h à 12 h."}},
		// Rule separators.
		{"later rule overrides", "Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00",
			[]string{"Le lundi, le mardi, le jeudi et le vendredi, de 9 h à 12 h et de 14 h à 17 h.", "Le mercredi, de 9 h à 12 h."}},
		{"additional rule", "Mo-Fr 08:00-12:00, We 14:00-18:00",
			[]string{"Le lundi, le mardi, le jeudi et le vendredi, de 8 h à 12 h.", "Le mercredi, de 8 h à 12 h et de 14 h à 18 h."}},
		{"additional closure", "Mo-Fr 08:00-18:00, We 12:00-13:00 off",
			[]string{"Le lundi, le mardi, le jeudi et le vendredi, de 8 h à 18 h.", "Le mercredi, de 8 h à 12 h et de 13 h à 18 h."}},
		{"fallback", `Mo-Fr 09:00-12:00 || "sur rendez-vous"`,
			[]string{"Du lundi au vendredi, de 9 h à 12 h.", "Le samedi et le dimanche (sur rendez-vous)."}},
		{"fallback outside summer", "Jul-Aug Mo 10:00-12:00 || Mo 14:00-15:00",
			[]string{"En juillet et en août, le lundi, de 10 h à 12 h.", "De septembre à juin, le lundi, de 14 h à 15 h."}},
		{"fallback on the other ranks", "Sa[-1] 10:00-12:00 || Sa 14:00-16:00",
			[]string{"Le dernier samedi du mois, de 10 h à 12 h.",
				"Le premier, le deuxième, le troisième et l'avant-dernier samedi du mois, de 14 h à 16 h."}},
		// Told rule by rule when no words name what is left: "third from the end, but not the
		// second" is only the third Saturday of a month with five.
		{"ranks no words name", "Sa[2] 10:00-12:00 || Sa[-3] 14:00-16:00",
			[]string{"Le deuxième samedi du mois, de 10 h à 12 h.",
				"Sinon, le troisième samedi du mois en partant de la fin, de 14 h à 16 h."}},
		{"holidays on weekdays", "Mo-Fr 09:00-12:00; PH Mo-Fr off",
			[]string{"Du lundi au vendredi, de 9 h à 12 h.", "Les jours fériés, fermé du lundi au vendredi."}},
		// Told rule by rule when grouping could mislead: the additional rule adds to both the
		// ordinary and the summer Mondays, which one grouped sentence cannot say.
		{"literal reading", "Mo 10:00-12:00; Jul-Aug Mo 14:00-16:00, Mo 17:00-18:00",
			[]string{"Le lundi, de 10 h à 12 h.", "En juillet et en août, le lundi, de 14 h à 16 h.", "En plus, le lundi, de 17 h à 18 h."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := French(tt.hours)
			if !ok {
				t.Fatalf("French(%q): not readable", tt.hours)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("French(%q)\n got: %q\nwant: %q", tt.hours, got, tt.want)
			}
		})
	}
}

func TestFrench_unreadable(t *testing.T) {
	t.Parallel()
	for _, hours := range []string{"", "   ", "Lu-Ve 9h-12h", "sunrise-sunset", "Mo-Fr sunrise-sunset", "n'importe quoi", "Dec 25 off"} {
		t.Run(hours, func(t *testing.T) {
			t.Parallel()
			if got, ok := French(hours); ok || got != nil {
				t.Errorf("French(%q) = %q, %v; want nil, false", hours, got, ok)
			}
		})
	}
}

// TestSchedule_faithful checks the safety net of French: a grouping that drops or reorders what
// the rules say must be caught, so French never shows it.
func TestSchedule_faithful(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, hours string
		spoil       func([]sentence) []sentence
	}{
		{"a sentence dropped", "Mo-Fr 09:00-17:00; PH off",
			func(m []sentence) []sentence { return m[:len(m)-1] }},
		{"exception put before the rule", "Sa 10:00-12:00; Sa[1] off",
			func(m []sentence) []sentence { return []sentence{m[1], m[0]} }},
		{"hours changed", "Mo-Fr 09:00-12:00",
			func(m []sentence) []sentence { m[0].out.sp[0].to = 13 * 60; return m }},
		{"a day added", "Mo-Fr 09:00-12:00",
			func(m []sentence) []sentence { m[0].items = append(m[0].items, item{day: 5, nth: allNth}); return m }},
		{"a month forgotten", "Sep-Jun Mo-Fr 09:00-12:00",
			func(m []sentence) []sentence { m[0].c.months = allMonths; return m }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.hours)
			if err != nil {
				t.Fatal(err)
			}
			model, ok := s.sentenceModel()
			if !ok || !s.faithful(model) {
				t.Fatalf("sentences of %q: not faithful before spoiling them", tt.hours)
			}
			if s.faithful(tt.spoil(model)) {
				t.Errorf("spoiled sentences of %q pass as faithful", tt.hours)
			}
		})
	}
}

// TestFrench_sentences checks the form of every sentence over a set of values.
func TestFrench_sentences(t *testing.T) {
	t.Parallel()
	for _, hours := range realisticValues {
		s, err := Parse(hours)
		if err != nil {
			continue
		}
		for _, sentence := range s.French() {
			first, _, _ := strings.Cut(sentence, " ")
			if !strings.HasSuffix(sentence, ".") || strings.Contains(sentence, "  ") || strings.ToLower(first) == first {
				t.Errorf("French(%q): sentence %q is not a capitalised sentence ending with a full stop", hours, sentence)
			}
		}
	}
}

func TestRanks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mask   uint16
		want   []int
		wantOK bool
	}{
		{"first", nthPos(1), []int{1}, true},
		{"last", nthNeg(1), []int{-1}, true},
		{"fifth", nthPos(5), []int{5}, true},
		{"fourth or fifth is fourth or last", nthPos(4) | nthPos(5), []int{4, -1}, true},
		{"first and third", nthPos(1) | nthPos(3), []int{1, 3}, true},
		{"second of a 4-Saturday month only", 1 << 1, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ranks(tt.mask)
			if ok != tt.wantOK || (ok && !slices.Equal(got, tt.want)) {
				t.Errorf("ranks(%09b) = %v, %v; want %v, %v", tt.mask, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSchedule_nil(t *testing.T) {
	t.Parallel()
	var s *Schedule
	if got := s.Week(); got != unknownWeek {
		t.Errorf("nil Schedule: Week() = %s, want all unknown", spell(got))
	}
	if got := s.French(); got != nil {
		t.Errorf("nil Schedule: French() = %q, want nil", got)
	}
}
