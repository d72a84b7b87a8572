package ui

import (
	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// closeQuestion explains why closing asks before quitting.
const closeQuestion = "This desktop shows no system tray (no StatusNotifier host), so AuditLight cannot keep running out of sight: you would have no icon and no window. Quitting stops collecting until you start AuditLight again; while it is closed nothing is lost for up to 7 days."

// CloseHandler returns the main window's close intercept. With a tray host
// (trayHost reports true) closing hides the window to the tray; without one
// it asks whether to quit or keep the window open, so AuditLight never runs
// invisibly. trayHost is asked at each close, so a tray that appears or
// disappears later is honoured. It runs on the Fyne goroutine.
func CloseHandler(w fyne.Window, trayHost func() bool, quit func()) func() {
	return (&closeHandler{w: w, trayHost: trayHost, quit: quit}).close
}

type closeHandler struct {
	w        fyne.Window
	trayHost func() bool
	quit     func()
	open     *uikit.Modal // the question, while shown
}

func (h *closeHandler) close() {
	if h.trayHost != nil && h.trayHost() {
		h.w.Hide()
		return
	}
	if h.open != nil && h.open.Visible() {
		return
	}
	h.open = uikit.NewModal(h.w.Canvas(), "Quit AuditLight?", uikit.Para(closeQuestion), "Quit", h.quit)
	h.open.CancelButton.SetText("Keep window open")
	h.open.Show(h.w.Canvas())
}

// WindowMenu is the main window's menu: it always has Quit (the only way
// out when there is no tray) and Hide window when a tray host can bring it
// back.
func WindowMenu(w fyne.Window, trayHost func() bool, quit func()) *fyne.MainMenu {
	hide := fyne.NewMenuItem("Hide to tray", func() {
		if trayHost != nil && trayHost() {
			w.Hide()
		}
	})
	q := fyne.NewMenuItem("Quit", quit)
	q.IsQuit = true
	return fyne.NewMainMenu(fyne.NewMenu("AuditLight", hide, fyne.NewMenuItemSeparator(), q))
}
