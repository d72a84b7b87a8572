package ui

import (
	"log/slog"
	"time"

	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/setup"
	"github.com/auditlight/auditlight/ui/uigate"
)

// Options are the injectable dependencies shared by the screens.
type Options struct {
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Logger receives diagnostics; nil discards them. Secrets are never logged.
	Logger *slog.Logger
	// Gate hands widget work from goroutines to the Fyne goroutine and drops
	// it once the app's quit has begun (package uigate). Required: the app
	// gives its one gate; tests give a queue's (uitest.Queue.Gate).
	Gate *uigate.Gate
	// Debounce is the delay before the free-text filter applies; 0 = 300 ms.
	Debounce time.Duration
	// Coalesce is the minimum interval between status repaints; 0 = 250 ms.
	Coalesce time.Duration
	// PageSize is the number of events loaded per page in the feed; 0 = 200.
	PageSize int
	// DateOrder reads numeric dates such as 05/03/2027; DateOrderUnknown
	// (the zero value) means the OS locale's order.
	DateOrder setup.DateOrder

	validator setup.Validator // set by NewMainWindow for the rotate-secret dialog
}

func (o Options) now() time.Time { return uikit.Now(o.Clock) }

func (o Options) do(f func()) { o.Gate.Do(f) }

func (o Options) logger() *slog.Logger { return uikit.Logger(o.Logger) }

func (o Options) coalesce() time.Duration {
	if o.Coalesce <= 0 {
		return 250 * time.Millisecond
	}
	return o.Coalesce
}

// eventsOptions returns the options of the Events tab.
func (o Options) eventsOptions() events.Options {
	return events.Options{Clock: o.Clock, Logger: o.Logger, Gate: o.Gate, Debounce: o.Debounce, PageSize: o.PageSize}
}

// setupOptions returns the options of the setup screens (wizard, rotate form).
func (o Options) setupOptions() setup.Options {
	return setup.Options{Clock: o.Clock, Logger: o.Logger, Gate: o.Gate, DateOrder: o.DateOrder}
}

func firstOptions(opts []Options) Options {
	if len(opts) == 0 {
		return Options{}
	}
	return opts[0]
}
