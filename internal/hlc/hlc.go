// Package hlc is the hybrid logical clock of the sync protocol (docs/sync-protocol.md): every
// write of a synced field carries a stamp that sorts, as plain text, after every stamp its device
// had issued or seen when it wrote, so that "last writer wins" means the same thing on every desk
// and on the server.
//
// A stamp is "<unix-ms, 13 digits>-<counter, 4 lowercase hex digits>-<device id>". Both numbers
// have a fixed width, so comparing two stamps as text compares (milliseconds, counter, device)
// in that order: the clock follows the wall clock while it moves forward, counts within a
// millisecond, and the device id breaks ties between desks.
package hlc

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

const (
	// MaxMillis is the largest millisecond a stamp can hold (13 digits: the year 2286).
	MaxMillis = 9_999_999_999_999
	// MaxCounter is the largest counter of a stamp (4 hex digits).
	MaxCounter = 0xffff
	// MaxDeviceLen is the longest device id a stamp accepts (a UUID has 36 characters).
	MaxDeviceLen = 64
	// MaxSkew is how far ahead of the wall clock a received stamp may be. Further, it is refused:
	// following it would drag every later write of this desk into the future, and a desk whose
	// clock is wrong by a day or more must be fixed, not obeyed.
	MaxSkew = 24 * time.Hour
)

// headLen is the length of "<13 digits>-<4 hex>-": a stamp's device starts there.
const headLen = 13 + 1 + 4 + 1

// Stamp is a parsed timestamp.
type Stamp struct {
	Millis  int64  // unix milliseconds, 0..MaxMillis
	Counter uint16 // writes within the same millisecond
	Device  string // the device that issued it
}

// String formats the stamp ("1763892000000-0001-<device>").
func (s Stamp) String() string {
	b := make([]byte, 0, headLen+len(s.Device))
	b = appendPadded(b, uint64(s.Millis), 10, 13)
	b = append(b, '-')
	b = appendPadded(b, uint64(s.Counter), 16, 4)
	b = append(b, '-')
	return string(append(b, s.Device...))
}

// appendPadded appends n in base with leading zeros to width digits (lowercase hex).
func appendPadded(b []byte, n uint64, base, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendUint(tmp[:0], n, base)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// Parse reads a stamp. The device is everything after the second '-' (device ids are UUIDs,
// which hold dashes of their own). It returns an EINVALID domain error for a malformed stamp.
func Parse(s string) (Stamp, error) {
	st, ok := parse(s)
	if !ok {
		return Stamp{}, domain.Errorf(domain.EINVALID, "horodatage de synchronisation invalide : « %s » (attendu « millisecondes-compteur-poste »)", truncate(s))
	}
	return st, nil
}

func parse(s string) (Stamp, bool) {
	if len(s) <= headLen || len(s) > headLen+MaxDeviceLen || s[13] != '-' || s[18] != '-' {
		return Stamp{}, false
	}
	var st Stamp
	for i := 0; i < 13; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return Stamp{}, false
		}
		st.Millis = st.Millis*10 + int64(c-'0')
	}
	for i := 14; i < 18; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			st.Counter = st.Counter<<4 | uint16(c-'0')
		case c >= 'a' && c <= 'f': // lowercase only: "A" sorts before "a", mixing would break text order
			st.Counter = st.Counter<<4 | uint16(c-'a'+10)
		default:
			return Stamp{}, false
		}
	}
	st.Device = s[headLen:]
	if !ValidDevice(st.Device) {
		return Stamp{}, false
	}
	return st, true
}

// truncate keeps a malformed stamp short enough for a message.
func truncate(s string) string {
	const max = 80
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// Valid reports whether s is a well-formed stamp.
func Valid(s string) bool {
	_, ok := parse(s)
	return ok
}

// ValidDevice reports whether id can be the device of a stamp: 1 to MaxDeviceLen letters,
// digits, '-', '_' or '.' (a UUID, in practice). Nothing that needs escaping in JSON, a URL or
// a log line.
func ValidDevice(id string) bool {
	if id == "" || len(id) > MaxDeviceLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Compare orders two stamps: -1, 0 or +1 as a sorts before, equal to or after b. The empty
// string (no stamp yet) sorts before every stamp. On valid stamps the text order is the order of
// (milliseconds, counter, device), which is why it is a plain byte comparison.
func Compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Clock issues the stamps of one device. It is safe for concurrent use.
type Clock struct {
	device string
	now    func() time.Time

	mu   sync.Mutex
	last Stamp  // the latest stamp issued or observed (zero: none)
	text string // last as text, "" when none
}

// New returns the clock of a device. now reads the wall clock (time.Now outside tests). last is
// the latest stamp the desk issued or saw, as Last returned it and the caller persisted it, ""
// the first time; a malformed last is ignored (the clock then starts from the wall clock). New
// panics when device is not a valid device id (ValidDevice): the stamps it would issue could not
// be read back.
func New(device string, now func() time.Time, last string) *Clock {
	if !ValidDevice(device) {
		panic(fmt.Sprintf("hlc: invalid device id %q", device))
	}
	c := &Clock{device: device, now: now}
	if st, ok := parse(last); ok {
		c.last, c.text = st, last
	}
	return c
}

// wall reads the wall clock in milliseconds, within what a stamp can hold.
func (c *Clock) wall() int64 {
	return min(max(c.now().UnixMilli(), 0), MaxMillis)
}

// Now issues a new stamp, strictly greater than every stamp this clock issued or observed. It
// follows the wall clock when it is ahead, and counts within the latest millisecond otherwise
// (a clock set back or frozen does not break the order). When the counter is full (65,536
// stamps in one millisecond), it borrows the next millisecond. It panics only when no stamp is
// left at all (the last counter of the last millisecond of the year 2286).
func (c *Clock) Now() string {
	wall := c.wall()
	c.mu.Lock()
	defer c.mu.Unlock()
	next := Stamp{Device: c.device}
	switch {
	case c.text == "" || wall > c.last.Millis:
		next.Millis = wall
	case c.last.Counter < MaxCounter:
		next.Millis, next.Counter = c.last.Millis, c.last.Counter+1
	case c.last.Millis < MaxMillis:
		next.Millis = c.last.Millis + 1
	default:
		panic("hlc: no stamp left after " + c.text)
	}
	c.last, c.text = next, next.String()
	return c.text
}

// Observe moves the clock past a stamp received from elsewhere, so that the next stamp this
// desk issues sorts after it. It returns an EINVALID domain error, and leaves the clock as it
// was, for a malformed stamp or one more than MaxSkew ahead of the wall clock.
func (c *Clock) Observe(remote string) error {
	st, err := Parse(remote)
	if err != nil {
		return fmt.Errorf("observe stamp: %w", err)
	}
	if wall := c.wall(); st.Millis > wall+MaxSkew.Milliseconds() {
		return domain.Errorf(domain.EINVALID, "horodatage « %s » refusé : il est en avance de plus de 24 heures sur l’horloge de ce poste (%s). Vérifiez la date et l’heure des postes.",
			truncate(remote), time.UnixMilli(wall).UTC().Format("02/01/2006 15:04 UTC"))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if remote > c.text {
		c.last, c.text = st, remote
	}
	return nil
}

// Last returns the latest stamp this clock issued or observed, "" when none: the caller persists
// it and gives it back to New at the next start.
func (c *Clock) Last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text
}
