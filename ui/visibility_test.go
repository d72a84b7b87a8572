package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// Hidden in the tray, the window holds no feed rows and does not load
// events or the chart for screens nobody sees; shown again, it catches up
// with what arrived meanwhile.
func TestHiddenWindowReleasesRowsAndCatchesUpWhenShown(t *testing.T) {
	tests := []struct {
		name         string
		startHidden  bool
		eventsHidden int // new rows arriving while hidden
	}{
		{"started in the tray", true, 0},
		{"hidden after use, events arrive meanwhile", false, 3},
		{"hidden after use, nothing new", false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			b.addRows(sampleRows(10, feedNow, "r")...)
			a := test.NewTempApp(t)
			q := uitest.NewQueue()
			w := NewVisibilityWindow(test.NewTempWindow(t, nil))
			w.Resize(fyne.NewSize(1100, 800))
			if !tc.startHidden {
				w.Show()
			}
			m := NewMainWindow(a, w, b, MainOptions{
				Options:   Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond, PageSize: 40},
				Validator: testValidator(),
			})
			t.Cleanup(func() { q.Drain(); m.Close() })
			if !tc.startHidden {
				q.Until(t, "feed loaded", func() bool { return len(m.Feed.Rows()) == 10 })
				q.Until(t, "chart loaded", func() bool { // its query runs in the background
					b.mu.Lock()
					defer b.mu.Unlock()
					return b.hourlyCalls > 0
				})
				w.Hide()
			}
			q.Drain()
			if tc.startHidden {
				if m.Built() {
					t.Fatal("started in the tray, the window built its screens")
				}
			} else if n := len(m.Feed.Rows()); n != 0 {
				t.Fatalf("hidden window holds %d feed rows, want 0", n)
			}
			b.mu.Lock()
			loads, charts := len(b.filters), b.hourlyCalls
			b.mu.Unlock()
			if tc.eventsHidden > 0 {
				b.addRows(sampleRows(tc.eventsHidden, feedNow.Add(5*time.Minute), "s")...)
				b.ticks <- tc.eventsHidden
				q.Until(t, "tick noted while hidden", func() bool { return m.stale })
				b.mu.Lock()
				if len(b.filters) != loads || b.hourlyCalls != charts {
					t.Errorf("hidden window loaded events %d→%d times, chart %d→%d times", loads, len(b.filters), charts, b.hourlyCalls)
				}
				b.mu.Unlock()
			}
			if tc.startHidden && (loads != 0 || charts != 0) {
				t.Errorf("started in the tray, the window loaded events %d times and the chart %d times", loads, charts)
			}
			w.Show()
			want := 10 + tc.eventsHidden
			q.Until(t, "feed reloaded on show", func() bool { return len(m.Feed.Rows()) == want })
		})
	}
}

// Started hidden in the tray (at login), the window builds no screen — that
// is what loads Fyne's fonts and renderers — yet the tray follows every
// status and the findings, and the first show presents the latest status,
// including that a problem was resolved meanwhile.
func TestStartedInTheTrayBuildsNothingUntilShown(t *testing.T) {
	b := newFakeBackend()
	b.setFindings(fwdFinding(1, finding.High, finding.StatusNew))
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	w := NewVisibilityWindow(test.NewTempWindow(t, nil))
	w.Resize(fyne.NewSize(1100, 800))
	var tray []health.State
	var badge bool
	m := NewMainWindow(a, w, b, MainOptions{
		Options:    Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond, PageSize: 40},
		Validator:  testValidator(),
		OnStatus:   func(s health.Status) { tray = append(tray, s.State) },
		OnFindings: func(_ finding.Summary, openMedium bool) { badge = openMedium },
	})
	t.Cleanup(func() { q.Drain(); m.Close() })
	red := health.Status{State: health.ActionNeeded, Reason: "The client secret has expired.", Fix: "Rotate it.", Action: health.ActionRotateSecret}
	green := health.Status{State: health.Healthy, Reason: "Online and logging."}
	b.status <- red
	q.Until(t, "red in the tray", func() bool { return len(tray) > 0 && tray[len(tray)-1] == health.ActionNeeded })
	b.status <- green
	q.Until(t, "green in the tray", func() bool { return tray[len(tray)-1] == health.Healthy })
	q.Until(t, "findings badge in the tray", func() bool { return badge })
	if m.Built() || w.Content() != nil {
		t.Fatal("hidden in the tray, the window built its screens")
	}
	w.Show()
	if !m.Built() || w.Content() != m.tabs.Content() {
		t.Fatal("shown, the window does not show the tabs")
	}
	if m.Dashboard.Status().State != health.Healthy {
		t.Errorf("dashboard shows %v, want the latest status (green)", m.Dashboard.Status().State)
	}
	if got := m.Dashboard.resolved.Text; !strings.Contains(got, "Resolved at") || !strings.Contains(got, "client secret has expired") {
		t.Errorf("resolved line %q, want the red problem resolved while hidden", got)
	}
	if got := m.Dashboard.SafetyLine(); !strings.Contains(got, "1 new finding") {
		t.Errorf("tenant safety line %q, want the finding", got)
	}
}

// showRecorder records what a window held when it was shown.
type showRecorder struct {
	fyne.Window
	contentAtShow []fyne.CanvasObject
}

func (r *showRecorder) Show() {
	r.contentAtShow = append(r.contentAtShow, r.Window.Content())
	r.Window.Show()
}

// TestFirstShowPaintsTheScreens: a main window made before its window is
// shown has its screens on the window when the window is shown, so the
// driver's first frame (painted inside Show) is the dashboard, not an
// empty window followed by a second frame (issue 12: launch to green).
func TestFirstShowPaintsTheScreens(t *testing.T) {
	b := newFakeBackend()
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	rec := &showRecorder{Window: test.NewTempWindow(t, nil)}
	w := NewVisibilityWindow(rec)
	m := NewMainWindow(a, w, b, MainOptions{
		Options:   Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond},
		Validator: testValidator(),
	})
	t.Cleanup(func() { q.Drain(); m.Close() })
	if m.Built() {
		t.Fatal("the screens were built before the window was shown")
	}
	w.Show()
	if len(rec.contentAtShow) != 1 {
		t.Fatalf("window shown %d times, want 1", len(rec.contentAtShow))
	}
	if got := rec.contentAtShow[0]; got == nil || got != m.tabs.Content() {
		t.Fatalf("when the window was shown it held %T, want the tabs with the dashboard", got)
	}
}
