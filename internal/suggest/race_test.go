//go:build race

package suggest

// raceEnabled shrinks heavy data sets under the race detector (about 45× slower).
const raceEnabled = true
