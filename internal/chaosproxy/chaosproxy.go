// Package chaosproxy is a loopback HTTP proxy that misbehaves on purpose, for the sync tests: it
// drops requests, sends them twice, delays them, and cuts requests and responses in the middle of
// their bodies, so that the tests see what a train station's Wi-Fi does to a desk's sync. It
// speaks raw HTTP/1.1 on its own connections to the target, so that a cut request really reaches
// the server half-sent and a cut response really reaches the client half-read.
//
// It is a test tool: nothing in the application imports it.
package chaosproxy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Fault is what the proxy does to one request.
type Fault int

const (
	// Pass forwards the request and its response untouched.
	Pass Fault = iota
	// Drop closes the client's connection without sending anything to the server.
	Drop
	// CutRequest sends the request's head and half its body to the server, then closes: the
	// server reads a truncated body. The client's connection is closed.
	CutRequest
	// Duplicate sends the request twice, one after the other; the client gets the second answer.
	Duplicate
	// Delay waits before forwarding.
	Delay
	// CutResponse forwards the request (the server does the work), then gives the client the
	// response's head and half its body and closes: the client never learns the outcome.
	CutResponse
	// LoseResponse forwards the request, then closes the client's connection without a byte.
	LoseResponse
	numFaults
)

var faultNames = [...]string{"pass", "drop", "cut-request", "duplicate", "delay", "cut-response", "lose-response"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "fault(" + strconv.Itoa(int(f)) + ")"
}

// Proxy forwards HTTP requests from 127.0.0.1 to a target, with faults. It is safe for
// concurrent use.
type Proxy struct {
	ln  net.Listener
	srv *http.Server

	mu       sync.Mutex
	target   string // host:port
	rng      *rand.Rand
	rate     float64 // chance that a request meets a fault other than Pass
	maxDelay time.Duration
	forced   []Fault // faults of the next requests, before any random draw

	counts [numFaults]atomic.Int64
}

// Start listens on a free loopback port and forwards to target (host:port). seed makes the
// faults reproducible for one sequence of requests; rate is the chance of a fault per request
// (0: a plain proxy).
func Start(target string, seed uint64, rate float64) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("chaos proxy: %w", err)
	}
	p := &Proxy{ln: ln, target: target, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		rate: rate, maxDelay: 50 * time.Millisecond}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// URL returns the proxy's base URL (http://127.0.0.1:port).
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// SetTarget points the proxy at another server (after a restart on another port).
func (p *Proxy) SetTarget(target string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = target
}

// SetRate changes the chance of a fault: 0 heals the network.
func (p *Proxy) SetRate(rate float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rate = rate
}

// Force makes the next requests meet these faults, in order, whatever the rate.
func (p *Proxy) Force(faults ...Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forced = append(p.forced, faults...)
}

// Counts returns how many requests met each fault, by name.
func (p *Proxy) Counts() map[string]int64 {
	out := map[string]int64{}
	for f := Fault(0); f < numFaults; f++ {
		out[f.String()] = p.counts[f].Load()
	}
	return out
}

// Close stops the proxy.
func (p *Proxy) Close() error { return p.srv.Close() }

// pick draws the fault of a request, the target and a delay.
func (p *Proxy) pick() (Fault, string, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := Pass
	if len(p.forced) > 0 {
		f, p.forced = p.forced[0], p.forced[1:]
	} else if p.rate > 0 && p.rng.Float64() < p.rate {
		f = Fault(1 + p.rng.IntN(int(numFaults)-1))
	}
	d := time.Duration(0)
	if f == Delay {
		d = time.Duration(p.rng.Int64N(int64(p.maxDelay)))
	}
	return f, p.target, d
}

// ServeHTTP forwards one request with its fault.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		hijackClose(w)
		return
	}
	fault, target, delay := p.pick()
	p.counts[fault].Add(1)
	raw := rawRequest(r, body)
	switch fault {
	case Drop:
		hijackClose(w)
		return
	case CutRequest:
		cut := len(raw) - len(body)/2
		if len(body) == 0 {
			cut = len(raw) / 2 // no body: cut the head
		}
		sendPartial(target, raw[:cut])
		hijackClose(w)
		return
	case Delay:
		time.Sleep(delay)
	case Duplicate:
		if resp, err := roundTrip(target, raw); err == nil {
			_ = resp
		}
	}
	resp, err := roundTrip(target, raw)
	if err != nil {
		hijackClose(w) // the server is down: the client sees a broken connection, as it would
		return
	}
	switch fault {
	case LoseResponse:
		hijackClose(w)
	case CutResponse:
		writePartial(w, resp)
	default:
		for k, vs := range resp.header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.body)
	}
}

// response is a whole response read from the target.
type response struct {
	status int
	header http.Header
	body   []byte
}

// rawRequest writes the request as HTTP/1.1 bytes, closing the connection after it.
func rawRequest(r *http.Request, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", r.Method, r.URL.RequestURI(), r.Host)
	for k, vs := range r.Header {
		if k == "Connection" || k == "Content-Length" || k == "Transfer-Encoding" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}

// roundTrip sends raw to target on a new connection and reads the whole response.
func roundTrip(target string, raw []byte) (response, error) {
	conn, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		return response{}, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := conn.Write(raw); err != nil {
		return response{}, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// sendPartial writes part of a request to target and closes the connection.
func sendPartial(target string, part []byte) {
	conn, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		return
	}
	_, _ = conn.Write(part)
	// Give the server the time to start reading before the close, or it might never see the
	// half-sent request at all (which would only be a Drop).
	time.Sleep(5 * time.Millisecond)
	_ = conn.Close()
}

// hijackClose closes the client's connection without an answer.
func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("chaosproxy: the response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// writePartial gives the client the response's head with its full Content-Length, half its
// body, then closes.
func writePartial(w http.ResponseWriter, resp response) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("chaosproxy: the response writer cannot be hijacked")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", resp.status, http.StatusText(resp.status))
	for k, vs := range resp.header {
		if k == "Content-Length" || k == "Connection" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(buf, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(resp.body))
	_, _ = buf.Write(resp.body[:len(resp.body)/2])
	_ = buf.Flush()
}
