// Package domain holds Passerelle's types, the interfaces its technology packages implement, and
// its errors. It imports nothing internal.
package domain

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The frontend receives them as {code, message}; the server
// maps them to HTTP status in one table.
const (
	EINVALID      = "invalid"      // the input is wrong; Message says why, in French
	ENOTFOUND     = "not_found"    // the thing asked for does not exist (or was deleted)
	ECONFLICT     = "conflict"     // the change clashes with the current state
	EUNAUTHORIZED = "unauthorized" // missing or refused credentials
	EINTERNAL     = "internal"     // a bug or an environment failure; details are in the logs

	// Sync protocol codes (docs/sync-protocol.md).
	EREVOKED     = "revoked"      // the device was revoked
	EFORBIDDEN   = "forbidden"    // valid credentials, not for this
	EGAP         = "gap"          // a gap in a device's mutation ids
	ERESYNC      = "resync"       // the cursor is too old: pull again from 0
	ETOOLARGE    = "too_large"    // the request body is over the limit
	ERATELIMITED = "rate_limited" // too many requests
	EUNAVAILABLE = "unavailable"  // the server cannot be reached, or failed: try again later
)

// Error is a domain error: a machine-readable code and a message a user can read (French).
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds a domain error with a formatted French message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first domain error in err's chain, or a
// generic French message for any other error (whose details belong in the logs, not on screen).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Une erreur interne est survenue. Le détail a été enregistré dans le journal."
}
