package ui

import (
	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
)

// TrayActions are the callbacks behind the tray menu items. Nil callbacks
// leave their item disabled.
type TrayActions struct {
	Open           func() // show the main window
	TestConnection func() // run the test connection
	PauseResume    func() // toggle collection
	Quit           func() // orderly shutdown (flush collector, then quit)
}

// maxTrayStatus keeps the status line short enough for every tray.
const maxTrayStatus = 70

// TrayStatusLine is the first (disabled) line of the tray menu.
func TrayStatusLine(s health.Status, paused bool) string {
	line := "AuditLight: " + stateTitle(s.State)
	if paused || s.Paused {
		line = "AuditLight: paused"
	} else if s.Reason != "" && s.State != health.Healthy {
		line += " — " + s.Reason
	}
	r := []rune(line)
	if len(r) > maxTrayStatus {
		line = string(r[:maxTrayStatus-1]) + "…"
	}
	return line
}

// BuildTrayMenu builds the tray menu for a status: a disabled status line,
// Open AuditLight, Test connection, Pause/Resume collection and Quit (marked
// IsQuit so Fyne does not add its own). It is pure, so app rebuilds it on
// every status change (inside fyne.Do) and tests call the actions directly.
func BuildTrayMenu(status health.Status, paused bool, actions TrayActions) *fyne.Menu {
	statusItem := fyne.NewMenuItem(TrayStatusLine(status, paused), nil)
	statusItem.Disabled = true

	item := func(label string, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Disabled = f == nil
		return it
	}
	pauseLabel := "Pause collection"
	if paused || status.Paused {
		pauseLabel = "Resume collection"
	}
	quit := item("Quit", actions.Quit)
	quit.IsQuit = true
	quit.Disabled = false
	return fyne.NewMenu("AuditLight",
		statusItem,
		fyne.NewMenuItemSeparator(),
		item("Open AuditLight", actions.Open),
		item("Test connection", actions.TestConnection),
		item(pauseLabel, actions.PauseResume),
		fyne.NewMenuItemSeparator(),
		quit,
	)
}
