package hlc

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

const (
	devA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	devB = "0190ffff-0000-7000-8000-000000000001"
)

// wallClock is a wall clock the test sets by hand.
type wallClock struct{ ms atomic.Int64 }

func newWall(ms int64) *wallClock { w := &wallClock{}; w.ms.Store(ms); return w }

func (w *wallClock) set(ms int64)   { w.ms.Store(ms) }
func (w *wallClock) now() time.Time { return time.UnixMilli(w.ms.Load()) }

func stamp(ms int64, ctr uint16, dev string) string {
	return Stamp{Millis: ms, Counter: ctr, Device: dev}.String()
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Stamp
		ok   bool
	}{
		{"uuid device", "1763892000000-0001-" + devA, Stamp{1763892000000, 1, devA}, true},
		{"short device", "1763892000000-00ff-dev1", Stamp{1763892000000, 255, "dev1"}, true},
		{"max counter", "1763892000000-ffff-d", Stamp{1763892000000, 0xffff, "d"}, true},
		{"zero", "0000000000000-0000-d", Stamp{0, 0, "d"}, true},
		{"max millis", "9999999999999-0000-d", Stamp{MaxMillis, 0, "d"}, true},
		{"device of 64", "1763892000000-0000-" + strings.Repeat("a", 64), Stamp{1763892000000, 0, strings.Repeat("a", 64)}, true},
		{"empty", "", Stamp{}, false},
		{"no device", "1763892000000-0001-", Stamp{}, false},
		{"no device nor dash", "1763892000000-0001", Stamp{}, false},
		{"12 digits", "176389200000-0001-dev1", Stamp{}, false},
		{"14 digits", "17638920000000-0001-dev1", Stamp{}, false},
		{"3 hex", "1763892000000-001-dev1", Stamp{}, false},
		{"uppercase hex", "1763892000000-00FF-dev1", Stamp{}, false},
		{"letter in millis", "17638920000x0-0001-dev1", Stamp{}, false},
		{"sign in millis", "-763892000000-0001-dev1", Stamp{}, false},
		{"wrong separator", "1763892000000_0001_dev1", Stamp{}, false},
		{"space in device", "1763892000000-0001-dev 1", Stamp{}, false},
		{"colon in device", "1763892000000-0001-dev:1", Stamp{}, false},
		{"accent in device", "1763892000000-0001-posté", Stamp{}, false},
		{"device of 65", "1763892000000-0000-" + strings.Repeat("a", 65), Stamp{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			if Valid(tt.in) != tt.ok {
				t.Errorf("Valid(%q) = %v, want %v", tt.in, !tt.ok, tt.ok)
			}
			if !tt.ok {
				if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "horodatage") {
					t.Errorf("Parse(%q) error = %v, want EINVALID about the horodatage", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v, want %+v", tt.in, got, err, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q back", s, tt.in)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"empty equals empty", "", "", 0},
		{"empty sorts first", "", stamp(0, 0, "a"), -1},
		{"stamp after empty", stamp(0, 0, "a"), "", 1},
		{"equal", stamp(5, 1, devA), stamp(5, 1, devA), 0},
		{"millis first", stamp(5, 0xffff, devB), stamp(6, 0, devA), -1},
		{"then counter", stamp(5, 0x0f, devB), stamp(5, 0x10, devA), -1},
		{"hex counter past 9", stamp(5, 0x0a, devA), stamp(5, 0x09, devA), 1},
		{"device breaks ties", stamp(5, 1, devA), stamp(5, 1, devB), -1},
		{"shorter device prefix first", stamp(5, 1, "dev"), stamp(5, 1, "dev1"), -1},
		{"13 digits keep order across decades", stamp(999_999_999_999, 0, "a"), stamp(1_000_000_000_000, 0, "a"), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Compare(tt.a, tt.b); got != tt.want {
				t.Errorf("Compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := Compare(tt.b, tt.a); got != -tt.want {
				t.Errorf("Compare(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
}

func TestClock_Now(t *testing.T) {
	t.Parallel()
	const t0 = 1763892000000
	tests := []struct {
		name  string
		last  string
		walls []int64 // the wall clock before each call to Now
		want  []string
	}{
		{"follows the wall clock", "", []int64{t0, t0 + 1, t0 + 500},
			[]string{stamp(t0, 0, devA), stamp(t0+1, 0, devA), stamp(t0+500, 0, devA)}},
		{"counts within a frozen millisecond", "", []int64{t0, t0, t0},
			[]string{stamp(t0, 0, devA), stamp(t0, 1, devA), stamp(t0, 2, devA)}},
		{"a clock set back keeps counting", "", []int64{t0, t0 - 60_000, t0 - 1, t0 + 1},
			[]string{stamp(t0, 0, devA), stamp(t0, 1, devA), stamp(t0, 2, devA), stamp(t0+1, 0, devA)}},
		{"continues after the persisted last stamp", stamp(t0+10, 7, devB), []int64{t0, t0 + 10, t0 + 11},
			[]string{stamp(t0+10, 8, devA), stamp(t0+10, 9, devA), stamp(t0+11, 0, devA)}},
		{"ignores a malformed last stamp", "garbage", []int64{t0},
			[]string{stamp(t0, 0, devA)}},
		{"counter overflow borrows the next millisecond", stamp(t0, MaxCounter-1, devA), []int64{t0, t0, t0, t0 + 1, t0 + 2},
			[]string{stamp(t0, MaxCounter, devA), stamp(t0+1, 0, devA), stamp(t0+1, 1, devA), stamp(t0+1, 2, devA), stamp(t0+2, 0, devA)}},
		{"a wall clock before 1970 reads as 0", "", []int64{-5000, -5000},
			[]string{stamp(0, 0, devA), stamp(0, 1, devA)}},
		{"a wall clock past 2286 reads as the last millisecond", "", []int64{MaxMillis + 5},
			[]string{stamp(MaxMillis, 0, devA)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWall(0)
			c := New(devA, w.now, tt.last)
			var got []string
			for _, ms := range tt.walls {
				w.set(ms)
				got = append(got, c.Now())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("stamps = %q\nwant     %q", got, tt.want)
			}
			if c.Last() != got[len(got)-1] {
				t.Errorf("Last() = %q, want the last stamp %q", c.Last(), got[len(got)-1])
			}
		})
	}
}

func TestClock_Now_exhausted(t *testing.T) {
	t.Parallel()
	c := New(devA, newWall(0).now, stamp(MaxMillis, MaxCounter, devB))
	defer func() {
		if recover() == nil {
			t.Error("Now after the very last stamp did not panic")
		}
	}()
	c.Now()
}

func TestNew_invalidDevice(t *testing.T) {
	t.Parallel()
	for _, dev := range []string{"", "a b", strings.Repeat("x", 65)} {
		t.Run(fmt.Sprintf("%q", dev), func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Errorf("New(%q) did not panic", dev)
				}
			}()
			New(dev, time.Now, "")
		})
	}
}

func TestClock_Observe(t *testing.T) {
	t.Parallel()
	const t0 = 1763892000000
	day := MaxSkew.Milliseconds()
	tests := []struct {
		name     string
		last     string
		remote   string
		wantErr  string // a word of the French message, "" for no error
		wantLast string
		wantNext string // the next stamp at wall t0
	}{
		{"moves past a stamp ahead", stamp(t0, 0, devA), stamp(t0+5000, 3, devB), "",
			stamp(t0+5000, 3, devB), stamp(t0+5000, 4, devA)},
		{"same millisecond and counter, higher device", stamp(t0, 2, devA), stamp(t0, 2, devB), "",
			stamp(t0, 2, devB), stamp(t0, 3, devA)},
		{"an older stamp changes nothing", stamp(t0, 9, devA), stamp(t0-1, 0, devB), "",
			stamp(t0, 9, devA), stamp(t0, 10, devA)},
		{"a full counter borrows the next millisecond", "", stamp(t0+3, MaxCounter, devB), "",
			stamp(t0+3, MaxCounter, devB), stamp(t0+4, 0, devA)},
		{"exactly 24 hours ahead is followed", "", stamp(t0+day, 0, devB), "",
			stamp(t0+day, 0, devB), stamp(t0+day, 1, devA)},
		{"more than 24 hours ahead is refused", stamp(t0, 0, devA), stamp(t0+day+1, 0, devB), "24 heures",
			stamp(t0, 0, devA), stamp(t0, 1, devA)},
		{"malformed is refused", stamp(t0, 0, devA), "1763892000000-XYZ-dev", "invalide",
			stamp(t0, 0, devA), stamp(t0, 1, devA)},
		{"empty is refused", "", "", "invalide", "", stamp(t0, 0, devA)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New(devA, newWall(t0).now, tt.last)
			err := c.Observe(tt.remote)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Observe(%q) = %v", tt.remote, err)
			case tt.wantErr != "" && (domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tt.wantErr)):
				t.Fatalf("Observe(%q) = %v, want EINVALID saying %q", tt.remote, err, tt.wantErr)
			}
			if got := c.Last(); got != tt.wantLast {
				t.Errorf("Last() = %q, want %q", got, tt.wantLast)
			}
			if got := c.Now(); got != tt.wantNext {
				t.Errorf("Now() = %q, want %q", got, tt.wantNext)
			}
		})
	}
}

func TestClock_concurrent(t *testing.T) {
	t.Parallel()
	w := newWall(1763892000000)
	c := New(devA, w.now, "")
	const workers, each = 8, 500
	stamps := make([][]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for j := range each {
				if j%50 == 0 { // some move the wall clock, back and forth, while others stamp
					w.set(1763892000000 + int64(j%3-1)*10)
				}
				if j%7 == 0 {
					if err := c.Observe(stamp(1763892000000, uint16(j), devB)); err != nil {
						t.Error(err)
					}
				}
				stamps[i] = append(stamps[i], c.Now())
			}
		})
	}
	wg.Wait()
	all := map[string]bool{}
	for i, s := range stamps {
		if !slices.IsSorted(s) {
			t.Errorf("worker %d got stamps out of order", i)
		}
		for _, x := range s {
			if all[x] {
				t.Fatalf("stamp %q issued twice", x)
			}
			all[x] = true
		}
	}
}

func TestParse_wrapsAsDomainError(t *testing.T) {
	t.Parallel()
	err := New(devA, time.Now, "").Observe("nope")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EINVALID {
		t.Fatalf("Observe error = %v, want a wrapped *domain.Error EINVALID", err)
	}
}
