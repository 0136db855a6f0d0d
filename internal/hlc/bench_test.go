package hlc

import (
	"testing"
	"time"
)

// BenchmarkClock_Now: one stamp per local write, under the lock.
func BenchmarkClock_Now(b *testing.B) {
	c := New(devA, time.Now, "")
	b.ReportAllocs()
	for b.Loop() {
		c.Now()
	}
}

// BenchmarkClock_Observe: one received stamp of a pulled field.
func BenchmarkClock_Observe(b *testing.B) {
	c := New(devA, time.Now, "")
	remote := Stamp{Millis: time.Now().UnixMilli(), Counter: 3, Device: devB}.String()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Observe(remote); err != nil {
			b.Fatal(err)
		}
	}
}
