package hlc

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// devices are a few device ids, some prefixes of others, so that ties and the device order
// both show up.
var devices = []string{devA, devB, "dev", "dev1", "dev10", "Z", "a"}

// drawStamp draws a stamp, often from a narrow range so that equal milliseconds and counters
// happen.
func drawStamp(t *rapid.T, label string) Stamp {
	return Stamp{
		Millis: rapid.OneOf(rapid.Int64Range(1763892000000, 1763892000003), rapid.Int64Range(0, MaxMillis)).Draw(t, label+".ms"),
		Counter: rapid.OneOf(rapid.Uint16Range(0, 2), rapid.Uint16Range(MaxCounter-1, MaxCounter),
			rapid.Uint16()).Draw(t, label+".ctr"),
		Device: rapid.OneOf(rapid.SampledFrom(devices), rapid.StringMatching(`[A-Za-z0-9._-]{1,64}`)).Draw(t, label+".dev"),
	}
}

func tupleCompare(a, b Stamp) int {
	if c := cmp.Compare(a.Millis, b.Millis); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Counter, b.Counter); c != 0 {
		return c
	}
	return strings.Compare(a.Device, b.Device)
}

// TestStamp_textOrderIsTupleOrder: formatting then parsing gives the stamp back, and Compare on
// the text agrees with the order of (milliseconds, counter, device) on the parsed stamps; it is
// a total order (antisymmetric, transitive, 0 only for equal stamps).
func TestStamp_textOrderIsTupleOrder(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := drawStamp(t, "a"), drawStamp(t, "b"), drawStamp(t, "c")
		sa, sb, sc := a.String(), b.String(), c.String()
		for _, p := range []struct {
			s  string
			st Stamp
		}{{sa, a}, {sb, b}, {sc, c}} {
			got, err := Parse(p.s)
			if err != nil || got != p.st {
				t.Fatalf("Parse(%q) = %+v, %v, want %+v", p.s, got, err, p.st)
			}
			if Compare("", p.s) != -1 {
				t.Fatalf("\"\" does not sort before %q", p.s)
			}
		}
		if got, want := Compare(sa, sb), tupleCompare(a, b); got != want {
			t.Fatalf("Compare(%q, %q) = %d, tuple order says %d", sa, sb, got, want)
		}
		if Compare(sa, sb) != -Compare(sb, sa) {
			t.Fatalf("Compare is not antisymmetric on %q, %q", sa, sb)
		}
		if (Compare(sa, sb) == 0) != (a == b) {
			t.Fatalf("Compare(%q, %q) = 0 for different stamps, or not 0 for equal ones", sa, sb)
		}
		if Compare(sa, sb) <= 0 && Compare(sb, sc) <= 0 && Compare(sa, sc) > 0 {
			t.Fatalf("Compare is not transitive: %q <= %q <= %q but %q > %q", sa, sb, sc, sa, sc)
		}
	})
}

// TestClock_monotonic drives a clock through an arbitrary wall clock (forward, backwards,
// frozen, far jumps), stamps received from other devices, and restarts from the persisted last
// stamp: every stamp it issues is strictly greater than everything it issued or observed before,
// and a stamp it observed is always below the next one it issues.
func TestClock_monotonic(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		const t0 = 1763892000000
		w := newWall(t0)
		dev := rapid.SampledFrom(devices).Draw(t, "device")
		c := New(dev, w.now, "")
		high := ""            // the greatest stamp issued or accepted so far
		pendingObserved := "" // the last stamp observed since the last Now
		steps := rapid.IntRange(1, 200).Draw(t, "steps")
		for i := range steps {
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0: // the wall clock moves: forward, back, or not at all
				w.set(w.ms.Load() + rapid.Int64Range(-3_600_000, 3_600_000).Draw(t, "delta"))
			case 1: // a far jump, even before 1970
				w.set(rapid.Int64Range(-1_000_000, t0+10*MaxSkew.Milliseconds()).Draw(t, "jump"))
			case 2: // a stamp from another desk, near or far from the wall clock
				r := Stamp{
					Millis:  max(0, w.ms.Load()+rapid.Int64Range(-MaxSkew.Milliseconds(), 2*MaxSkew.Milliseconds()).Draw(t, "skew")),
					Counter: rapid.OneOf(rapid.Uint16Range(MaxCounter-2, MaxCounter), rapid.Uint16()).Draw(t, "rctr"),
					Device:  rapid.SampledFrom(devices).Draw(t, "rdev"),
				}.String()
				err := c.Observe(r)
				ahead, _ := Parse(r)
				far := ahead.Millis > max(w.ms.Load(), 0)+MaxSkew.Milliseconds()
				if far != (err != nil) {
					t.Fatalf("step %d: Observe(%q) at wall %d = %v; refused should be %v", i, r, w.ms.Load(), err, far)
				}
				if err == nil {
					if Compare(r, high) > 0 {
						high = r
					}
					pendingObserved = r
				}
			case 3: // the desk restarts from what it persisted
				c = New(dev, w.now, c.Last())
			default:
				s := c.Now()
				if !Valid(s) {
					t.Fatalf("step %d: Now() = %q is not a valid stamp", i, s)
				}
				if Compare(s, high) <= 0 {
					t.Fatalf("step %d: Now() = %q is not above %q, the greatest stamp issued or observed", i, s, high)
				}
				if Compare(s, pendingObserved) <= 0 {
					t.Fatalf("step %d: Now() = %q is not above the observed %q", i, s, pendingObserved)
				}
				high, pendingObserved = s, ""
			}
			if c.Last() != high {
				t.Fatalf("step %d: Last() = %q, want %q", i, c.Last(), high)
			}
		}
	})
}

// TestClock_frozenWall: with a wall clock that never moves, a long run of stamps stays strictly
// increasing through counter overflows.
func TestClock_frozenWall(t *testing.T) {
	t.Parallel()
	n := 3*(MaxCounter+1) + 10
	if raceEnabled {
		n = MaxCounter + 100 // still one overflow
	}
	c := New(devA, func() time.Time { return time.UnixMilli(1763892000000) }, "")
	prev := ""
	for i := 0; i < n; i++ {
		s := c.Now()
		if s <= prev {
			t.Fatalf("stamp %d = %q is not above %q", i, s, prev)
		}
		prev = s
	}
	if st, _ := Parse(prev); st.Millis < 1763892000001 {
		t.Errorf("after %d stamps in a frozen millisecond the clock did not borrow the next one: %q", n, prev)
	}
}
