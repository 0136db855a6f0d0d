//go:build !race

package hlc

// raceEnabled shrinks the longest runs under the race detector.
const raceEnabled = false
