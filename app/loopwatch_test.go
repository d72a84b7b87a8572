package app

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/simulator"
)

func TestLoopWatch(t *testing.T) {
	tests := []struct {
		name string
		// ask, cancel, ret: what happens, in this order, before the timer.
		ask, cancel, ret bool
		timerFires       bool
		want             bool
		wantStopping     bool
	}{
		{name: "Run returned without a quit (logout)", ret: true, want: false},
		{name: "asked, Run returned in time", ask: true, ret: true, want: false},
		{name: "asked, Run never returned", ask: true, timerFires: true, want: true, wantStopping: true},
		{name: "SIGTERM, Run never returned", cancel: true, timerFires: true, want: true, wantStopping: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timer := make(chan time.Time, 1)
			var asked time.Duration
			w := newLoopWatch(loopStopGrace, func(d time.Duration) <-chan time.Time { asked = d; return timer })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.ask {
				w.Ask()
				w.Ask() // twice: the tray's Quit and then the window's
			}
			if tt.cancel {
				cancel()
			}
			if tt.ret {
				w.Returned()
			}
			if tt.timerFires {
				timer <- time.Time{}
			}
			stopping := false
			if got := w.Wait(ctx, func() { stopping = true }); got != tt.want {
				t.Fatalf("stuck = %v, want %v", got, tt.want)
			}
			if !tt.ret && stopping != tt.wantStopping { // with Run returned, either may come first
				t.Errorf("stopping called = %v, want %v", stopping, tt.wantStopping)
			}
			if tt.timerFires && asked != loopStopGrace {
				t.Errorf("grace %v, want %v", asked, loopStopGrace)
			}
		})
	}
}

// loopApp is a headless Fyne app with an event loop like the GL driver's:
// fyne.Do's calls queue until Run runs them; once asked to Quit the loop
// drains, and later calls run at once. When stuck, Run then never returns
// until the test ends: Fyne 2.8.1's shutdown deadlock (loopwatch.go), made
// to happen every time.
type loopApp struct {
	fyne.App
	stuck    bool
	running  chan struct{}
	runOnce  sync.Once
	quit     chan struct{}
	quitOnce sync.Once
	release  chan struct{}
	calls    chan func()
	mu       sync.Mutex
	drained  bool
}

func newLoopApp(t *testing.T, stuck bool) *loopApp {
	a := &loopApp{App: test.NewTempApp(t), stuck: stuck, running: make(chan struct{}), quit: make(chan struct{}),
		release: make(chan struct{}), calls: make(chan func(), 4096)}
	fyne.SetCurrentApp(a) // fyne.Do asks the current app's driver
	return a
}

// Driver returns the test driver with fyne.Do going through the loop.
func (a *loopApp) Driver() fyne.Driver { return loopDriver{Driver: a.App.Driver(), a: a} }

func (a *loopApp) Run() {
	a.runOnce.Do(func() { close(a.running) })
	for {
		select {
		case f := <-a.calls:
			f()
		case <-a.quit:
			a.mu.Lock()
			a.drained = true
			a.mu.Unlock()
			for len(a.calls) > 0 {
				(<-a.calls)()
			}
			if a.stuck {
				<-a.release
			}
			return
		}
	}
}

func (a *loopApp) Quit() { a.quitOnce.Do(func() { close(a.quit) }) }

// do queues f for the loop, or runs it at once when the loop has ended.
func (a *loopApp) do(f func(), wait bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.drained {
		f()
		return
	}
	if !wait {
		a.calls <- f
		return
	}
	done := make(chan struct{})
	a.calls <- func() { f(); close(done) }
	a.mu.Unlock()
	<-done
	a.mu.Lock()
}

// loopDriver is the test driver whose DoFromGoroutine queues on loopApp's loop.
type loopDriver struct {
	fyne.Driver
	a *loopApp
}

func (d loopDriver) DoFromGoroutine(f func(), wait bool) { d.a.do(f, wait) }

// TestSIGTERMStopsTheCollectorWhenFyneNeverReturns runs the demo GUI in a
// headless Fyne whose Run, asked to quit, returns — or, as Fyne 2.8.1's
// shutdown sometimes does, never returns. On SIGTERM the collector must be
// stopped (its checkpoints committed) and the process must exit either way;
// it sat out SIGTERM before the watch.
func TestSIGTERMStopsTheCollectorWhenFyneNeverReturns(t *testing.T) {
	for _, stuck := range []bool{false, true} {
		name := "Fyne returns"
		if stuck {
			name = "Fyne never returns"
		}
		t.Run(name, func(t *testing.T) {
			a := newLoopApp(t, stuck)
			defer close(a.release)
			exited := make(chan int, 1)
			var stderr lockedBuffer
			e := &env{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(string) string { return "" },
				newApp: func() fyne.App { return a }, exit: func(code int) { exited <- code }}
			ctx, sigterm := context.WithCancel(context.Background())
			defer sigterm()
			done := make(chan error, 1)
			go func() { done <- runDemo(ctx, e, string(simulator.ScenarioHealthy), nil) }()
			select {
			case <-a.running:
			case err := <-done:
				t.Fatalf("the demo ended before its event loop ran: %v", err)
			case <-time.After(time.Minute):
				t.Fatal("the demo's event loop never ran")
			}
			// SIGTERM: signal.NotifyContext ends ctx, and Fyne's own handler quits its loop.
			sigterm()
			a.Quit()
			if !stuck {
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("the demo ended with %v", err)
					}
				case <-time.After(30 * time.Second):
					t.Fatal("the demo did not end after SIGTERM")
				}
				select {
				case code := <-exited:
					t.Fatalf("the process was made to exit (%d) although Fyne's loop returned", code)
				default:
				}
			} else {
				select {
				case code := <-exited:
					if code != 0 {
						t.Errorf("exit code %d, want 0", code)
					}
				case <-time.After(loopStopGrace + 30*time.Second):
					t.Fatalf("the app sat out SIGTERM: no exit %v after it; log:\n%s", loopStopGrace, stderr.String())
				}
			}
			if log := stderr.String(); !strings.Contains(log, "collector stopped cleanly") {
				t.Errorf("the collector was not stopped before the end; log:\n%s", log)
			}
			if got := strings.Contains(stderr.String(), "did not finish quitting"); got != stuck {
				t.Errorf("the log says the toolkit was stuck: %v, want %v", got, stuck)
			}
		})
	}
}

// lockedBuffer is a bytes.Buffer safe for the logger's goroutines and the test's.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
