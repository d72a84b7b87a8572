package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uitest"
	"github.com/auditlight/auditlight/ui/uigate"
)

// TestNoWidgetWorkAfterTheQuitBegins runs the main window while the
// collector keeps publishing statuses (the presenter) and committing events
// (the chart reload and the feed), and quits it in each order the app's
// quit and the end of Fyne's loop can come. Once the gate has closed no
// status reaches the widgets or the tray and no chart reload runs, even
// though Fyne, its loop drained, would run work on the callers' goroutines.
// Under -race this also checks that no two goroutines touch a widget at
// once up to the window's Close (the app's own order: the gate first,
// then the window).
func TestNoWidgetWorkAfterTheQuitBegins(t *testing.T) {
	tests := []struct {
		name string
		// quit ends the loop and closes the gate as the app does; it runs
		// on the Fyne goroutine (the test's) until the loop has drained.
		quit func(g *uigate.Gate, l *uitest.Loop, sigterm context.CancelFunc)
	}{
		{"SIGTERM: the quit context ends, then Fyne's loop drains", func(g *uigate.Gate, l *uitest.Loop, sigterm context.CancelFunc) {
			sigterm()
			l.Drain()
			g.CloseAndWait() // Run returned
		}},
		{"the tray's Quit closes the gate on the Fyne goroutine, then the loop drains", func(g *uigate.Gate, l *uitest.Loop, _ context.CancelFunc) {
			g.Close()
			l.Drain()
			g.CloseAndWait()
		}},
		{"Fyne's loop ends by itself (logout); the gate closes when Run returns", func(g *uigate.Gate, l *uitest.Loop, _ context.CancelFunc) {
			l.Drain()
			time.Sleep(20 * time.Millisecond) // work runs in place meanwhile, one piece at a time
			g.CloseAndWait()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			w := test.NewTempWindow(t, nil)
			w.Resize(fyne.NewSize(1100, 800))
			b := newFakeBackend()
			b.addRows(sampleRows(10, feedNow, "r")...)
			b.hourly = []HourCount{{Hour: feedNow.Truncate(time.Hour), Workload: "Exchange", Count: 3}}
			var loop uitest.Loop
			ctx, sigterm := context.WithCancel(context.Background())
			defer sigterm()
			gate := uigate.New(ctx, loop.Do)
			// Every reading of the clock is a minute later, so each
			// committed batch of events reloads the chart.
			var minutes atomic.Int64
			clock := func() time.Time { return feedNow.Add(time.Duration(minutes.Add(1)) * time.Minute) }
			var closed atomic.Bool
			var statusesAfter, statuses atomic.Int32
			m := NewMainWindow(a, w, b, MainOptions{
				Options:   Options{Gate: gate, Clock: clock, Coalesce: time.Millisecond, PageSize: 40},
				Validator: testValidator(),
				OnStatus: func(health.Status) {
					statuses.Add(1)
					if closed.Load() {
						statusesAfter.Add(1)
					}
				},
			})
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() { // the collector's status
				states := []health.State{health.Healthy, health.Degraded, health.ActionNeeded}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case b.status <- health.Status{State: states[i%len(states)], Reason: "status"}:
						time.Sleep(200 * time.Microsecond)
					}
				}
			})
			wg.Go(func() { // the collector's commits
				for {
					select {
					case <-stop:
						return
					case b.ticks <- 1:
						time.Sleep(200 * time.Microsecond)
					}
				}
			})
			for range 100 { // the loop's turns while the collector works
				loop.RunQueued()
				time.Sleep(time.Millisecond)
			}
			loop.RunQueued()
			if statuses.Load() == 0 || b.hourlyCallCount() < 2 {
				t.Fatalf("before the quit: %d statuses shown, %d chart loads; the test drives nothing", statuses.Load(), b.hourlyCallCount())
			}
			tt.quit(gate, &loop, sigterm)
			closed.Store(true)
			// What the widgets show now, and the reload under way (its
			// query may still run; its result must not be shown).
			chartLoads, chartShown, loading := b.hourlyCallCount(), m.Dashboard.chartLoaded, m.Dashboard.chartLoading
			time.Sleep(30 * time.Millisecond) // the collector goes on meanwhile
			m.Close()                         // the app's finish: the window after the gate
			close(stop)
			wg.Wait()
			if n := statusesAfter.Load(); n != 0 {
				t.Errorf("%d statuses reached the widgets and the tray after the gate closed", n)
			}
			if got := m.Dashboard.chartLoaded; !got.Equal(chartShown) {
				t.Errorf("the chart showed a load of %v after the gate closed (it showed %v's)", got, chartShown)
			}
			inFlight := 0
			if loading {
				inFlight = 1
			}
			if n := b.hourlyCallCount() - chartLoads; n > inFlight {
				t.Errorf("%d chart reloads started after the gate closed", n-inFlight)
			}
		})
	}
}
