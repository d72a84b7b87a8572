package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Without a tray host, closing the window must not leave an invisible
// process: it asks, keeps the window on "Keep window open" and quits on
// "Quit"; with a tray it hides (issue 10, item 3).
func TestCloseWithoutTrayAsksInsteadOfHiding(t *testing.T) {
	tests := []struct {
		name       string
		tray       bool
		confirm    bool
		wantHidden bool
		wantQuit   bool
	}{
		{"tray: hide", true, false, true, false},
		{"no tray, keep open", false, false, false, false},
		{"no tray, quit", false, true, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			w := &hideSpy{Window: test.NewTempWindow(t, widget.NewLabel("AuditLight"))}
			w.Resize(fyne.NewSize(800, 600))
			quits := 0
			h := &closeHandler{w: w, trayHost: func() bool { return tc.tray }, quit: func() { quits++ }}
			h.close()
			if !tc.tray {
				if h.open == nil || !h.open.Visible() || w.Canvas().Overlays().Top() == nil {
					t.Fatal("closing without a tray neither asked nor quit")
				}
				text := h.open.Title + "\n" + allText(h.open.Body) + h.open.CancelButton.Text + "\n" + h.open.ConfirmButton.Text
				for _, want := range []string{"Quit AuditLight?", "Keep window open", "Quit", "no system tray"} {
					if !strings.Contains(text, want) {
						t.Errorf("close dialog lacks %q: %q", want, text)
					}
				}
				if tc.confirm {
					test.Tap(h.open.ConfirmButton)
				} else {
					test.Tap(h.open.CancelButton)
				}
			} else if w.Canvas().Overlays().Top() != nil {
				t.Error("a dialog was shown although the tray can bring the window back")
			}
			if (w.hidden > 0) != tc.wantHidden {
				t.Errorf("hidden %d times, want hidden=%v", w.hidden, tc.wantHidden)
			}
			if (quits > 0) != tc.wantQuit {
				t.Errorf("quit called %d times, want quit=%v", quits, tc.wantQuit)
			}
		})
	}
}

// hideSpy counts Hide calls (the test window does not track visibility).
type hideSpy struct {
	fyne.Window
	hidden int
}

func (h *hideSpy) Hide() { h.hidden++; h.Window.Hide() }

func TestWindowMenuHasQuit(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	quits := 0
	m := WindowMenu(w, func() bool { return false }, func() { quits++ })
	items := m.Items[0].Items
	last := items[len(items)-1]
	if last.Label != "Quit" || !last.IsQuit {
		t.Fatalf("last window menu item %q (IsQuit %v)", last.Label, last.IsQuit)
	}
	last.Action()
	if quits != 1 {
		t.Error("Quit did not quit")
	}
}
