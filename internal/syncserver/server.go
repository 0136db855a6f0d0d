// Package syncserver is Passerelle's central sync server: the HTTP API of the sync protocol
// (docs/sync-protocol.md, docs/openapi.yaml) for the desks, and the administration use cases the
// passerelle-server command calls (sites, enrolment codes, devices, the directory, grids and
// the curators' suggestions). It keeps nothing itself: a domain.ServerStore does, and every
// request is one or two of its transactions, so several server processes and the command line
// can share one store.
package syncserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

// The protocol's limits (docs/sync-protocol.md), the defaults of Options.
const (
	DefaultMaxBody          = 4 << 20 // bytes of a request body
	DefaultMaxMutations     = 500     // mutations in one push
	DefaultPullLimit        = 500     // records in a pull page when the desk does not say
	MaxPullLimit            = 1000    // records in a pull page at most
	DefaultEnrolmentTTL     = 24 * time.Hour
	DefaultDeviceRate       = rate.Limit(5) // requests per second and device, on average…
	DefaultDeviceBurst      = 60            // …after a burst: a desk back from a long absence pulls many pages at once
	DefaultEnrolRate        = rate.Limit(0.2)
	DefaultEnrolBurst       = 10 // an administrator enrols a room of desks from one address
	touchEvery              = time.Minute
	serverHLCDevice         = "serveur" // the device part of the HLCs the server writes (directory, grids)
	maxDeviceNameRunes      = 100
	maxSuggestionMessage    = 10000
	deviceTokenBytes        = 32
	enrolmentCodeRandomBits = 80
)

// Options tune a Server. Zero values take the protocol's defaults.
type Options struct {
	// Now returns the current time; nil means time.Now. Tests inject a fixed clock (enrolment
	// expiry, rate limits, last-seen times all read it).
	Now func() time.Time
	// Logger receives one line per request (request id, route, device id, status, duration —
	// never a token, a code or a body) and the details of internal errors. nil discards.
	Logger *slog.Logger

	// DeviceRate and DeviceBurst shape the token bucket of each device (push and pull).
	DeviceRate  rate.Limit
	DeviceBurst int
	// EnrolRate and EnrolBurst shape the token bucket of each client address on /enroll.
	EnrolRate  rate.Limit
	EnrolBurst int
	// TrustProxy takes the client address from the last X-Forwarded-For entry (the one the
	// reverse proxy added) rather than from the connection, which is the proxy's. Set it only
	// behind a proxy: anyone else could write the header.
	TrustProxy bool

	MaxBody      int64         // bytes of a request body (4 MiB)
	MaxMutations int           // mutations in one push (500)
	PullLimit    int           // default page size of a pull (500); a desk may ask 1–MaxPullLimit
	EnrolmentTTL time.Duration // lifetime of an enrolment code (24 h)
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DeviceRate == 0 {
		o.DeviceRate = DefaultDeviceRate
	}
	if o.DeviceBurst == 0 {
		o.DeviceBurst = DefaultDeviceBurst
	}
	if o.EnrolRate == 0 {
		o.EnrolRate = DefaultEnrolRate
	}
	if o.EnrolBurst == 0 {
		o.EnrolBurst = DefaultEnrolBurst
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxMutations <= 0 {
		o.MaxMutations = DefaultMaxMutations
	}
	if o.PullLimit <= 0 || o.PullLimit > MaxPullLimit {
		o.PullLimit = DefaultPullLimit
	}
	if o.EnrolmentTTL <= 0 {
		o.EnrolmentTTL = DefaultEnrolmentTTL
	}
	return o
}

// Server answers the desks and runs the administrators' use cases on one store. It is safe for
// concurrent use.
type Server struct {
	store   domain.ServerStore
	opt     Options
	log     *slog.Logger
	handler http.Handler

	// clock stamps what the server itself writes (directory records, grids) so that a desk's
	// per-field merge takes the newer edition.
	clockMu sync.Mutex
	clock   *hlc.Clock

	devices *limiter // per device id
	enrols  *limiter // per client address

	touchMu sync.Mutex
	touched map[string]time.Time // device id → when its last-seen time was last written
}

// New returns a server on store. The store stays the caller's to close, after the HTTP server
// has shut down.
func New(store domain.ServerStore, opt Options) *Server {
	opt = opt.withDefaults()
	s := &Server{
		store:   store,
		opt:     opt,
		log:     opt.Logger,
		clock:   hlc.New(serverHLCDevice, opt.Now, ""),
		devices: newLimiter(opt.DeviceRate, opt.DeviceBurst),
		enrols:  newLimiter(opt.EnrolRate, opt.EnrolBurst),
		touched: map[string]time.Time{},
	}
	s.handler = s.routes()
	return s
}

// Handler returns the HTTP handler of the protocol: GET /healthz, POST /api/v1/enroll, POST
// /api/v1/push and GET /api/v1/pull. Every error answers {"code", "message"} (French message)
// with the status of the protocol's table.
func (s *Server) Handler() http.Handler { return s.handler }

// now is the server's clock.
func (s *Server) now() time.Time { return s.opt.Now() }

// hlcNow returns a new server HLC after every HLC in seen, so that a new edition of a record
// sorts after the one it replaces even if the wall clock went back.
func (s *Server) hlcNow(seen ...string) string {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	for _, h := range seen {
		if h != "" {
			_ = s.clock.Observe(h) // a malformed stored HLC cannot move the clock: ignore it
		}
	}
	return s.clock.Now()
}

// requestInfo is what the log line of a request says, filled in as the request goes.
type requestInfo struct {
	id     string
	route  string
	device string
}

type ctxKey struct{}

func infoOf(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(ctxKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// newRequestID returns 8 random bytes in hex: enough to find a request in the logs.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func contextWith(ctx context.Context, ri *requestInfo) context.Context {
	return context.WithValue(ctx, ctxKey{}, ri)
}

// slogLevel: a failure of the server is an error; a refused request (bad token, rate limit) is
// the protocol working and stays at info level, or scanners would flood the log with warnings.
func slogLevel(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
