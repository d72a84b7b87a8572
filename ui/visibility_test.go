package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

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
				Options:   Options{Do: q.Do, Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond, PageSize: 40},
				Validator: testValidator(),
			})
			t.Cleanup(func() { q.Drain(); m.Close() })
			if !tc.startHidden {
				q.Until(t, "feed loaded", func() bool { return len(m.Feed.Rows()) == 10 })
				w.Hide()
			}
			q.Drain()
			if n := len(m.Feed.Rows()); n != 0 {
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
			w.Show()
			want := 10 + tc.eventsHidden
			q.Until(t, "feed reloaded on show", func() bool { return len(m.Feed.Rows()) == want })
		})
	}
}
