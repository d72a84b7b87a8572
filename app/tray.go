package app

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui"
)

// tray keeps the system-tray icon, tooltip-like status line and menu in
// step with the collector's status, and sends a desktop notification when
// the status turns red and when it recovers.
type tray struct {
	a     fyne.App
	w     fyne.Window
	b     *backend
	shell *shell
	quit  func()
	desk  desktop.App
	ok    bool
}

func newTray(a fyne.App, w fyne.Window, b *backend, sh *shell, quit func()) *tray {
	t := &tray{a: a, w: w, b: b, shell: sh, quit: quit}
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
		Open:           func() { t.w.Show(); t.w.RequestFocus() },
		TestConnection: func() { t.w.Show(); t.shell.testConnection() },
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

// apply updates icon and menu; it runs on the Fyne goroutine.
func (t *tray) apply(st health.Status) {
	if !t.ok {
		return
	}
	t.desk.SetSystemTrayIcon(trayIcon(st.State))
	t.desk.SetSystemTrayMenu(t.menu(st))
}

// follow applies status changes (coalesced) and notifies on red/recovery.
func (t *tray) follow(ctx context.Context, log *slog.Logger) {
	ch, cancel := t.b.status.Subscribe()
	defer cancel()
	var (
		lastState health.State = -1
		lastPause bool
		wasRed    bool
	)
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-ch:
			if !ok {
				return
			}
			if st.State != lastState {
				log.Info("status", "state", st.State.String(), "colour", st.Colour, "reason", st.Reason)
			}
			changed := st.State != lastState || st.Paused != lastPause
			if st.State == health.ActionNeeded && !wasRed {
				t.a.SendNotification(fyne.NewNotification("AuditLight needs your attention", st.Reason+" "+st.Fix))
				wasRed = true
			} else if wasRed && (st.State == health.Healthy || st.State == health.WaitingForData) {
				t.a.SendNotification(fyne.NewNotification("AuditLight is collecting again", st.Reason))
				wasRed = false
			}
			lastState, lastPause = st.State, st.Paused
			if changed {
				fyne.Do(func() { t.apply(st) })
			}
			// coalesce bursts of updates
			select {
			case <-ctx.Done():
				return
			case <-time.After(250 * time.Millisecond):
			}
		}
	}
}
