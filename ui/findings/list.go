package findings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// listRow is the widgets of one list row: severity, title and key, then
// last seen, repeats and status on a second line.
type listRow struct {
	severity *widget.Label
	title    *uikit.CutLabel
	seen     *widget.Label
	repeat   *widget.Label
	status   *widget.Label
}

// newListRow builds an empty row.
func newListRow() (fyne.CanvasObject, *listRow) {
	r := &listRow{
		severity: widget.NewLabel("Critical"),
		title:    uikit.NewCutLabel("title"),
		seen:     widget.NewLabel(""),
		repeat:   widget.NewLabel(""),
		status:   widget.NewLabel(""),
	}
	r.severity.TextStyle.Bold = true
	r.status.Alignment = fyne.TextAlignTrailing
	// the title gets the whole width; severity leads the second line so
	// titles line up whatever the severity's length
	bottom := container.NewHBox(r.severity, r.seen, r.repeat, layout.NewSpacer(), r.status)
	return container.NewVBox(r.title, bottom), r
}

// rowTexts are the texts a row shows for f (tests read them).
type rowTexts struct {
	Severity, Title, LastSeen, Repeat, Status string
}

// textsFor computes a row's texts.
func textsFor(f finding.Finding, o Options) rowTexts {
	return rowTexts{
		Severity: f.Severity.Label(),
		Title:    f.Title(),
		LastSeen: "Last seen " + whenText(f.LastSeen, o.now()),
		Repeat:   repeatText(f.Count),
		Status:   f.Status.Label(),
	}
}

// set fills the row for f.
func (r *listRow) set(f finding.Finding, o Options) {
	t := textsFor(f, o)
	uikit.SetLabel(r.severity, t.Severity, severityImportance(f.Severity), true)
	r.title.Set(t.Title, widget.MediumImportance, f.Status == finding.StatusNew)
	uikit.SetLabel(r.seen, t.LastSeen, widget.MediumImportance, false)
	uikit.SetLabel(r.repeat, t.Repeat, widget.MediumImportance, false)
	uikit.SetLabel(r.status, t.Status, widget.MediumImportance, false)
}
