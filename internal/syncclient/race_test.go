//go:build race

package syncclient

// raceEnabled shrinks heavy data sets: the race detector makes SQLite about 45 times slower.
const raceEnabled = true
