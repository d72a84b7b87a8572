package ui

import (
	"fmt"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/internal/numfmt"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// chartHours is the span of the activity chart: the last 7 days.
const chartHours = 7 * 24

// chartModel is the activity chart's data: per hour, per workload counts.
type chartModel struct {
	Start     time.Time // start of the first hour bucket
	Workloads []string  // sorted legend order
	Buckets   [][]int64 // [hour][workload index]
	Max       int64     // largest stacked hour total
	Total     int64     // sum over everything shown
}

// buildChartModel buckets counts into hours starting at start (truncated to
// the hour); counts outside the span are ignored.
func buildChartModel(counts []HourCount, start time.Time, hours int) chartModel {
	m := chartModel{Start: start.Truncate(time.Hour), Buckets: make([][]int64, hours)}
	index := map[string]int{}
	for _, c := range counts {
		if _, ok := index[c.Workload]; !ok {
			index[c.Workload] = -1
			m.Workloads = append(m.Workloads, c.Workload)
		}
	}
	slices.Sort(m.Workloads)
	for i, w := range m.Workloads {
		index[w] = i
	}
	for h := range m.Buckets {
		m.Buckets[h] = make([]int64, len(m.Workloads))
	}
	for _, c := range counts {
		h := int(c.Hour.Sub(m.Start) / time.Hour)
		if c.Hour.Before(m.Start) || h >= hours {
			continue
		}
		m.Buckets[h][index[c.Workload]] += c.Count
		m.Total += c.Count
	}
	for _, b := range m.Buckets {
		var sum int64
		for _, v := range b {
			sum += v
		}
		m.Max = max(m.Max, sum)
	}
	return m
}

// chartPalette are the workload colours, fixed so a workload keeps its colour.
func chartPalette() []color.Color {
	names := []string{theme.ColorBlue, theme.ColorOrange, theme.ColorGreen, theme.ColorPurple,
		theme.ColorRed, theme.ColorYellow, theme.ColorBrown, theme.ColorGray}
	out := make([]color.Color, len(names))
	for i, n := range names {
		out[i] = theme.PrimaryColorNamed(n)
	}
	return out
}

// ActivityChart draws records per hour over the last 7 days as bars stacked
// by workload, with a legend underneath. It uses no chart library: the bars
// are canvas rectangles.
type ActivityChart struct {
	widget.BaseWidget
	model chartModel
}

// NewActivityChart returns an empty chart.
func NewActivityChart() *ActivityChart {
	c := &ActivityChart{}
	c.ExtendBaseWidget(c)
	return c
}

// SetData replaces the data; start is the beginning of the 7-day span.
// Call it on the Fyne goroutine.
func (c *ActivityChart) SetData(counts []HourCount, start time.Time) {
	c.model = buildChartModel(counts, start, chartHours)
	c.Refresh()
}

// Total returns the number of records the chart shows.
func (c *ActivityChart) Total() int64 { return c.model.Total }

// Workloads returns the legend entries in order.
func (c *ActivityChart) Workloads() []string { return slices.Clone(c.model.Workloads) }

// CreateRenderer implements fyne.Widget.
func (c *ActivityChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{chart: c, axis: canvas.NewLine(color.Black),
		maxText: canvas.NewText("", color.Black), from: canvas.NewText("", color.Black), to: canvas.NewText("now", color.Black)}
	r.Refresh()
	return r
}

type chartRenderer struct {
	chart         *ActivityChart
	bars          []*canvas.Rectangle
	barAt         [][2]int // bar index → hour, workload
	legendSwatch  []*canvas.Rectangle
	legendText    []*canvas.Text
	axis          *canvas.Line
	maxText, from *canvas.Text
	to            *canvas.Text
}

const (
	chartMinHeight = 140
	legendRow      = 20
)

// MinSize implements fyne.WidgetRenderer.
func (r *chartRenderer) MinSize() fyne.Size {
	return fyne.NewSize(chartHours*2, chartMinHeight+legendRow*2)
}

// Layout implements fyne.WidgetRenderer.
func (r *chartRenderer) Layout(size fyne.Size) {
	m := r.chart.model
	pad := theme.Padding()
	labelW := r.maxText.MinSize().Width + pad
	plotH := size.Height - legendRow*2
	plotW := size.Width - labelW
	r.maxText.Move(fyne.NewPos(0, 0))
	r.axis.Position1 = fyne.NewPos(labelW, plotH)
	r.axis.Position2 = fyne.NewPos(size.Width, plotH)
	r.from.Move(fyne.NewPos(labelW, plotH))
	r.to.Move(fyne.NewPos(size.Width-r.to.MinSize().Width, plotH))
	barW := plotW / chartHours
	var heights = make([]float32, chartHours) // stacked height so far per hour
	for i, bar := range r.bars {
		h, w := r.barAt[i][0], r.barAt[i][1]
		v := m.Buckets[h][w]
		bh := float32(0)
		if m.Max > 0 {
			bh = float32(v) / float32(m.Max) * (plotH - pad)
		}
		heights[h] += bh
		bar.Move(fyne.NewPos(labelW+float32(h)*barW, plotH-heights[h]))
		bar.Resize(fyne.NewSize(fyne.Max(barW-1, 1), bh))
	}
	x := labelW
	for i := range r.legendSwatch {
		r.legendSwatch[i].Move(fyne.NewPos(x, plotH+legendRow+4))
		r.legendSwatch[i].Resize(fyne.NewSquareSize(12))
		r.legendText[i].Move(fyne.NewPos(x+16, plotH+legendRow))
		x += 16 + r.legendText[i].MinSize().Width + 2*pad
	}
}

// Refresh implements fyne.WidgetRenderer.
func (r *chartRenderer) Refresh() {
	m := r.chart.model
	th := r.chart.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	palette := chartPalette()
	r.bars, r.barAt = r.bars[:0], r.barAt[:0]
	for h, b := range m.Buckets {
		for w, n := range b {
			if n == 0 {
				continue
			}
			r.bars = append(r.bars, canvas.NewRectangle(palette[w%len(palette)]))
			r.barAt = append(r.barAt, [2]int{h, w})
		}
	}
	r.legendSwatch, r.legendText = nil, nil
	for i, w := range m.Workloads {
		r.legendSwatch = append(r.legendSwatch, canvas.NewRectangle(palette[i%len(palette)]))
		t := canvas.NewText(uikit.WorkloadName(w), fg)
		t.TextSize = th.Size(theme.SizeNameCaptionText)
		r.legendText = append(r.legendText, t)
	}
	r.axis.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	r.axis.StrokeWidth = 1
	for _, t := range []*canvas.Text{r.maxText, r.from, r.to} {
		t.Color = th.Color(theme.ColorNamePlaceHolder, v)
		t.TextSize = th.Size(theme.SizeNameCaptionText)
	}
	r.maxText.Text = fmt.Sprintf("%s/h", numfmt.Count(m.Max))
	r.from.Text = "7 days ago"
	if len(m.Workloads) == 0 {
		r.from.Text = "No records in the last 7 days"
	}
	r.Layout(r.chart.Size())
	canvas.Refresh(r.chart)
}

// Objects implements fyne.WidgetRenderer.
func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(r.bars)+2*len(r.legendSwatch)+4)
	objs = append(objs, r.axis, r.maxText, r.from, r.to)
	for _, b := range r.bars {
		objs = append(objs, b)
	}
	for i := range r.legendSwatch {
		objs = append(objs, r.legendSwatch[i], r.legendText[i])
	}
	return objs
}

// Destroy implements fyne.WidgetRenderer.
func (r *chartRenderer) Destroy() {}
