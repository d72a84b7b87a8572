// Package uigate is the one way from a goroutine to AuditLight's widgets:
// every piece of widget work that a background goroutine (a presenter, a
// reload, a timer, a tray click, another process's request) hands to the
// Fyne goroutine goes through a Gate, and a Gate drops that work once the
// app's quit has begun.
//
// Why: Fyne v2.8.1's fyne.Do and fyne.DoAndWait queue their function for
// the event loop only while the loop runs. Once the loop has drained (after
// a Quit, SIGTERM, Ctrl+C, logout) they run it at once on the caller's
// goroutine (internal/driver/glfw/loop.go runOnMainWithWait: drained →
// f()), so two goroutines could update widgets — and Fyne's shared text
// shaper — at the same time until the window is closed. Fyne's own
// "stopped" lifecycle event comes late or never, so the gate is closed by
// the app's own quit handling: Close (the tray's Quit, the window's, the
// single-instance quit, Fyne's loop returning) or the end of the quit
// context given to New (signal.NotifyContext's: SIGTERM, Ctrl+C).
//
// This package is the only one in the module that calls fyne.Do
// (TestOnlyTheGateCallsFyneDo guards it).
package uigate

import (
	"context"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// Gate hands widget work to the Fyne goroutine until it closes. All work
// that has passed a Gate runs one piece at a time, in the order it was
// handed in — on the Fyne goroutine while Fyne's loop runs, and still one at
// a time if Fyne runs it on callers' goroutines after its loop ended and
// before the gate closed. Once closed, work not yet started is dropped,
// never run. Its methods are safe from any goroutine.
type Gate struct {
	dispatch func(func())
	quit     context.Context
	closed   atomic.Bool

	mu      sync.Mutex
	idle    sync.Cond // signalled when running turns false
	queue   []*work   // handed in, not yet started
	running bool      // a pump is running work (with mu released)
	owed    int       // pumps that found another running and left their share to it
}

// work is one function handed to the gate; done, when not nil, is closed
// once it ran or was dropped (DoAndWait waits for it).
type work struct {
	f    func()
	done chan struct{}
	ran  bool
}

// New returns an open gate that hands work to the Fyne goroutine with
// dispatch (nil means fyne.Do; tests give a queue they drain themselves).
// The gate closes when quit ends (the context of signal.NotifyContext:
// SIGTERM, Ctrl+C) or at Close.
func New(quit context.Context, dispatch func(func())) *Gate {
	if dispatch == nil {
		dispatch = fyne.Do
	}
	g := &Gate{dispatch: dispatch, quit: quit}
	g.idle.L = &g.mu
	// The end of quit is seen at once by every check (Closed); this only
	// drops what was queued and wakes DoAndWait's callers.
	context.AfterFunc(quit, g.Close)
	return g
}

// Do queues f for the Fyne goroutine and returns at once. Once the gate is
// closed f is dropped.
func (g *Gate) Do(f func()) {
	if g == nil {
		panic("uigate: widget work handed to a nil Gate: the screens need the app's gate (uigate.New)")
	}
	g.enqueue(&work{f: f})
}

// DoAndWait runs f on the Fyne goroutine and waits for it, reporting
// whether it ran. It returns false without running f when the gate is
// closed, or closes before f starts: a caller never waits for a loop that
// has ended. Never call it from widget work or a Fyne callback, which would
// wait for itself.
func (g *Gate) DoAndWait(f func()) bool {
	if g == nil {
		panic("uigate: widget work handed to a nil Gate: the screens need the app's gate (uigate.New)")
	}
	w := &work{f: f, done: make(chan struct{})}
	if !g.enqueue(w) {
		return false
	}
	<-w.done
	return w.ran
}

// Closed reports whether the gate is closed: the app's quit has begun.
func (g *Gate) Closed() bool { return g.closed.Load() || g.quit.Err() != nil }

// Close closes the gate: from now on work is dropped, and work queued but
// not started is dropped too. Work that has already started (at most one
// piece) finishes. It returns at once and may be called any number of
// times, from any goroutine, including from widget work.
func (g *Gate) Close() {
	g.closed.Store(true)
	g.mu.Lock()
	dropped := g.queue
	g.queue = nil
	g.mu.Unlock()
	for _, w := range dropped {
		if w.done != nil {
			close(w.done)
		}
	}
}

// CloseAndWait closes the gate and waits for the work that has started to
// finish: when it returns no widget work runs any more, so the caller
// alone may touch the widgets (closing the window). Never call it from
// widget work, which would wait for itself.
func (g *Gate) CloseAndWait() {
	g.Close()
	g.mu.Lock()
	for g.running {
		g.idle.Wait()
	}
	g.mu.Unlock()
}

// enqueue queues w and hands a pump to the Fyne goroutine; false when the
// gate is closed (w dropped).
func (g *Gate) enqueue(w *work) bool {
	g.mu.Lock()
	if g.Closed() {
		g.mu.Unlock()
		return false
	}
	g.queue = append(g.queue, w)
	g.mu.Unlock()
	g.dispatch(g.pump)
	return true
}

// pump runs one piece of work: every enqueue dispatches one pump, so while
// Fyne's loop runs each piece gets its own turn of the loop, as with
// fyne.Do. A pump that finds another one running (Fyne ran it in place:
// nested in work, or on another goroutine once its loop ended) leaves its
// share to that one and returns, so work never runs concurrently nor waits
// for itself.
func (g *Gate) pump() {
	g.mu.Lock()
	if g.running {
		g.owed++
		g.mu.Unlock()
		return
	}
	g.running = true
	for share := 1; share > 0; {
		share--
		if w := g.next(); w != nil {
			g.mu.Unlock()
			w.f()
			w.ran = true
			if w.done != nil {
				close(w.done)
			}
			g.mu.Lock()
		}
		if share == 0 {
			share, g.owed = g.owed, 0
		}
	}
	g.running = false
	g.idle.Broadcast()
	g.mu.Unlock()
}

// next takes the oldest piece of work, or nil when there is none or the
// gate is closed (Close drops the queue). Call with mu held.
func (g *Gate) next() *work {
	if len(g.queue) == 0 || g.Closed() {
		return nil
	}
	w := g.queue[0]
	g.queue[0] = nil
	g.queue = g.queue[1:]
	return w
}
