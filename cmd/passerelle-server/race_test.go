//go:build race

package main

// raceEnabled says the tests run under the race detector: the binary they start is built with
// it too, and the heavy data sets shrink.
const raceEnabled = true
