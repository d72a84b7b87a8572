package ui

import (
	"log/slog"
	"time"

	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/setup"
)

// Options are the injectable dependencies shared by the screens.
type Options struct {
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Logger receives diagnostics; nil discards them. Secrets are never logged.
	Logger *slog.Logger
	// Do queues f on the Fyne goroutine; nil means fyne.Do. Tests inject a
	// queue they drain themselves.
	Do func(f func())
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

func (o Options) do(f func()) { uikit.Run(o.Do, f) }

func (o Options) logger() *slog.Logger { return uikit.Logger(o.Logger) }

func (o Options) coalesce() time.Duration {
	if o.Coalesce <= 0 {
		return 250 * time.Millisecond
	}
	return o.Coalesce
}

// eventsOptions returns the options of the Events tab.
func (o Options) eventsOptions() events.Options {
	return events.Options{Clock: o.Clock, Logger: o.Logger, Do: o.Do, Debounce: o.Debounce, PageSize: o.PageSize}
}

// setupOptions returns the options of the setup screens (wizard, rotate form).
func (o Options) setupOptions() setup.Options {
	return setup.Options{Clock: o.Clock, Logger: o.Logger, Do: o.Do, DateOrder: o.DateOrder}
}

func firstOptions(opts []Options) Options {
	if len(opts) == 0 {
		return Options{}
	}
	return opts[0]
}
