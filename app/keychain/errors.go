package keychain

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error returned by a Store in this package wraps at
// most one of these (ErrLocked also wraps ErrUnavailable); test with
// errors.Is.
var (
	// ErrNotFound means no secret is stored under the account.
	ErrNotFound = errors.New("no secret is stored in the keychain for this account")
	// ErrUnavailable means the OS keychain cannot be used at all right now
	// (no Secret Service on Linux, no logon session on Windows, locked, ...).
	ErrUnavailable = errors.New("the OS keychain is not available")
	// ErrLocked means the keychain exists but is locked and was not
	// unlocked. Errors wrapping ErrLocked also wrap ErrUnavailable.
	ErrLocked = errors.New("the OS keychain is locked")
	// ErrTooLarge means the secret exceeds the platform's size limit.
	ErrTooLarge = errors.New("the secret is too large for the OS keychain")
)

// Error is a keychain failure explained for the user. Its message names the
// operation, the platform keychain and what to do; it never contains the
// secret.
type Error struct {
	// Op is what was attempted: "reading", "storing" or "deleting".
	Op string
	// Keychain names the platform store, e.g. "macOS Keychain".
	Keychain string
	// Kind is one of ErrNotFound, ErrUnavailable, ErrLocked, ErrTooLarge,
	// or nil for an unclassified failure.
	Kind error
	// Hint tells the user what to do.
	Hint string
	// Detail is the underlying error's message (with any secret removed).
	Detail string

	cause error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Op == "storing" {
		b.WriteString(" the secret in the ")
	} else {
		b.WriteString(" the secret from the ")
	}
	b.WriteString(e.Keychain)
	b.WriteString(" failed: ")
	b.WriteString(e.Hint)
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap exposes the sentinel kind (and ErrUnavailable for ErrLocked) and
// the underlying cause, so errors.Is works for both.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
		if e.Kind == ErrLocked {
			errs = append(errs, ErrUnavailable)
		}
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}
