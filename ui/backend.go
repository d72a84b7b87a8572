// Package ui assembles AuditLight's Fyne screens: the main window with its
// tabs (the setup wizard from package setup, the live event feed from
// package events, the findings from package findings), the dashboard with
// its status light and activity chart, the tray menu builder and the
// presenter that pushes collector status into the widgets.
//
// The package talks to the rest of AuditLight only through Backend (and the
// Validator funcs), so it never imports the collector's network packages nor
// fyne.io/fyne/v2/app; its tests run headless with the Fyne test driver.
//
// Threading: the code is migrated to the fyne.Do model. Widgets are touched
// only from Fyne callbacks or from functions queued with Options.Gate (the
// app's uigate.Gate, which drops them once the app's quit has begun);
// goroutines started here never mutate a widget directly, and no code here
// calls fyne.Do itself (uigate.TestOnlyTheGateCallsFyneDo).
package ui

import (
	"context"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/walkthrough"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/setup"
)

// Backend is everything the GUI needs from the rest of AuditLight. Package
// app implements it. Every method must be safe to call from any goroutine.
type Backend interface {
	// Backend is the setup screens' part: the wizard draft, the connection
	// test, Connect and the secret's expiry.
	setup.Backend

	// RotateSecret replaces the stored client secret and its expiry date.
	RotateSecret(ctx context.Context, secret string, expiry time.Time) error
	// Disconnect stops collecting and forgets the tenant; keepData keeps the
	// local event store.
	Disconnect(ctx context.Context, keepData bool) error
	// Configured reports whether a tenant is set up.
	Configured() bool

	// SubscribeStatus delivers health snapshots with latest-value semantics
	// (a slow reader only misses intermediate values). The func unsubscribes.
	SubscribeStatus() (<-chan health.Status, func())
	// SubscribeEvents ticks with the number of newly stored rows each time the
	// collector commits events. The func unsubscribes.
	SubscribeEvents() (<-chan int, func())
	// Source is the Events tab's part: pages, counts and exports of the
	// stored events.
	events.Source
	// HourlyCounts returns records per hour and workload in [since, until).
	HourlyCounts(ctx context.Context, since, until time.Time) ([]HourCount, error)

	// Pause stops polling until Resume. Pause, Resume and RetryNow are
	// signals called on the Fyne goroutine: they must return at once.
	Pause()
	// Resume restarts polling after Pause.
	Resume()
	// RetryNow skips the current back-off and polls at once.
	RetryNow()

	// ReminderText (a cheap getter called on the Fyne goroutine; it must not
	// block) is the current secret-expiry reminder computed by app at
	// 30/14/7/3/1/0 days before expiry ("" when no reminder is due).
	ReminderText() string

	// Findings lists the detections' findings matching f, newest first
	// (nothing before the first connection).
	Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error)
	// Finding returns one finding with its evidence record ids.
	Finding(ctx context.Context, id int64) (finding.Finding, error)
	// SetFindingStatus changes a finding's status; allow (false positive
	// only) adds an allow-list entry ("this forwarding domain is fine").
	SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (finding.Finding, error)
	// FindingSummary counts new and open findings for the dashboard line
	// and the tray badge.
	FindingSummary(ctx context.Context) (finding.Summary, error)
	// Walkthrough is the persisted "Test my detections" state machine (nil
	// before the first connection).
	Walkthrough() *walkthrough.Machine
}

// HourCount is the number of records of one workload in one hour.
type HourCount struct {
	Hour     time.Time // start of the hour
	Workload string
	Count    int64
}
