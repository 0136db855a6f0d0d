package grid

import "testing"

// BenchmarkNeeds measures the needs of a realistic interview on the default grid: the
// suggestions screen derives them after every answer, so this should stay well under 100 µs.
func BenchmarkNeeds(b *testing.B) {
	g := Default()
	answers := realisticAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if len(Needs(g, answers)) == 0 {
			b.Fatal("no needs")
		}
	}
}
