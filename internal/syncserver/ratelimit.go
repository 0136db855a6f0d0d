package syncserver

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
)

// limiter keeps one token bucket per key (a device id, a client address).
type limiter struct {
	rate  rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	lastSweep time.Time
}

// sweepEvery is how often full buckets are forgotten: a full bucket is the same as a new one,
// so forgetting it changes nothing but the memory of a long-running server.
const sweepEvery = 10 * time.Minute

func newLimiter(r rate.Limit, burst int) *limiter {
	return &limiter{rate: r, burst: burst, buckets: map[string]*rate.Limiter{}}
}

// allow takes a token of key's bucket at now. When there is none it takes nothing and says how
// long until there is one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[key] = b
	}
	res := b.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Minute
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limit takes a token for key from l, or answers ERATELIMITED with a Retry-After header in
// whole seconds (rounded up: coming back a little late is fine, early is refused again).
func (s *Server) limit(w http.ResponseWriter, l *limiter, key string) error {
	ok, wait := l.allow(key, s.now())
	if ok {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return domain.Errorf(domain.ERATELIMITED, "Trop de requêtes : réessayez dans %d s.", secs)
}

// clientAddr is the address a request comes from: the connection's peer, or behind a trusted
// proxy the last X-Forwarded-For entry (the one the proxy wrote; earlier ones come from the
// client and prove nothing).
func (s *Server) clientAddr(r *http.Request) string {
	if s.opt.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
