package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
		{"paused by user", health.Status{State: health.Healthy}, true, "AuditLight: Paused", "Resume collection"},
		{"paused in status", health.Status{State: health.Degraded, Paused: true, Reason: "Collection is paused."}, false, "AuditLight: Paused", "Resume collection"},
		{"red while paused says red", health.Status{State: health.ActionNeeded, Paused: true, Reason: "The client secret has expired."}, false,
			"AuditLight: Action needed — The client secret has expired.", "Resume collection"},
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

// The status line wraps between words into at most two lines (item 10: it
// was cut mid-word).
func TestTrayStatusLinesWrapAtWords(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		lines  int
		ellip  bool
	}{
		{"short", "Throttled.", 1, false},
		{"two lines", "Microsoft is throttling; catching up more slowly. Nothing to do.", 2, false},
		{"too long", strings.Repeat("Microsoft is slow today. ", 10), 2, true},
		{"one huge word", strings.Repeat("x", 200), 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := health.Status{State: health.Degraded, Reason: tc.reason}
			lines := TrayStatusLines(st, false)
			if len(lines) != tc.lines {
				t.Fatalf("%d lines %q, want %d", len(lines), lines, tc.lines)
			}
			joined := strings.Join(lines, " ")
			for _, l := range lines {
				if n := len([]rune(l)); n > maxTrayStatus {
					t.Errorf("line %q has %d runes", l, n)
				}
			}
			if strings.HasSuffix(joined, "…") != tc.ellip {
				t.Errorf("ellipsis %v in %q", !tc.ellip, joined)
			}
			full := TrayStatusLine(st, false)
			if !tc.ellip && joined != full {
				t.Errorf("wrapped %q, want %q", joined, full)
			}
			if tc.name != "one huge word" {
				kept := strings.TrimSuffix(joined, "…")
				if !strings.HasPrefix(full, kept) || (len(kept) < len(full) && full[len(kept)] != ' ') {
					t.Errorf("cut mid-word: %q of %q", kept, full)
				}
			}
		})
	}
}

// Pause makes no sense before setup (item 10) nor while the collector does
// not run; a paused collector can always be resumed.
func TestTrayPauseDisabledWithoutACollector(t *testing.T) {
	tests := []struct {
		name        string
		status      health.Status
		paused      bool
		wantEnabled bool
	}{
		{"not set up", health.Status{State: health.NotConfigured}, false, false},
		{"collector did not start", health.Status{State: health.ActionNeeded, NotRunningSince: time.Unix(1, 0)}, false, false},
		{"collecting", health.Status{State: health.Healthy}, false, true},
		{"paused", health.Status{State: health.Degraded, Paused: true}, true, true},
	}
	for _, tc := range tests {
		m := BuildTrayMenu(tc.status, tc.paused, TrayActions{PauseResume: func() {}})
		found := false
		for _, it := range m.Items {
			if it.Label == "Pause collection" || it.Label == "Resume collection" {
				found = true
				if it.Disabled == tc.wantEnabled {
					t.Errorf("%s: %q enabled %v, want %v", tc.name, it.Label, !it.Disabled, tc.wantEnabled)
				}
			}
		}
		if !found {
			t.Errorf("%s: no Pause/Resume item", tc.name)
		}
	}
}

// The menu is re-sent only when what the tray shows changes (item 10: ~420
// sends a minute during backfill), the icon only when the state changes, and
// the tooltip says the state.
func TestTraySyncSendsOnlyChanges(t *testing.T) {
	var menus, icons int
	var tip string
	ts := &TraySync{
		Icon:       func(health.State) fyne.Resource { return nil },
		SetIcon:    func(fyne.Resource) { icons++ },
		SetMenu:    func(*fyne.Menu) { menus++ },
		SetTooltip: func(s string) { tip = s },
		Actions:    TrayActions{Open: func() {}},
	}
	for pct := range 100 { // a backfill publishes a status per window
		ts.Apply(health.Status{State: health.Healthy, Backfilling: true, Backfill: float64(pct),
			Reason: fmt.Sprintf("Online and logging; catching up on the last 7 days (%d %%).", pct)})
	}
	if menus != 1 || icons != 1 {
		t.Errorf("100 backfill statuses sent the menu %d and the icon %d times, want 1 and 1", menus, icons)
	}
	if !strings.HasPrefix(tip, "AuditLight — Collecting\n") || !strings.Contains(tip, "99 %") {
		t.Errorf("tooltip %q", tip)
	}
	ts.Apply(health.Status{State: health.ActionNeeded, Reason: "The client secret has expired."})
	if menus != 2 || icons != 2 {
		t.Errorf("turning red sent the menu %d and the icon %d times in all, want 2 and 2", menus, icons)
	}
	if got := ts.Menu().Items[0].Label; got != "AuditLight: Action needed — The client secret has expired." {
		t.Errorf("menu status %q", got)
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
