//go:build !race

package datainclusion

// raceEnabled shrinks heavy test data: the race detector makes decoding about 20× slower.
const raceEnabled = false
