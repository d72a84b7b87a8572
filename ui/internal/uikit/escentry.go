package uikit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// EscapeEntry is an Entry that runs onEscape when Escape is pressed in it.
// Fyne hands keys to the focused widget only, so a dialog whose fields have
// the focus would otherwise ignore Escape.
type EscapeEntry struct {
	widget.Entry
	OnEscape func()
}

// NewEscapeEntry returns an entry; password hides the text behind a
// show/hide toggle like widget.NewPasswordEntry.
func NewEscapeEntry(password bool) *EscapeEntry {
	e := &EscapeEntry{}
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
func (e *EscapeEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.Entry.TypedKey(k)
}
