package app

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui"
)

// tray keeps the system-tray icon and menu in step with the collector's
// status. The GUI's presenter calls apply on the Fyne goroutine; red and
// recovery notifications come from the presenter too.
type tray struct {
	a    fyne.App
	w    fyne.Window
	b    *backend
	mw   *ui.MainWindow
	quit func()
	desk desktop.App
	ok   bool
	// stopped is set when Fyne's loop has ended; nil before showGUI wires it.
	stopped *atomic.Bool
}

func newTray(a fyne.App, w fyne.Window, b *backend, quit func()) *tray {
	t := &tray{a: a, w: w, b: b, quit: quit}
	t.desk, t.ok = a.(desktop.App)
	if t.ok {
		st, _ := b.status.Latest()
		t.apply(st)
	}
	return t
}

// menu builds the tray menu for a status.
func (t *tray) menu(st health.Status) *fyne.Menu {
	return ui.BuildTrayMenu(st, st.Paused, ui.TrayActions{
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
	})
}

// apply updates the tray icon and menu; it runs on the Fyne goroutine.
func (t *tray) apply(st health.Status) {
	if !t.ok || (t.stopped != nil && t.stopped.Load()) {
		return
	}
	t.desk.SetSystemTrayIcon(trayIcon(st.State))
	t.desk.SetSystemTrayMenu(t.menu(st))
}
