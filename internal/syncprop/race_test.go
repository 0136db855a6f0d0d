//go:build race

package syncprop

const raceEnabled = true
