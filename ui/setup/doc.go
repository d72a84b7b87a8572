// Package setup holds AuditLight's guided setup: the seven-step wizard from
// prerequisites to a tested connection, the connection checks it shows (the
// dashboard's re-test shows the same panel), the rotate-secret form, and the
// input rules and expiry-date reading they share.
//
// It talks to the rest of AuditLight only through the small Backend
// interface (package ui's Backend embeds it; package app implements it),
// never over the network. Widgets are touched only from Fyne callbacks or
// from functions queued with Options.Gate (package uigate).
package setup

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/uigate"
)

// Backend is what the setup screens need from the rest of AuditLight.
// Every method must be safe to call from any goroutine.
type Backend interface {
	// LoadDraft returns the non-secret wizard fields saved so far, so that an
	// admin who closed the wizard mid-way resumes where they left off.
	LoadDraft() Draft
	// SaveDraft stores the non-secret wizard fields. It never receives a secret.
	SaveDraft(Draft) error
	// TestConnection runs the ordered connection checks, reporting each result
	// (Running, then its final status) through progress as it goes. An empty
	// secret means "use the stored one" (the dashboard's re-test).
	TestConnection(ctx context.Context, d Draft, secret string, progress func(CheckResult)) CheckReport
	// Connect saves the configuration, stores the secret in the OS keychain
	// and starts the collector.
	Connect(ctx context.Context, d Draft, secret string) error
	// SecretExpiry is the client secret's expiry (zero when unknown). It is a
	// cheap getter called on the Fyne goroutine; it must not block.
	SecretExpiry() time.Time
}

// Draft holds the non-secret fields of the setup wizard.
type Draft struct {
	Tenant       string    // directory (tenant) ID or *.onmicrosoft.com domain
	ClientID     string    // application (client) ID
	Cloud        string    // "commercial" (default), "gcc", "gcchigh", "dod"
	SecretExpiry time.Time // expiry date shown by Entra for the client secret
	Step         int       // wizard step index the admin was on (0-based)
	// AuditPending: the admin chose "Save and keep trying" because audit
	// logging was just switched on; Connect saves although the test failed
	// on that alone, and the light waits blue for up to 72 h.
	AuditPending bool `json:",omitempty"`
}

// Options are the injectable dependencies of the setup screens.
type Options struct {
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Logger receives diagnostics; nil discards them. Secrets are never logged.
	Logger *slog.Logger
	// Gate hands widget work from goroutines to the Fyne goroutine and drops
	// it once the app's quit has begun (package uigate). Required: the app
	// gives its one gate; tests give a queue's (uitest.Queue.Gate).
	Gate *uigate.Gate
	// DateOrder reads numeric dates such as 05/03/2027; DateOrderUnknown
	// (the zero value) means the OS locale's order.
	DateOrder DateOrder
}

var errRequired = errors.New("required")

func (o Options) now() time.Time { return uikit.Now(o.Clock) }

func (o Options) do(f func()) { o.Gate.Do(f) }

func (o Options) logger() *slog.Logger { return uikit.Logger(o.Logger) }

// dateOrder is the order numeric expiry dates are read in.
func (o Options) dateOrder() DateOrder {
	if o.DateOrder != DateOrderUnknown {
		return o.DateOrder
	}
	return LocaleDateOrder(lang.SystemLocale())
}
