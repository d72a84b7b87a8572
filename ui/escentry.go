package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// escapeEntry is an Entry that runs onEscape when Escape is pressed in it.
// Fyne hands keys to the focused widget only, so a dialog whose fields have
// the focus would otherwise ignore Escape.
type escapeEntry struct {
	widget.Entry
	onEscape func()
}

// newEscapeEntry returns an entry; password hides the text behind a
// show/hide toggle like widget.NewPasswordEntry.
func newEscapeEntry(password bool) *escapeEntry {
	e := &escapeEntry{}
	e.ExtendBaseWidget(e)
	if password {
		e.Password = true
		var toggle *widget.Button
		toggle = widget.NewButtonWithIcon("", theme.VisibilityOffIcon(), func() {
			e.Password = !e.Password
			if e.Password {
				toggle.SetIcon(theme.VisibilityOffIcon())
			} else {
				toggle.SetIcon(theme.VisibilityIcon())
			}
			e.Refresh()
		})
		toggle.Importance = widget.LowImportance
		e.ActionItem = toggle
	}
	return e
}

// TypedKey implements fyne.Focusable.
func (e *escapeEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}
