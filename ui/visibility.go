package ui

import "fyne.io/fyne/v2"

// VisibilityWindow is a fyne.Window that reports when it is shown or
// hidden (Fyne has no such event). app wraps the main window in one so
// that, hidden in the tray, the window holds no feed rows and does no
// work for screens nobody sees (issue 12: a tray app's idle cost).
type VisibilityWindow struct {
	fyne.Window
	visible  bool
	onChange func(visible bool)
}

// NewVisibilityWindow wraps w, which must not be shown yet.
func NewVisibilityWindow(w fyne.Window) *VisibilityWindow { return &VisibilityWindow{Window: w} }

// Show reports the window visible when it was hidden, then shows it: what
// the report builds or reloads (the main window's screens, first shown) is
// on the window before the GL driver maps it and paints its first frame,
// which then shows that content rather than an empty window (issue 12).
func (w *VisibilityWindow) Show() {
	w.set(true)
	w.Window.Show()
}

// Hide hides the window and reports it when it was shown.
func (w *VisibilityWindow) Hide() {
	w.Window.Hide()
	w.set(false)
}

// Visible reports whether the window was last shown rather than hidden.
func (w *VisibilityWindow) Visible() bool { return w.visible }

// OnVisibilityChanged sets the function called (on the Fyne goroutine)
// each time the window goes from hidden to shown or back.
func (w *VisibilityWindow) OnVisibilityChanged(f func(visible bool)) { w.onChange = f }

func (w *VisibilityWindow) set(v bool) {
	if w.visible == v {
		return
	}
	w.visible = v
	if w.onChange != nil {
		w.onChange(v)
	}
}
