package events

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// feedColumn is one column of the event feed: fixed columns are as wide as
// their widest typical value (Sample), so a time or an IP address is never
// cut; flexible columns share the rest by Share.
type feedColumn struct {
	Title  string
	Sample string  // widest typical value of a fixed column; "" = flexible
	Share  float32 // flexible columns: relative share of the remaining width
	Min    float32 // flexible columns: narrowest useful width
}

// feedColumns are the event feed's columns, in order.
func feedColumns() []feedColumn {
	return []feedColumn{
		{Title: "Time", Sample: "2026-12-31 23:59:59"},
		{Title: "User", Share: 0.55, Min: 110},
		{Title: "Operation", Share: 0.45, Min: 100},
		{Title: "Workload", Sample: "AzureActiveDirectory"},
		{Title: "Client IP", Sample: "2001:db8:85a3::8a2e"},
		{Title: "Result", Sample: "Succeeded"},
	}
}

// columnsLayout lays out the feed's cells side by side so the header and
// every row line up. One instance is shared by the header and all rows; the
// fixed widths are measured once, with the theme's text size.
type columnsLayout struct {
	fixed []float32 // per column: the fixed width, 0 for flexible columns
}

func newColumnsLayout() *columnsLayout {
	// the label's own padding, plus a margin: the GL driver rounds glyph
	// advances up to whole pixels, so text measured to fit exactly was
	// still cut with "…" on screen
	pad := 2*theme.InnerPadding() + 2*theme.Padding()
	l := &columnsLayout{}
	for _, c := range feedColumns() {
		w := float32(0)
		if c.Sample != "" {
			w = fyne.Max(fyne.MeasureText(c.Sample, theme.TextSize(), fyne.TextStyle{}).Width,
				fyne.MeasureText(c.Title, theme.TextSize(), fyne.TextStyle{Bold: true}).Width) + pad
		}
		l.fixed = append(l.fixed, w)
	}
	return l
}

// widths returns each column's width for a total width.
func (l *columnsLayout) widths(total float32) []float32 {
	cols := feedColumns()
	out := make([]float32, len(cols))
	rest := total
	var shares float32
	for i, c := range cols {
		if l.fixed[i] > 0 {
			out[i] = l.fixed[i]
			rest -= l.fixed[i]
		} else {
			shares += c.Share
		}
	}
	for i, c := range cols {
		if l.fixed[i] == 0 {
			out[i] = fyne.Max(c.Min, rest*c.Share/shares)
		}
	}
	return out
}

// Layout implements fyne.Layout.
func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	ws := l.widths(size.Width)
	x := float32(0)
	for i, o := range objs {
		w := float32(0)
		if i < len(ws) {
			w = ws[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// MinSize implements fyne.Layout: the fixed columns plus the flexible
// columns' minimum widths, so the list never squeezes a time or an IP.
func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, c := range feedColumns() {
		if l.fixed[i] > 0 {
			s.Width += l.fixed[i]
		} else {
			s.Width += c.Min
		}
	}
	for _, o := range objs {
		s.Height = fyne.Max(s.Height, o.MinSize().Height)
	}
	return s
}
