package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
)

func TestBuildTrayMenu(t *testing.T) {
	tests := []struct {
		name       string
		status     health.Status
		paused     bool
		wantStatus string
		wantPause  string
	}{
		{"healthy", health.Status{State: health.Healthy, Reason: "Polled 1 minute ago."}, false, "AuditLight: Collecting", "Pause collection"},
		{"red", health.Status{State: health.ActionNeeded, Reason: "The client secret has expired."}, false,
			"AuditLight: Action needed — The client secret has expired.", "Pause collection"},
		{"paused by user", health.Status{State: health.Healthy}, true, "AuditLight: paused", "Resume collection"},
		{"paused in status", health.Status{State: health.ActionNeeded, Paused: true}, false, "AuditLight: paused", "Resume collection"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			rec := func(name string) func() { return func() { calls = append(calls, name) } }
			m := BuildTrayMenu(tc.status, tc.paused, TrayActions{
				Open: rec("open"), TestConnection: rec("test"), PauseResume: rec("pause"), Quit: rec("quit"),
			})
			var items []*fyne.MenuItem
			for _, it := range m.Items {
				if !it.IsSeparator {
					items = append(items, it)
				}
			}
			wantLabels := []string{tc.wantStatus, "Open AuditLight", "Test connection", tc.wantPause, "Quit"}
			if len(items) != len(wantLabels) {
				t.Fatalf("%d items, want %d", len(items), len(wantLabels))
			}
			for i, want := range wantLabels {
				if items[i].Label != want {
					t.Errorf("item %d = %q, want %q", i, items[i].Label, want)
				}
			}
			if !items[0].Disabled {
				t.Error("status line must be disabled")
			}
			last := m.Items[len(m.Items)-1]
			if !last.IsQuit || last.Label != "Quit" {
				t.Error("last item must be Quit with IsQuit so Fyne adds no second Quit")
			}
			for _, it := range items[1:] {
				it.Action()
			}
			if strings.Join(calls, ",") != "open,test,pause,quit" {
				t.Errorf("actions called %v", calls)
			}
		})
	}
}

func TestTrayStatusLineTruncates(t *testing.T) {
	long := health.Status{State: health.Degraded, Reason: strings.Repeat("Microsoft is slow today. ", 10)}
	line := []rune(TrayStatusLine(long, false))
	if len(line) != maxTrayStatus || line[len(line)-1] != '…' {
		t.Errorf("status line %q (%d runes)", string(line), len(line))
	}
}

func TestTrayMenuMissingActionsDisabled(t *testing.T) {
	m := BuildTrayMenu(health.Status{}, false, TrayActions{Open: func() {}})
	for _, it := range m.Items {
		if it.Label == "Test connection" && !it.Disabled {
			t.Error("item without action should be disabled")
		}
		if it.Label == "Open AuditLight" && it.Disabled {
			t.Error("item with action disabled")
		}
	}
}
