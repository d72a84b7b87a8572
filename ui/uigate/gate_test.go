package uigate_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditlight/auditlight/ui/internal/uitest"
	"github.com/auditlight/auditlight/ui/uigate"
)

func TestGateRunsWorkInOrderOnTheLoop(t *testing.T) {
	var l uitest.Loop
	g := uigate.New(context.Background(), l.Do)
	var got []int
	for i := range 5 {
		g.Do(func() { got = append(got, i) })
	}
	if len(got) != 0 {
		t.Fatalf("work ran before the loop's turn: %v", got)
	}
	l.RunQueued()
	if want := []int{0, 1, 2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("ran %v, want %v", got, want)
	}
}

// TestGateDropsWorkOnceQuitBegins: after each way the app's quit begins,
// work handed in — before, not yet run, or after — never runs, and a
// caller that waits is told so instead of waiting for a loop that ended.
func TestGateDropsWorkOnceQuitBegins(t *testing.T) {
	tests := []struct {
		name string
		quit func(g *uigate.Gate, cancel context.CancelFunc)
	}{
		{"Close (the tray's Quit, the window's, auditlight quit)", func(g *uigate.Gate, _ context.CancelFunc) { g.Close() }},
		{"CloseAndWait (Fyne's loop returned)", func(g *uigate.Gate, _ context.CancelFunc) { g.CloseAndWait() }},
		{"the quit context ends (SIGTERM, Ctrl+C)", func(_ *uigate.Gate, cancel context.CancelFunc) { cancel() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l uitest.Loop
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			g := uigate.New(ctx, l.Do)
			var ran atomic.Int32
			g.Do(func() { ran.Add(1) }) // queued, the loop not yet at it
			waited := make(chan bool, 1)
			go func() { waited <- g.DoAndWait(func() { ran.Add(1) }) }()
			for {
				if l.Queued() == 2 {
					break
				}
				time.Sleep(time.Millisecond) // until the waiter has queued
			}
			tt.quit(g, cancel)
			if !g.Closed() {
				t.Fatal("the gate is open after the quit began")
			}
			select {
			case ok := <-waited:
				if ok {
					t.Error("DoAndWait reported its work ran")
				}
			case <-time.After(10 * time.Second):
				t.Fatal("DoAndWait still waits after the quit began")
			}
			g.Do(func() { ran.Add(1) })
			if g.DoAndWait(func() { ran.Add(1) }) {
				t.Error("DoAndWait on a closed gate reported its work ran")
			}
			l.RunQueued() // the loop's last turns
			l.Drain()
			g.Do(func() { ran.Add(1) }) // Fyne would run this in place
			if n := ran.Load(); n != 0 {
				t.Errorf("%d pieces of widget work ran after the quit began", n)
			}
		})
	}
}

// TestGateRunsWorkOneAtATimeAfterTheLoopEnded: between the end of Fyne's
// loop and the gate's closing, Fyne runs work on the callers' goroutines;
// the gate still runs it one piece at a time, in order, and work handed in
// by work runs after it instead of deadlocking.
func TestGateRunsWorkOneAtATimeAfterTheLoopEnded(t *testing.T) {
	var l uitest.Loop
	l.Drain()
	g := uigate.New(context.Background(), l.Do)
	var (
		inFlight, most atomic.Int32
		ran            atomic.Int32
		shared         int // touched by every piece: -race sees two at once
	)
	piece := func() {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		shared++
		ran.Add(1)
		inFlight.Add(-1)
	}
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				g.Do(func() {
					piece()
					g.Do(piece) // nested: Fyne runs it in place
				})
			}
		})
	}
	wg.Wait()
	if got, want := ran.Load(), int32(2*goroutines*each); got != want {
		t.Errorf("%d pieces ran, want %d", got, want)
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d pieces of widget work ran at once, want 1", m)
	}
	var order []string
	g.Do(func() {
		order = append(order, "outer")
		g.Do(func() { order = append(order, "nested") })
		order = append(order, "outer ends")
	})
	if want := []string{"outer", "outer ends", "nested"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

// TestCloseAndWaitWaitsForWorkUnderWay: once CloseAndWait returns, the
// caller alone touches the widgets.
func TestCloseAndWaitWaitsForWorkUnderWay(t *testing.T) {
	var l uitest.Loop
	l.Drain()
	g := uigate.New(context.Background(), l.Do)
	started, release := make(chan struct{}), make(chan struct{})
	var finished atomic.Bool
	go g.Do(func() {
		close(started)
		<-release
		finished.Store(true)
	})
	<-started
	closed := make(chan struct{})
	go func() {
		g.CloseAndWait()
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("CloseAndWait returned while work was under way")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-closed
	if !finished.Load() {
		t.Error("CloseAndWait returned before the work under way finished")
	}
}

// TestNoWorkRunsAfterTheGateClosesUnderLoad hands work in from many
// goroutines while the loop runs, drains and the gate closes: nothing runs
// after CloseAndWait returned.
func TestNoWorkRunsAfterTheGateClosesUnderLoad(t *testing.T) {
	for _, quitFirst := range []bool{true, false} {
		name := "the gate closes before the loop drains"
		if !quitFirst {
			name = "the loop drains before the gate closes"
		}
		t.Run(name, func(t *testing.T) {
			var l uitest.Loop
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			g := uigate.New(ctx, l.Do)
			var closedAt atomic.Bool
			var late atomic.Int32
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for range 6 {
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						g.Do(func() {
							if closedAt.Load() {
								late.Add(1)
							}
						})
						_ = g.DoAndWait(func() {
							if closedAt.Load() {
								late.Add(1)
							}
						})
					}
				})
			}
			loopDone := make(chan struct{})
			go func() { // the Fyne goroutine
				defer close(loopDone)
				for range 50 {
					l.RunQueued()
					time.Sleep(time.Millisecond)
				}
			}()
			<-loopDone
			if quitFirst {
				cancel()
				l.Drain()
			} else {
				l.Drain()
				time.Sleep(5 * time.Millisecond) // work runs in place meanwhile
			}
			g.CloseAndWait()
			closedAt.Store(true)
			time.Sleep(20 * time.Millisecond)
			close(stop)
			wg.Wait()
			if n := late.Load(); n != 0 {
				t.Errorf("%d pieces of widget work ran after the gate closed", n)
			}
		})
	}
}

func TestNilGateSaysWhy(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("a nil gate ran the work")
		}
	}()
	var g *uigate.Gate
	g.Do(func() {})
}
