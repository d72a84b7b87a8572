package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// displayText prepares text from other packages for a label. Fyne's bundled
// font has no "→": it falls back to a glyph drawn as "→�", so arrows become
// the "›" the wizard uses for menu paths.
func displayText(s string) string { return strings.ReplaceAll(s, "→", "›") }

// para is a wrapping paragraph of plain text.
func para(text string) *widget.Label {
	l := widget.NewLabel(displayText(text))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// heading is a bold label.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// copyRow shows a value the admin must type elsewhere with a Copy button.
func copyRow(caption, value string) fyne.CanvasObject {
	var btn *widget.Button
	btn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(value)
		copied(btn)
	})
	v := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.Selectable = true
	if caption == "" {
		return container.NewBorder(nil, nil, nil, btn, v)
	}
	return container.NewBorder(nil, nil, widget.NewLabel(caption), btn, v)
}

// message is a wrapping label used for as-you-type feedback.
func message() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setMessage shows text with importance, or hides the label for "".
func setMessage(l *widget.Label, text string, imp widget.Importance) {
	if text == "" {
		l.SetText("")
		l.Hide()
		return
	}
	l.Importance = imp
	l.SetText(displayText(text))
	l.Show()
}

// minHeight reserves at least h of height for o, so showing or hiding parts
// of o (a fix text, an action button, a banner) does not move what follows.
func minHeight(h float32, o fyne.CanvasObject) *fyne.Container {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, h))
	return container.NewStack(r, o)
}

// lineHeight is the height of one line of body text in a label.
func lineHeight() float32 { return widget.NewLabel("Xg").MinSize().Height }

// buttonHeight is the height of a standard button.
func buttonHeight() float32 { return widget.NewButton("Xg", nil).MinSize().Height }

// copiedFor is how long a Copy button says "Copied".
const copiedFor = 2 * time.Second

// copied shows on btn that the copy worked, then restores it.
func copied(btn *widget.Button) {
	btn.SetText("Copied")
	btn.SetIcon(theme.ConfirmIcon())
	time.AfterFunc(copiedFor, func() {
		fyne.Do(func() {
			btn.SetText("Copy")
			btn.SetIcon(theme.ContentCopyIcon())
		})
	})
}
