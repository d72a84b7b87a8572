package ui

import "fyne.io/fyne/v2"

// columnsLayout lays out the feed's cells side by side with the relative
// widths from feedColumns, so the header and every row line up.
type columnsLayout struct{}

// Layout implements fyne.Layout.
func (columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	cols := feedColumns()
	x := float32(0)
	for i, o := range objs {
		share := float32(1) / float32(len(objs))
		if i < len(cols) {
			share = cols[i].Share
		}
		w := size.Width * share
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// MinSize implements fyne.Layout.
func (columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = fyne.Max(s.Height, m.Height)
	}
	return s
}
