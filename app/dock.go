package app

import (
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/internal/macapp"
)

// dockWindow is the main window as the tray, the close button, the window
// menu and a second launch see it: showing it also shows the macOS Dock
// icon and brings the app forward, hiding it to the tray removes the Dock
// icon (activation policy Regular / Accessory). Elsewhere the Dock does
// nothing and this is the plain window.
type dockWindow struct {
	fyne.Window
	dock *macapp.Dock
}

// Show switches to Regular before the window appears, so it opens in front.
func (w dockWindow) Show() {
	w.dock.Shown()
	w.Window.Show()
}

// Hide removes the Dock icon once the window is gone.
func (w dockWindow) Hide() {
	w.Window.Hide()
	w.dock.Hidden()
}

// bringForward shows the window and gives it the keyboard: the tray's Open,
// a second launch and a reopen from Finder/Spotlight/Dock all do this.
func (w dockWindow) bringForward() {
	w.Show()
	w.RequestFocus()
}

// started runs once the Fyne driver runs (Lifecycle OnStarted, main
// thread): it sets the Dock icon for how the app started (hidden = tray
// only, e.g. at login) and brings the window back, through do (the app's
// gate), when the running app is opened again. The returned function
// removes the reopen handler.
func (w dockWindow) started(hidden bool, do func(func()), log *slog.Logger) (stop func()) {
	if hidden {
		w.dock.Hidden()
	} else {
		w.dock.Shown()
	}
	stop, err := w.dock.OnReopen(func() { do(w.bringForward) })
	if err != nil {
		log.Warn("reopening AuditLight from Finder or the Dock will not bring its window back", "err", err)
		return func() {}
	}
	return stop
}
