package syncclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// Limits of the client side of the protocol.
const (
	// MaxMutations and MaxBody are the protocol's limits on a push (docs/sync-protocol.md).
	MaxMutations = 500
	MaxBody      = 4 << 20
	// PullPageSize is the page size the desk asks for: the protocol's maximum, so that a first
	// sync of 100,000 services is 100 requests, not 200.
	PullPageSize = 1000
	// maxResponse bounds what the desk reads of one answer: a page of 1,000 directory records
	// is a few MiB; a server (or something in its place) sending more is not read to the end.
	maxResponse = 64 << 20
	// DefaultTimeout bounds one request when the caller gives no HTTP client.
	DefaultTimeout = 60 * time.Second
)

// Rate limits: how long and how often one request waits when the server answers 429.
const (
	maxRateWaits = 5               // waits for one request before the run gives up
	maxRateWait  = 2 * time.Minute // a longer Retry-After ends the run; the runner comes back then
	defaultWait  = time.Second     // a 429 without a readable Retry-After
)

// transport sends the protocol's requests to one server.
type transport struct {
	hc    *http.Client
	base  *url.URL
	token string // "" for the enrolment
	sleep func(ctx context.Context, d time.Duration) error
}

// newHTTPClient returns the client the desk sends requests with: hc's transport and timeout,
// but never following a redirect. A sync server does not redirect its API; whatever does
// (a captive portal, an address that moved) must not receive the device token nor turn a push
// into a GET.
func newHTTPClient(hc *http.Client) *http.Client {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// errorBody is the protocol's error answer.
type errorBody struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Expected *int64 `json:"expected"`
}

// do sends one request (body nil for none) and decodes a 200 answer into out. A 429 is waited
// out and sent again, at most maxRateWaits times and maxRateWait each. Any other answer is an
// error: the server's own {code, message} when it gave one, EUNAVAILABLE for the network, a
// failing server or an answer that is not the protocol's.
func (t *transport) do(ctx context.Context, method, path string, query url.Values, body []byte, out any) error {
	u := t.base.JoinPath(path)
	u.RawQuery = query.Encode()
	for waits := 0; ; waits++ {
		status, hdr, b, err := t.send(ctx, method, u.String(), body)
		if err != nil {
			return err
		}
		if status == http.StatusTooManyRequests {
			wait := retryAfter(hdr.Get("Retry-After"), time.Now())
			if waits >= maxRateWaits || wait > maxRateWait {
				f := fail(domain.ERATELIMITED, nil, "Le serveur de synchronisation est très sollicité : nouvel essai dans %s.", frenchDuration(wait))
				f.retryAfter = wait
				return f
			}
			if err := t.sleep(ctx, wait); err != nil {
				return cancelled(err)
			}
			continue
		}
		return decodeAnswer(status, hdr, b, out)
	}
}

// send sends one request and reads its whole answer.
func (t *transport) send(ctx context.Context, method, u string, body []byte) (int, http.Header, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("new request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, nil, nil, cancelled(ctx.Err())
		}
		return 0, nil, nil, unreachable(t.base, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		if ctx.Err() != nil {
			return 0, nil, nil, cancelled(ctx.Err())
		}
		return 0, nil, nil, fail(EUNAVAILABLE, err, "La réponse du serveur de synchronisation a été coupée avant la fin (réseau instable ?) : rien n’est perdu, la synchronisation reprendra.")
	}
	if len(b) > maxResponse {
		return 0, nil, nil, fail(EUNAVAILABLE, nil, "La réponse du serveur de synchronisation est trop longue (plus de %d Mio) : ce n’est pas une réponse de Passerelle.", maxResponse>>20)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// unreachable is the error of a request that got no answer.
func unreachable(base *url.URL, err error) error {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fail(EUNAVAILABLE, err, "Serveur de synchronisation introuvable (%s) : vérifiez son adresse et la connexion au réseau.", base.Host)
	}
	var f *failure
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		f = fail(EUNAVAILABLE, err, "Le serveur de synchronisation (%s) ne répond pas à temps : nouvel essai plus tard.", base.Host)
	} else {
		f = fail(EUNAVAILABLE, err, "Le serveur de synchronisation (%s) ne répond pas : vérifiez la connexion au réseau. Les modifications attendent sur ce poste.", base.Host)
	}
	f.noAnswer = true
	return f
}

// cancelled is the error of a request stopped by its caller.
func cancelled(err error) error {
	return &failure{err: domain.Errorf(EUNAVAILABLE, msgCancelled), cause: err}
}

// decodeAnswer reads an answer: a 200 into out, anything else as an error.
func decodeAnswer(status int, hdr http.Header, b []byte, out any) error {
	isJSON := false
	if mt, _, err := mime.ParseMediaType(hdr.Get("Content-Type")); err == nil && mt == "application/json" {
		isJSON = true
	}
	switch {
	case status == http.StatusOK && isJSON:
		if err := json.Unmarshal(b, out); err != nil {
			return fail(EUNAVAILABLE, err, "La réponse du serveur de synchronisation est illisible (coupée ou mal formée) : rien n’est perdu, la synchronisation reprendra.")
		}
		return nil
	case status >= 300 && status < 400:
		f := fail(EUNAVAILABLE, nil, "Le serveur a répondu par une redirection (HTTP %d) : ce n’est pas un serveur Passerelle à cette adresse, ou le réseau demande une connexion (portail Wi-Fi).", status)
		f.foreign = true
		return f
	case status >= 500:
		return fail(EUNAVAILABLE, nil, "Le serveur de synchronisation a rencontré une erreur (HTTP %d) : nouvel essai plus tard. Les modifications attendent sur ce poste.", status)
	}
	var eb errorBody
	if !isJSON || json.Unmarshal(b, &eb) != nil || eb.Code == "" || eb.Message == "" {
		f := fail(EUNAVAILABLE, fmt.Errorf("HTTP %d, Content-Type %q", status, hdr.Get("Content-Type")),
			"Le serveur ne répond pas comme un serveur de synchronisation Passerelle (HTTP %d) : vérifiez son adresse, ou le réseau demande une connexion (portail Wi-Fi).", status)
		f.foreign = true
		return f
	}
	f := &failure{err: &domain.Error{Code: eb.Code, Message: eb.Message}, cause: fmt.Errorf("HTTP %d", status)}
	if eb.Expected != nil {
		f.expected = *eb.Expected
	}
	return f
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. Missing or unreadable, it is
// defaultWait; it is never below zero.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return defaultWait
	}
	if secs, err := strconv.Atoi(h); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return defaultWait
}

// frenchDuration says a wait the way a worker reads it: « 45 s », « 3 min », « 2 h 5 min ».
func frenchDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int((d+time.Second-1)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int((d+time.Minute-1)/time.Minute))
	}
	h, m := int(d/time.Hour), int((d%time.Hour+time.Minute-1)/time.Minute)
	if m == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errorCodeOf returns the protocol code of an error answer, "" for anything else.
func errorCodeOf(err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.err.Code
	}
	return ""
}
