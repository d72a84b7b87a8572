package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// modal is a small confirm/cancel dialog built on widget.ModalPopUp. Unlike
// dialog.NewCustomConfirm it exposes its confirm button, so the rotate-secret
// dialog can keep Save disabled while the input is invalid, and tests can
// confirm it directly. File saving uses Fyne's native dialog (export.go).
type modal struct {
	pop       *widget.PopUp
	canvas    fyne.Canvas
	body      fyne.CanvasObject // the content, measured unscrolled
	title     string
	text      string // the message of a message box
	prevKey   func(*fyne.KeyEvent)
	confirm   *widget.Button
	cancel    *widget.Button
	onConfirm func()
	onCancel  func()
}

// newModal builds (but does not show) a modal with a title, content and
// buttons; confirmText "" makes it a message box with a single Close button.
func newModal(c fyne.Canvas, title string, content fyne.CanvasObject, confirmText string, onConfirm func()) *modal {
	m := &modal{onConfirm: onConfirm, canvas: c, body: content, title: title}
	m.cancel = widget.NewButton("Cancel", m.Dismiss)
	buttons := container.NewHBox(layout.NewSpacer(), m.cancel)
	if confirmText == "" {
		m.cancel.SetText("Close")
	} else {
		m.confirm = widget.NewButtonWithIcon(confirmText, theme.ConfirmIcon(), m.Confirm)
		m.confirm.Importance = widget.HighImportance
		buttons.Add(m.confirm)
	}
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.SizeName = theme.SizeNameSubHeadingText
	body := container.NewBorder(t, buttons, nil, nil, container.NewVScroll(content))
	m.pop = widget.NewModalPopUp(container.NewPadded(body), c)
	return m
}

// Show displays the modal within the canvas, tall enough for its whole
// content when the window allows (so no field hides below the fold), and
// closes it on Escape.
func (m *modal) Show(c fyne.Canvas) {
	size := c.Size()
	w := fyne.Max(fyne.Min(size.Width-40, 620), 300)
	// measure the content at the width it will get: wrapped text grows taller
	// when narrower
	m.body.Resize(fyne.NewSize(w-6*theme.Padding(), m.body.MinSize().Height))
	chrome := m.pop.Content.MinSize().Height // title, buttons, padding and a minimal scroller
	h := fyne.Min(size.Height-40, fyne.Max(chrome+m.body.MinSize().Height, 200))
	m.pop.Resize(fyne.NewSize(w, h))
	m.prevKey = c.OnTypedKey()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			m.Dismiss()
			return
		}
		if m.prevKey != nil {
			m.prevKey(k)
		}
	})
	m.pop.Show()
}

// hide closes the popup and gives the canvas its key handler back.
func (m *modal) hide() {
	if m.pop.Visible() {
		m.canvas.SetOnTypedKey(m.prevKey)
	}
	m.pop.Hide()
}

// Confirm runs the confirm action and closes the modal.
func (m *modal) Confirm() {
	if m.confirm != nil && m.confirm.Disabled() {
		return
	}
	m.hide()
	if m.onConfirm != nil {
		m.onConfirm()
	}
}

// Dismiss closes the modal without confirming.
func (m *modal) Dismiss() {
	m.hide()
	if m.onCancel != nil {
		m.onCancel()
	}
}

// Visible reports whether the modal is shown.
func (m *modal) Visible() bool { return m.pop.Visible() }

// showMessage shows an information or error box.
func showMessage(win fyne.Window, title, text string) *modal {
	m := newModal(win.Canvas(), title, para(text), "", nil)
	m.text = text
	m.Show(win.Canvas())
	return m
}
