package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

func TestStatusNotification(t *testing.T) {
	red := health.Status{State: health.ActionNeeded, Reason: "The client secret has expired.", Fix: "Rotate it."}
	green := health.Status{State: health.Healthy, Reason: "Polled just now."}
	amber := health.Status{State: health.Degraded, Reason: "Throttled."}
	blue := health.Status{State: health.WaitingForData, Reason: "Connecting to Microsoft 365…"}
	grey := health.Status{State: health.NotConfigured}
	alarm := "AuditLight: action needed"
	back := "AuditLight recovered"
	tests := []struct {
		name string
		seq  []health.Status
		want []string // notification titles, in order
	}{
		{"first status red", []health.Status{red}, []string{alarm}},
		{"green to red", []health.Status{green, red}, []string{alarm}},
		{"red stays red", []health.Status{red, red}, []string{alarm}},
		{"red to green", []health.Status{red, green}, []string{alarm, back}},
		{"rotate: red, blue connecting, then green", []health.Status{red, blue, green}, []string{alarm, back}},
		{"red to blue is no recovery yet", []health.Status{red, blue}, []string{alarm}},
		{"red to amber is no recovery yet", []health.Status{red, amber}, []string{alarm}},
		{"green to amber", []health.Status{green, amber}, nil},
		{"first status green", []health.Status{green}, nil},
		{"red to not configured (disconnect), then green", []health.Status{red, grey, green}, []string{alarm}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			alarmed := false
			for _, s := range tc.seq {
				var n *fyne.Notification
				n, alarmed = StatusNotification(alarmed, s)
				if n != nil {
					got = append(got, n.Title)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("notifications %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPresenterCoalescesIntoOneUpdate(t *testing.T) {
	test.NewTempApp(t)
	q := uitest.NewQueue()
	src := make(chan health.Status, 16)
	var applied, tray []health.State
	var notes []*fyne.Notification
	p := NewPresenter(src, PresenterConfig{
		Apply:    func(s health.Status) { applied = append(applied, s.State) },
		OnStatus: func(s health.Status) { tray = append(tray, s.State) },
		Notify:   func(n *fyne.Notification) { notes = append(notes, n) },
		// a long interval: the first status goes out at once, the rest wait
		Options: Options{Gate: q.Gate(), Coalesce: time.Hour},
	})
	src <- health.Status{State: health.Healthy}
	for _, s := range []health.State{health.Degraded, health.ActionNeeded, health.Degraded, health.ActionNeeded} {
		src <- health.Status{State: s}
	}
	close(src) // flushes the pending latest value and ends the goroutine
	<-p.done
	p.Stop()
	q.Drain()
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
