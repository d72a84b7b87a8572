package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"

	"github.com/auditlight/auditlight/assets"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui"
)

// tray keeps the system-tray icon, menu and tooltip in step with the
// collector's status. The GUI's presenter calls apply on the Fyne
// goroutine; red and recovery notifications come from the presenter too.
// ui.TraySync sends only what changed.
type tray struct {
	a    fyne.App
	w    fyne.Window
	b    *backend
	mw   *ui.MainWindow
	quit func()
	desk desktop.App
	ok   bool
	// own is the tray the app drives itself (ostray.go); nil when the tray
	// is Fyne's (macOS) or there is none.
	own  *ownTray
	sync *ui.TraySync
}

// newTray makes the tray of a desktop app a; own, when not nil, is the
// tray the app drives itself (platformTray), else Fyne's driver makes it.
func newTray(a fyne.App, w fyne.Window, b *backend, quit func(), own *ownTray) *tray {
	t := &tray{a: a, w: w, b: b, quit: quit}
	t.desk, t.ok = a.(desktop.App)
	t.sync = &ui.TraySync{
		Icon:       trayIcon,
		BadgedIcon: assets.TrayIconBadged,
		Actions:    t.actions(),
	}
	if t.ok {
		if own != nil {
			t.own = own
			t.sync.SetIcon, t.sync.SetMenu, t.sync.SetTooltip = own.setIcon, own.setMenu, own.setTooltip
		} else {
			t.sync.SetIcon = t.desk.SetSystemTrayIcon
			t.sync.SetMenu = t.desk.SetSystemTrayMenu
			// Fyne does not wrap the tooltip; systray sets the menu-bar tooltip
			// (macOS, the one desktop where the tray stays Fyne's).
			t.sync.SetTooltip = systray.SetTooltip
		}
		st, _ := b.status.Latest()
		t.apply(st)
	}
	return t
}

// start shows the app's own tray icon (Fyne's starts with its event loop).
func (t *tray) start() {
	if t.own != nil {
		t.own.run()
	}
}

// end removes the app's own tray icon once the event loop is over.
func (t *tray) end() {
	if t.own != nil {
		t.own.end()
	}
}

// actions are the tray menu's callbacks.
func (t *tray) actions() ui.TrayActions {
	return ui.TrayActions{
		Open: func() { t.w.Show(); t.w.RequestFocus() },
		TestConnection: func() {
			t.w.Show()
			if t.mw != nil {
				t.mw.TestConnection()
			}
		},
		PauseResume: func() {
			if st, _ := t.b.status.Latest(); st.Paused {
				t.b.Resume()
			} else {
				t.b.Pause()
			}
		},
		Quit: t.quit,
		OpenFindings: func() {
			t.w.Show()
			t.w.RequestFocus()
			if t.mw != nil {
				t.mw.ShowFindings()
			}
		},
	}
}

// findings badges the tray icon and sets the findings line; it runs on the
// Fyne goroutine, as work that passed the app's gate (none once the quit
// has begun: systray's D-Bus connection is closed then).
func (t *tray) findings(s finding.Summary, openMedium bool) {
	if !t.ok {
		return
	}
	t.sync.SetFindings(s, openMedium)
}

// apply updates the tray; it runs on the Fyne goroutine, as work that
// passed the app's gate, or before the event loop starts.
func (t *tray) apply(st health.Status) {
	if !t.ok {
		return
	}
	t.sync.Apply(st)
}
