package app

import (
	"context"
	"sync"
	"time"
)

// loopStopGrace is how long Fyne's event loop may take to return from Run
// once it was asked to stop. Its own shutdown takes milliseconds.
const loopStopGrace = 3 * time.Second

// loopWatch notices when Fyne's event loop, asked to stop, never returns
// from Run, so that the app can still stop its collector and exit.
//
// Fyne 2.8.1 can deadlock in its own shutdown: when its loop ends it queues
// the lifecycle's "stopped" event (always: Fyne's preferences hook is one)
// and drains its queue of main-thread calls; the lifecycle goroutine hands
// the event to that queue as a main-thread call, and when it does so just
// after the drain looked and before the queue is marked drained, the call is
// never run. Run then waits forever for the lifecycle queue
// (Lifecycle.WaitForEvents). Seen here as an app — and a Fyne hello world —
// sitting out SIGTERM (BENCHMARKS.md, round 7). It can follow any quit: the
// tray's Quit, SIGTERM, Ctrl+C, `auditlight quit`.
type loopWatch struct {
	grace    time.Duration
	after    func(time.Duration) <-chan time.Time
	asked    chan struct{}
	askOnce  sync.Once
	returned chan struct{}
	retOnce  sync.Once
}

// newLoopWatch returns a watch that gives the loop grace to return; after
// is the clock's timer (time.After, or a test's).
func newLoopWatch(grace time.Duration, after func(time.Duration) <-chan time.Time) *loopWatch {
	return &loopWatch{grace: grace, after: after, asked: make(chan struct{}), returned: make(chan struct{})}
}

// Ask records that the loop was asked to stop. Safe from any goroutine, any
// number of times.
func (w *loopWatch) Ask() { w.askOnce.Do(func() { close(w.asked) }) }

// Returned records that Run returned. Safe any number of times.
func (w *loopWatch) Returned() { w.retOnce.Do(func() { close(w.returned) }) }

// Wait blocks until Run returned, reporting false, or until the loop was
// asked to stop (Ask, or ctx ended: SIGTERM, Ctrl+C) and Run has not
// returned within the grace, reporting true: the loop is stuck and the
// caller must shut down without it. stopping, when set, is called once
// the stop is asked for.
func (w *loopWatch) Wait(ctx context.Context, stopping func()) (stuck bool) {
	select {
	case <-w.returned:
		return false
	case <-w.asked:
	case <-ctx.Done():
	}
	if stopping != nil {
		stopping()
	}
	select {
	case <-w.returned:
		return false
	case <-w.after(w.grace):
		return true
	}
}
