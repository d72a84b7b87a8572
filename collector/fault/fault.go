// Package fault classifies the errors AuditLight meets when it talks to
// Microsoft Entra ID, the Office 365 Management Activity API and Microsoft
// Graph into a small set of kinds. The collector decides how to retry from the
// kind, the health model decides the status colour, and the test connection
// decides which setup step to point at.
package fault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Kind is the class of a failure. The zero value is Unknown.
type Kind int

// The kinds of failure. Keep the list short: every kind has a plain-English
// explanation and a fix in the health model.
const (
	Unknown              Kind = iota
	InvalidSecret             // AADSTS7000215 (also: the Secret ID was pasted instead of the value), 7000218
	ExpiredSecret             // AADSTS7000222
	AppNotFound               // AADSTS700016, 700011, 7000112 (disabled)
	TenantNotFound            // AADSTS90002, 900023, 90038, AF20011
	PermissionMissing         // AF10001, roles missing from the token, Graph Authorization_RequestDenied
	AuditOff                  // "DataServiceException: Tenant … does not exist", AF20012
	SubscriptionDisabled      // AF20023
	NoSubscription            // AF20022
	Throttled                 // AF429, HTTP 429, the 15-minute start cool-down
	Transient                 // 5xx, timeouts, truncated or malformed bodies, AF50000/AF50005/AF50006
	Window                    // AF20030, AF20055, AF20031: the listing window broke a rule
	ContentExpired            // AF20051: the blob is older than 7 days and gone
	ContentMissing            // AF20050, 404 on a blob
	Config                    // AF20010, AF20013, bad input, wrong cloud, TLS trust problems
	Canceled                  // the caller's context ended
	SecretUnavailable         // the OS keychain cannot be read (locked, no Secret Service): retried with backoff
	DiskFull                  // the store cannot write: the disk is full (collection resumes by itself once there is space)
)

var kindNames = [...]string{
	Unknown:              "unknown",
	InvalidSecret:        "invalid-secret",
	ExpiredSecret:        "expired-secret",
	AppNotFound:          "app-not-found",
	TenantNotFound:       "tenant-not-found",
	PermissionMissing:    "permission-missing",
	AuditOff:             "audit-off",
	SubscriptionDisabled: "subscription-disabled",
	NoSubscription:       "no-subscription",
	Throttled:            "throttled",
	Transient:            "transient",
	Window:               "window",
	ContentExpired:       "content-expired",
	ContentMissing:       "content-missing",
	Config:               "config",
	Canceled:             "canceled",
	SecretUnavailable:    "secret-unavailable",
	DiskFull:             "disk-full",
}

// String returns a stable, lower-case name for the kind (used in logs and JSON).
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("kind(%d)", int(k))
	}
	return kindNames[k]
}

// Retryable reports whether waiting and trying again can succeed without the
// admin changing anything.
func (k Kind) Retryable() bool {
	return k == Throttled || k == Transient || k == Unknown
}

// NeedsAdmin reports whether only the admin can fix the failure (wrong secret,
// missing permission, audit logging off, ...). Such failures turn the light red.
func (k Kind) NeedsAdmin() bool {
	switch k {
	case InvalidSecret, ExpiredSecret, AppNotFound, TenantNotFound, PermissionMissing,
		AuditOff, SubscriptionDisabled, Config, SecretUnavailable, DiskFull:
		return true
	}
	return false
}

// Error is a classified failure. Code is the service's own code when there is
// one ("AADSTS7000215", "AF20023", "HTTP 503"); Message is the service's text,
// never a secret.
type Error struct {
	Kind       Kind
	Op         string        // what we were doing, e.g. "listing content"
	Code       string        // service error code
	Status     int           // HTTP status, 0 when there was no response
	Message    string        // service message (trimmed)
	RetryAfter time.Duration // from a Retry-After header or the message, 0 if none
	Err        error         // underlying error, if any
}

// Error implements error.
func (e *Error) Error() string {
	msg := e.Kind.String()
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Code != "" {
		msg += " (" + e.Code + ")"
	}
	if e.Message != "" {
		msg += ": " + e.Message
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// New returns a classified error.
func New(kind Kind, op, code, message string) *Error {
	return &Error{Kind: kind, Op: op, Code: code, Message: message}
}

// Wrap classifies err as kind for operation op.
func Wrap(kind Kind, op string, err error) *Error {
	return &Error{Kind: kind, Op: op, Err: err}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// KindOf returns the kind of err: the kind of a wrapped *Error, Canceled for a
// cancelled context, Transient for timeouts and network errors, Unknown
// otherwise. KindOf(nil) is Unknown.
func KindOf(err error) Kind {
	if err == nil {
		return Unknown
	}
	if fe, ok := As(err); ok {
		return fe.Kind
	}
	if errors.Is(err, context.Canceled) {
		return Canceled
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Transient
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return Transient
	}
	return Unknown
}

// RetryAfterOf returns the server-requested wait carried by err, or 0.
func RetryAfterOf(err error) time.Duration {
	if fe, ok := As(err); ok {
		return fe.RetryAfter
	}
	return 0
}

// CodeOf returns the service code carried by err, or "".
func CodeOf(err error) string {
	if fe, ok := As(err); ok {
		return fe.Code
	}
	return ""
}
