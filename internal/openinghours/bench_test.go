package openinghours

import "testing"

// realisticValues mixes what directories hold in horaires_accueil: mostly simple weekly hours,
// some holidays, months, nth weekdays and comments, and a share of values that cannot be read
// (other conventions, free text, empty).
var realisticValues = []string{
	"Mo-Fr 09:00-12:00,14:00-17:00",
	"Mo-Fr 08:30-12:30; PH off",
	"Mo-Fr 09:00-12:00,14:00-17:00; PH off",
	"Mo-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:00; PH off",
	"Tu,Th 14:00-18:00",
	"Mo,We,Fr 09:30-12:00",
	"We 14:00-17:00; Sa 10:00-12:00",
	"Sa[1] 10:00-12:00",
	"Mo-Fr 09:00-17:00; Sa[1,3] 09:00-12:00; PH off",
	"Sep-Jun Mo-Fr 09:00-12:00; Jul-Aug off",
	"Mo-Fr 09:00-17:00; SH off",
	`Mo 14:00-17:00 "sur rendez-vous"`,
	`Mo-Fr 09:00-12:00 || "sur rendez-vous"`,
	"Mo-Sa 08:00-20:00",
	"24/7",
	"Fr 18:00+",
	"",
	"Lu-Ve 9h-12h",
	"du lundi au vendredi de 9h à 17h",
	"Mo-Fr sunrise-sunset",
}

// BenchmarkWeek reads the weekday states of a realistic mix of values, as the directory index
// does for every service.
func BenchmarkWeek(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Week(realisticValues[i%len(realisticValues)])
	}
}

// BenchmarkWeek_typical reads one typical value.
func BenchmarkWeek_typical(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Week("Mo-Fr 09:00-12:00,14:00-17:00; PH off")
	}
}

// BenchmarkFrench writes the sentences of the same mix, as the detail pane does for one service.
func BenchmarkFrench(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = French(realisticValues[i%len(realisticValues)])
	}
}
