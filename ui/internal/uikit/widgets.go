// Package uikit holds the small widgets and helpers AuditLight's screens
// share: labels and messages, the modal dialog, links that fall back to a
// copyable address, the Escape-aware entry, and the formatters of counts,
// durations and error sentences. It knows nothing of the backend.
package uikit

import (
	"image/color"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/glyph"
	"github.com/auditlight/auditlight/ui/uigate"
)

// DisplayText prepares text from other packages for a label (glyph.Safe).
func DisplayText(s string) string { return glyph.Safe(s) }

// Para is a wrapping paragraph of plain text.
func Para(text string) *widget.Label {
	l := widget.NewLabel(DisplayText(text))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Heading is a bold label.
func Heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// CopyRow shows a value the admin must type elsewhere with a Copy button;
// g brings the button back from "Copied".
func CopyRow(g *uigate.Gate, caption, value string) fyne.CanvasObject {
	var btn *widget.Button
	btn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(value)
		Copied(g, btn)
	})
	v := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.Selectable = true
	if caption == "" {
		return container.NewBorder(nil, nil, nil, btn, v)
	}
	return container.NewBorder(nil, nil, widget.NewLabel(caption), btn, v)
}

// Message is a wrapping label used for as-you-type feedback.
func Message() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// SetMessage shows text with importance, or hides the label for "".
func SetMessage(l *widget.Label, text string, imp widget.Importance) {
	if text == "" {
		l.SetText("")
		l.Hide()
		return
	}
	l.Importance = imp
	l.SetText(DisplayText(text))
	l.Show()
}

// MinHeight reserves at least h of height for o, so showing or hiding parts
// of o (a fix text, an action button, a banner) does not move what follows.
func MinHeight(h float32, o fyne.CanvasObject) *fyne.Container {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, h))
	return container.NewStack(r, o)
}

// LineHeight is the height of one line of body text in a label.
func LineHeight() float32 { return widget.NewLabel("Xg").MinSize().Height }

// ButtonHeight is the height of a standard button.
func ButtonHeight() float32 { return widget.NewButton("Xg", nil).MinSize().Height }

// copiedFor is how long a Copy button says "Copied".
const copiedFor = 2 * time.Second

// Copied shows on btn that the copy worked, then restores it through g
// (not once the app's quit has begun).
func Copied(g *uigate.Gate, btn *widget.Button) {
	btn.SetText("Copied")
	btn.SetIcon(theme.ConfirmIcon())
	time.AfterFunc(copiedFor, func() {
		g.Do(func() {
			btn.SetText("Copy")
			btn.SetIcon(theme.ContentCopyIcon())
		})
	})
}

// Now is clock's time, or time.Now when clock is nil: the screens' Options
// take an optional clock.
func Now(clock func() time.Time) time.Time {
	if clock == nil {
		return time.Now()
	}
	return clock()
}

// Logger is l, or a logger that discards everything when l is nil.
func Logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// SetLabel gives l the text, importance and boldness, refreshing it only when
// one of them changed: a refresh shapes the text again and drops its drawn
// texture, so a list re-bound with the rows it already shows (a reload that
// found nothing new, a row scrolled back into place) costs next to nothing.
func SetLabel(l *widget.Label, text string, importance widget.Importance, bold bool) {
	if l.Text == text && l.Importance == importance && l.TextStyle.Bold == bold {
		return
	}
	l.Text, l.Importance, l.TextStyle.Bold = text, importance, bold
	l.Refresh()
}
