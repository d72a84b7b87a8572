package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/health"
)

func TestStatusNotification(t *testing.T) {
	red := health.Status{State: health.ActionNeeded, Reason: "The client secret has expired.", Fix: "Rotate it."}
	green := health.Status{State: health.Healthy, Reason: "Polled just now."}
	amber := health.Status{State: health.Degraded, Reason: "Throttled."}
	tests := []struct {
		name      string
		prev      health.Status
		havePrev  bool
		next      health.Status
		wantTitle string
		wantBody  string
	}{
		{"first status red", health.Status{}, false, red, "AuditLight: action needed", "The client secret has expired. Rotate it."},
		{"green to red", green, true, red, "AuditLight: action needed", "The client secret has expired. Rotate it."},
		{"red stays red", red, true, red, "", ""},
		{"red to green", red, true, green, "AuditLight recovered", "Audit log collection works again. Polled just now."},
		{"red to amber", red, true, amber, "AuditLight recovered", "Audit log collection works again. Throttled."},
		{"green to amber", green, true, amber, "", ""},
		{"first status green", health.Status{}, false, green, "", ""},
		{"red to not configured (disconnect)", red, true, health.Status{State: health.NotConfigured}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := StatusNotification(tc.prev, tc.havePrev, tc.next)
			if tc.wantTitle == "" {
				if n != nil {
					t.Errorf("unexpected notification %+v", n)
				}
				return
			}
			if n == nil || n.Title != tc.wantTitle || n.Content != tc.wantBody {
				t.Errorf("notification %+v, want %q / %q", n, tc.wantTitle, tc.wantBody)
			}
		})
	}
}

func TestPresenterCoalescesIntoOneUpdate(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	src := make(chan health.Status, 16)
	var applied, tray []health.State
	var notes []*fyne.Notification
	p := NewPresenter(src, PresenterConfig{
		Apply:    func(s health.Status) { applied = append(applied, s.State) },
		OnStatus: func(s health.Status) { tray = append(tray, s.State) },
		Notify:   func(n *fyne.Notification) { notes = append(notes, n) },
		// a long interval: the first status goes out at once, the rest wait
		Options: Options{Do: q.Do, Coalesce: time.Hour},
	})
	src <- health.Status{State: health.Healthy}
	for _, s := range []health.State{health.Degraded, health.ActionNeeded, health.Degraded, health.ActionNeeded} {
		src <- health.Status{State: s}
	}
	close(src) // flushes the pending latest value and ends the goroutine
	<-p.done
	p.Stop()
	q.drain()
	want := []health.State{health.Healthy, health.ActionNeeded}
	if len(applied) != 2 || applied[0] != want[0] || applied[1] != want[1] {
		t.Fatalf("applied %v, want %v (first at once, then only the latest)", applied, want)
	}
	if len(tray) != 2 || tray[1] != health.ActionNeeded {
		t.Errorf("tray callback got %v", tray)
	}
	if len(notes) != 1 || notes[0].Title != "AuditLight: action needed" {
		t.Errorf("notifications %+v", notes)
	}
}
