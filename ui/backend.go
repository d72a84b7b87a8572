// Package ui assembles AuditLight's Fyne screens: the main window with its
// tabs (the setup wizard from package setup, the findings from package
// findings), the dashboard with its status light and activity chart, the live event
// feed, the tray menu builder and the presenter that pushes collector status
// into the widgets.
//
// The package talks to the rest of AuditLight only through Backend (and the
// Validator funcs), so it never imports the collector's network packages nor
// fyne.io/fyne/v2/app; its tests run headless with the Fyne test driver.
//
// Threading: the code is migrated to the fyne.Do model. Widgets are touched
// only from Fyne callbacks or from functions queued with Options.Do (fyne.Do
// by default); goroutines started here never mutate a widget directly.
package ui

import (
	"context"
	"io"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/walkthrough"
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
	// Events returns stored events matching f, newest first, at most f.Limit
	// rows, starting strictly after f.Before when it is set (keyset paging).
	Events(ctx context.Context, f EventFilter) ([]EventRow, error)
	// CountEvents counts stored events matching f (Limit and Before ignored).
	CountEvents(ctx context.Context, f EventFilter) (int64, error)
	// HourlyCounts returns records per hour and workload in [since, until).
	HourlyCounts(ctx context.Context, since, until time.Time) ([]HourCount, error)
	// Export writes every event matching f to w in format, reporting progress.
	// Implementations should use WriteCSV / WriteJSONLines from this package.
	Export(ctx context.Context, f EventFilter, format ExportFormat, w io.Writer, progress func(done, total int64)) error

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

// EventFilter selects stored events for the feed, counts and exports.
type EventFilter struct {
	Workloads []string // empty = all workloads
	// ContentTypes: empty = all; e.g. "DLP.All" (DLP records carry the
	// workload where the match happened)
	ContentTypes []string
	Result       string         // "" = any; otherwise auditrec.ResultSuccess or ResultFailure (other spellings are normalised by the store)
	Since        time.Time      // zero = unbounded
	Until        time.Time      // zero = unbounded
	Text         string         // free text matched against user, operation, IP, object
	IDs          []string       // only these record Ids (a finding's evidence); nil = any, empty = none
	Limit        int            // maximum rows for Events (0 = backend default)
	Before       *EventPosition // keyset: return rows strictly older than this position
}

// EventPosition is a keyset-paging position: newest-first order is by Time
// descending, then ID descending.
type EventPosition struct {
	Time time.Time
	ID   string
}

// EventRow is one stored audit record as the feed shows it.
type EventRow struct {
	ID          string
	Time        time.Time // record CreationTime (UTC)
	User        string    // UPN or user ID
	UserDisplay string    // display name when enriched from Graph, else ""
	Operation   string
	Workload    string
	ContentType string
	ClientIP    string
	Result      string
	ObjectID    string
	Raw         []byte // the original JSON record
}

// Position returns the keyset position of the row.
func (r EventRow) Position() *EventPosition {
	return &EventPosition{Time: r.Time, ID: r.ID}
}

// HourCount is the number of records of one workload in one hour.
type HourCount struct {
	Hour     time.Time // start of the hour
	Workload string
	Count    int64
}

// ExportFormat is the file format of an export.
type ExportFormat int

// Export formats.
const (
	CSV       ExportFormat = iota // comma-separated values, formula cells neutralised
	JSONLines                     // one raw JSON record per line
)

// String returns the format's name.
func (f ExportFormat) String() string {
	if f == JSONLines {
		return "JSON lines"
	}
	return "CSV"
}

// Extension returns the usual file extension, with the dot.
func (f ExportFormat) Extension() string {
	if f == JSONLines {
		return ".jsonl"
	}
	return ".csv"
}
