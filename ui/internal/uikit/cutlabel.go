package uikit

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Ellipsis ends a text cut to fit.
const Ellipsis = "…"

// CutLabel is a one-line label that ends a text too wide for it with "…",
// as a label with fyne.TextTruncateEllipsis does, at a fraction of the cost.
// Fyne 2.8.1's ellipsis builds a new HarfBuzz shaper (the font's GSUB/GPOS
// lookup tables and a shape plan) at every refresh of every such label:
// 0.57 ms each, ~100 ms for a screen of Events rows (issue 12). A CutLabel
// measures with fyne.MeasureText, which shapes with Fyne's shared shaper and
// caches each text's size, cuts the text itself when its width or text
// changes, and shows the result clipped (never wider than the label).
//
// Set the text with SetText or Set, not through the embedded Label's Text.
type CutLabel struct {
	widget.Label
	full  string
	width float32 // the width the shown text was cut for; 0 before the first layout
}

// NewCutLabel returns a CutLabel showing text.
func NewCutLabel(text string) *CutLabel {
	l := &CutLabel{full: text}
	l.Text = text
	l.Truncation = fyne.TextTruncateClip
	l.ExtendBaseWidget(l)
	return l
}

// Full returns the whole text, before any cut.
func (l *CutLabel) Full() string { return l.full }

// SetText shows text, cut to the label's width.
func (l *CutLabel) SetText(text string) { l.Set(text, l.Importance, l.TextStyle.Bold) }

// Set shows text with importance and weight; it refreshes only on a change
// (a feed's rows are bound again on every scroll).
func (l *CutLabel) Set(text string, importance widget.Importance, bold bool) {
	if text == l.full && importance == l.Importance && bold == l.TextStyle.Bold {
		return
	}
	l.full, l.Importance, l.TextStyle.Bold = text, importance, bold
	l.Text = l.cut(l.width)
	l.Refresh()
}

// Resize cuts the text again when the width changes.
func (l *CutLabel) Resize(size fyne.Size) {
	if size.Width != l.width {
		l.width = size.Width
		if text := l.cut(size.Width); text != l.Text {
			l.Text = text
			l.Label.Resize(size)
			l.Refresh()
			return
		}
	}
	l.Label.Resize(size)
}

// cut returns the full text as it fits a label width wide: the label's
// inner padding on either side, then the text, cut with an ellipsis when it
// does not fit. Before the first layout (width 0) it is the whole text.
func (l *CutLabel) cut(width float32) string {
	if width <= 0 {
		return l.full
	}
	th := l.Theme()
	size := l.SizeName
	if size == "" {
		size = theme.SizeNameText
	}
	return Cut(l.full, width-2*th.Size(theme.SizeNameInnerPadding), th.Size(size), l.TextStyle)
}

// Cut returns text if it fits width when drawn at size in style, else its
// longest prefix that fits with Ellipsis after it (trailing spaces dropped),
// or the ellipsis alone when nothing fits.
func Cut(text string, width, size float32, style fyne.TextStyle) string {
	fits := func(s string) bool { return fyne.MeasureText(s, size, style).Width <= width }
	if text == "" || fits(text) {
		return text
	}
	runes := []rune(text)
	lo, hi := 0, len(runes)-1 // runes[:lo] + "…" fits (lo = 0: the ellipsis alone); runes[:hi+1] + "…" does not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(string(runes[:mid]) + Ellipsis) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(runes[:lo]), " ") + Ellipsis
}
