package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/internal/numfmt"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// workloadColumns are the per-workload table headings.
func workloadColumns() []string {
	return []string{"Workload", "Subscribed", "Last record", "Lag", "Records 24 h", "Problem"}
}

// workloadGrid is a small grid with one row per content type (at most five,
// so a plain grid is fine; the event feed is the virtualised one).
type workloadGrid struct {
	grid    *fyne.Container
	content fyne.CanvasObject
	// cells are [row][column], row 0 = first workload. Each cuts its text
	// with an ellipsis when the cell is too narrow (a cut figure must say
	// so: "1,234,5" clipped from "1,234,567" would read as a number), and
	// does it without Fyne's per-refresh HarfBuzz shaper (uikit.CutLabel):
	// every status of a backfill moves the figures, on the path to the
	// green (issue 12).
	cells [][]*uikit.CutLabel
}

func newWorkloadGrid() *workloadGrid {
	g := &workloadGrid{grid: container.NewGridWithColumns(len(workloadColumns()))}
	for _, h := range workloadColumns() {
		g.grid.Add(uikit.Heading(h))
	}
	g.content = g.grid
	return g
}

// workloadCells renders one workload as the row's texts.
func workloadCells(w health.Workload, now time.Time) []string {
	name := w.Name
	if name == "" {
		name = w.ContentType
	}
	sub := "no"
	if w.Subscribed {
		sub = "yes"
	}
	lag := "—"
	if w.Lag > 0 && (!w.LastContent.IsZero() || !w.LastRecord.IsZero()) { // nothing collected yet: no lag to speak of
		lag = uikit.FormatDuration(w.Lag)
	}
	problem := w.Error
	if problem == "" {
		problem = "—"
	}
	return []string{name, sub, uikit.FormatAgo(now, w.LastRecord), lag, numfmt.Count(w.Records24h), problem}
}

// set shows ws, reusing labels when the number of workloads is unchanged.
// It reports whether rows were added or removed: the grid's height changed
// and whatever holds it must lay out again.
func (g *workloadGrid) set(ws []health.Workload, now time.Time) (resized bool) {
	if len(ws) != len(g.cells) {
		resized = true
		g.grid.Objects = g.grid.Objects[:len(workloadColumns())]
		g.cells = make([][]*uikit.CutLabel, len(ws))
		for i := range ws {
			g.cells[i] = make([]*uikit.CutLabel, len(workloadColumns()))
			for j := range g.cells[i] {
				l := uikit.NewCutLabel("")
				g.cells[i][j] = l
				g.grid.Objects = append(g.grid.Objects, l)
			}
		}
		g.grid.Refresh()
	}
	for i, w := range ws {
		for j, text := range workloadCells(w, now) {
			l := g.cells[i][j]
			imp := widget.MediumImportance
			if j == len(workloadColumns())-1 && w.Error != "" {
				imp = widget.DangerImportance
			}
			// A label refresh re-shapes its text on the Fyne goroutine;
			// during a backfill statuses come four times a second and most
			// cells stay as they are: Set refreshes only a change.
			l.Set(text, imp, false)
		}
	}
	return resized
}
