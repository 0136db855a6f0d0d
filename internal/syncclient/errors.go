package syncclient

import (
	"errors"
	"fmt"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// EUNAVAILABLE is the code of a sync that could not reach the server or did not get a proper
// answer from it: no network, the server down or failing (5xx), a response cut mid-body, a
// captive portal answering in its place. Nothing is lost: the next attempt starts again where
// this one stopped. It is domain.EUNAVAILABLE.
const EUNAVAILABLE = domain.EUNAVAILABLE

// failure is a sync error: what the worker reads (a domain error with its code and French
// message) and, for the logs, the technical cause. It never holds the device token: requests
// carry it only in a header, and neither url.Error nor our own messages print headers.
type failure struct {
	err        *domain.Error
	cause      error
	retryAfter time.Duration // rate_limited: when to come back
	expected   int64         // gap: the mutation id the server expects
	foreign    bool          // the answer is not the protocol's: not a Passerelle server there
	noAnswer   bool          // the server was found but did not answer (refused, timed out)
}

func (f *failure) Error() string {
	if f.cause != nil {
		return f.err.Error() + " (" + f.cause.Error() + ")"
	}
	return f.err.Error()
}

func (f *failure) Unwrap() []error {
	if f.cause != nil {
		return []error{f.err, f.cause}
	}
	return []error{f.err}
}

func fail(code string, cause error, format string, args ...any) *failure {
	return &failure{err: domain.Errorf(code, format, args...), cause: cause}
}

// foreign reports whether err is an answer that is not the protocol's (a redirect, a page of
// HTML): something answers at that address, but not a Passerelle server.
func foreign(err error) bool {
	var f *failure
	return errors.As(err, &f) && f.foreign
}

// noAnswer reports whether err is a request the server did not answer.
func noAnswer(err error) bool {
	var f *failure
	return errors.As(err, &f) && f.noAnswer
}

// RetryAfter returns how long the server asked to wait before the next request, when err is a
// rate-limited sync (code rate_limited) that gave up waiting within one run.
func RetryAfter(err error) (time.Duration, bool) {
	var f *failure
	if errors.As(err, &f) && f.retryAfter > 0 {
		return f.retryAfter, true
	}
	return 0, false
}

// Permanent reports whether a sync error will not go away by trying again: the device is
// revoked, unknown to the server or not enrolled at all (codes revoked, unauthorized,
// forbidden). The background runner stops trying until the desk is enrolled again or someone
// asks for a sync.
func Permanent(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.EREVOKED, domain.EUNAUTHORIZED, domain.EFORBIDDEN:
		return true
	}
	return false
}

// Messages the worker reads, gathered so that the tests and the command line say the same.
const (
	msgNotEnrolled = "Ce poste n’est inscrit auprès d’aucun serveur de synchronisation : inscrivez-le dans Paramètres → Synchronisation (adresse du serveur et code d’inscription donné par l’administrateur)."
	msgRevoked     = "Ce poste a été retiré du serveur de synchronisation par l’administrateur : la synchronisation est arrêtée. Pour la reprendre, inscrivez-le de nouveau avec un nouveau code d’inscription (Paramètres → Synchronisation). Les modifications faites sur ce poste sont gardées."
	msgCancelled   = "Synchronisation interrompue."
)

// errNotEnrolled is the error of a sync on a desk that was never enrolled.
func errNotEnrolled() error { return domain.Errorf(domain.EUNAUTHORIZED, msgNotEnrolled) }

// errRevoked is the error of a sync on a revoked desk.
func errRevoked() error { return domain.Errorf(domain.EREVOKED, msgRevoked) }

// wrapStore wraps an error of the desk's own store: a failure of the desk, not of the network.
func wrapStore(op string, err error) error {
	return fmt.Errorf("%s: %w", op, err)
}
