// Package findings holds AuditLight's Findings view (the list of what the
// detection rules found, the detail of one finding with what to do, and the
// status actions) and the "Test my detections" walkthrough screen.
//
// It talks to the rest of AuditLight only through the small Source and
// Walker interfaces (package ui's Backend satisfies Source), never over the
// network. Widgets are touched only from Fyne callbacks or from functions
// queued with Options.Gate (package uigate).
package findings

import (
	"context"
	"log/slog"
	"net/url"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/uigate"
)

// Source is what the Findings view needs from the backend. Every method
// must be safe to call from any goroutine.
type Source interface {
	// Findings lists the findings matching f, newest first.
	Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error)
	// Finding returns one finding with its evidence record ids.
	Finding(ctx context.Context, id int64) (finding.Finding, error)
	// SetFindingStatus changes a finding's status; allow (false positive
	// only) adds an allow-list entry.
	SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (finding.Finding, error)
}

// Record is one evidence audit record as the detail shows it.
type Record struct {
	ID        string
	Time      time.Time
	User      string
	Operation string
	ClientIP  string
	Result    string
}

// Options are the injectable dependencies of the Findings view and the
// walkthrough.
type Options struct {
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Gate hands widget work from goroutines to the Fyne goroutine and drops
	// it once the app's quit has begun (package uigate). Required: the app
	// gives its one gate; tests give a queue's (uitest.Queue.Gate).
	Gate *uigate.Gate
	// OpenURL opens a portal link in the browser; nil or an error shows
	// the address to copy instead.
	OpenURL func(*url.URL) error
	// Evidence loads a finding's evidence records; nil shows record ids only.
	Evidence func(ctx context.Context, f finding.Finding) ([]Record, error)
	// ShowInFeed, when set, adds "Show in Events" to the detail: it opens
	// the event feed on the finding's key and time span.
	ShowInFeed func(f finding.Finding)
	// OnChanged runs (on the Fyne goroutine) after a status change, so the
	// dashboard line and the tray badge can refresh.
	OnChanged func()
}

func (o Options) now() time.Time { return uikit.Now(o.Clock) }

func (o Options) do(f func()) { o.Gate.Do(f) }

func (o Options) logger() *slog.Logger { return uikit.Logger(o.Logger) }
