// Package events holds AuditLight's Events tab: the live feed of stored
// audit records with its filters and search, keyset paging, the detail of
// one record, and the CSV / JSON-lines export.
//
// It talks to the rest of AuditLight only through Source (package ui's
// Backend embeds it), never over the network. Widgets are touched only from
// Fyne callbacks or from functions queued with Options.Gate (package
// uigate); goroutines started here never mutate a widget directly.
package events

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/uigate"
)

// Source is what the Events tab needs from the backend. Every method must
// be safe to call from any goroutine.
type Source interface {
	// Events returns stored events matching f, newest first, at most f.Limit
	// rows, starting strictly after f.Before when it is set (keyset paging).
	// Their Raw may be nil: the feed reads a record with Record when it is
	// shown.
	Events(ctx context.Context, f Filter) ([]Row, error)
	// Record returns the original JSON of the record with id, created at at.
	Record(ctx context.Context, id string, at time.Time) ([]byte, error)
	// CountEvents counts stored events matching f (Limit and Before ignored).
	CountEvents(ctx context.Context, f Filter) (int64, error)
	// Export writes every event matching f to w in format, reporting progress.
	// Implementations should use WriteCSV / WriteJSONLines from this package.
	Export(ctx context.Context, f Filter, format ExportFormat, w io.Writer, progress func(done, total int64)) error
}

// Options are the injectable dependencies of the Events tab.
type Options struct {
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Gate hands widget work from goroutines to the Fyne goroutine and drops
	// it once the app's quit has begun (package uigate). Required: the app
	// gives its one gate; tests give a queue's (uitest.Queue.Gate).
	Gate *uigate.Gate
	// Debounce is the delay before the free-text filter applies; 0 = 300 ms.
	Debounce time.Duration
	// PageSize is the number of events loaded per page; 0 = 200.
	PageSize int
}

func (o Options) now() time.Time { return uikit.Now(o.Clock) }

func (o Options) do(f func()) { o.Gate.Do(f) }

func (o Options) logger() *slog.Logger { return uikit.Logger(o.Logger) }

func (o Options) debounce() time.Duration {
	if o.Debounce <= 0 {
		return 300 * time.Millisecond
	}
	return o.Debounce
}

func (o Options) pageSize() int {
	if o.PageSize <= 0 {
		return 200
	}
	return o.PageSize
}

// Filter selects stored events for the feed, counts and exports.
type Filter struct {
	Workloads []string // empty = all workloads
	// ContentTypes: empty = all; e.g. "DLP.All" (DLP records carry the
	// workload where the match happened)
	ContentTypes []string
	Result       string    // "" = any; otherwise auditrec.ResultSuccess or ResultFailure (other spellings are normalised by the store)
	Since        time.Time // zero = unbounded
	Until        time.Time // zero = unbounded
	Text         string    // free text matched against user, operation, IP, object
	IDs          []string  // only these record Ids (a finding's evidence); nil = any, empty = none
	Limit        int       // maximum rows for Events (0 = backend default)
	Before       *Position // keyset: return rows strictly older than this position
}

// Position is a keyset-paging position: newest-first order is by Time
// descending, then ID descending.
type Position struct {
	Time time.Time
	ID   string
}

// Row is one stored audit record as the feed shows it.
type Row struct {
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
	Raw         []byte // the original JSON record; nil when not read (Source.Events)
}

// Position returns the keyset position of the row.
func (r Row) Position() *Position {
	return &Position{Time: r.Time, ID: r.ID}
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
