//go:build !race

package openinghours

// raceEnabled shrinks the heavier tests under the race detector, which slows them down a lot.
const raceEnabled = false
