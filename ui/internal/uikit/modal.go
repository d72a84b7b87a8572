package uikit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Modal is a small confirm/cancel dialog built on widget.ModalPopUp. Unlike
// dialog.NewCustomConfirm it exposes its confirm button, so the rotate-secret
// dialog can keep Save disabled while the input is invalid, and tests can
// confirm it directly. File saving uses Fyne's native dialog (export.go).
type Modal struct {
	Pop           *widget.PopUp
	canvas        fyne.Canvas
	Body          fyne.CanvasObject // the content, measured unscrolled
	Title         string
	Text          string // the message of a message box
	prevKey       func(*fyne.KeyEvent)
	ConfirmButton *widget.Button
	CancelButton  *widget.Button
	onConfirm     func()
	OnCancel      func()
}

// NewModal builds (but does not show) a modal with a title, content and
// buttons; confirmText "" makes it a message box with a single Close button.
func NewModal(c fyne.Canvas, title string, content fyne.CanvasObject, confirmText string, onConfirm func()) *Modal {
	m := &Modal{onConfirm: onConfirm, canvas: c, Body: content, Title: title}
	m.CancelButton = widget.NewButton("Cancel", m.Dismiss)
	buttons := container.NewHBox(layout.NewSpacer(), m.CancelButton)
	if confirmText == "" {
		m.CancelButton.SetText("Close")
	} else {
		m.ConfirmButton = widget.NewButtonWithIcon(confirmText, theme.ConfirmIcon(), m.Confirm)
		m.ConfirmButton.Importance = widget.HighImportance
		buttons.Add(m.ConfirmButton)
	}
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.SizeName = theme.SizeNameSubHeadingText
	body := container.NewBorder(t, buttons, nil, nil, container.NewVScroll(content))
	m.Pop = widget.NewModalPopUp(container.NewPadded(body), c)
	return m
}

// Show displays the modal within the canvas, tall enough for its whole
// content when the window allows (so no field hides below the fold), and
// closes it on Escape.
func (m *Modal) Show(c fyne.Canvas) {
	size := c.Size()
	w := fyne.Max(fyne.Min(size.Width-40, 620), 300)
	// measure the content at the width it will get: wrapped text grows taller
	// when narrower
	m.Body.Resize(fyne.NewSize(w-6*theme.Padding(), m.Body.MinSize().Height))
	chrome := m.Pop.Content.MinSize().Height // title, buttons, padding and a minimal scroller
	h := fyne.Min(size.Height-40, fyne.Max(chrome+m.Body.MinSize().Height, 200))
	m.Pop.Resize(fyne.NewSize(w, h))
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
	m.Pop.Show()
}

// hide closes the popup and gives the canvas its key handler back.
func (m *Modal) Hide() {
	if m.Pop.Visible() {
		m.canvas.SetOnTypedKey(m.prevKey)
	}
	m.Pop.Hide()
}

// Confirm runs the confirm action and closes the modal.
func (m *Modal) Confirm() {
	if m.ConfirmButton != nil && m.ConfirmButton.Disabled() {
		return
	}
	m.Hide()
	if m.onConfirm != nil {
		m.onConfirm()
	}
}

// Dismiss closes the modal without confirming.
func (m *Modal) Dismiss() {
	m.Hide()
	if m.OnCancel != nil {
		m.OnCancel()
	}
}

// Visible reports whether the modal is shown.
func (m *Modal) Visible() bool { return m.Pop.Visible() }

// ShowMessage shows an information or error box.
func ShowMessage(win fyne.Window, title, text string) *Modal {
	m := NewModal(win.Canvas(), title, Para(text), "", nil)
	m.Text = text
	m.Show(win.Canvas())
	return m
}
