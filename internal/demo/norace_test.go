//go:build !race

package demo_test

// raceEnabled shrinks heavy data sets: the race detector makes everything about 45× slower.
const raceEnabled = false
