package findings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/glyph"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// detailPanel shows one finding: what happened, why it matters, what to do
// (with portal links), the status actions and the evidence records.
type detailPanel struct {
	v   *View
	box *fyne.Container

	placeholder *widget.Label
	body        *fyne.Container
	title       *widget.Label
	meta        *widget.Label
	what        *widget.Label
	why         *widget.Label
	steps       *fyne.Container
	note        *widget.Label

	ack, resolve, falsePos, reopen *widget.Button
	showFeed                       *widget.Button

	evidenceTitle *widget.Label
	evidence      *fyne.Container
}

// newDetailPanel builds the empty detail ("select a finding").
func newDetailPanel(v *View) *detailPanel {
	d := &detailPanel{v: v}
	d.placeholder = para("Select a finding to see what happened and what to do.")
	d.title = heading("")
	d.title.Wrapping = fyne.TextWrapWord
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.meta = para("")
	d.what = para("")
	d.why = para("")
	d.steps = container.NewVBox()
	d.note = para("")
	d.note.Hide()
	d.ack = widget.NewButtonWithIcon("Acknowledge", theme.VisibilityIcon(), v.Acknowledge)
	d.resolve = widget.NewButtonWithIcon("Resolve", theme.ConfirmIcon(), v.Resolve)
	d.resolve.Importance = widget.HighImportance
	d.falsePos = widget.NewButtonWithIcon("False positive…", theme.CancelIcon(), v.ShowFalsePositive)
	d.reopen = widget.NewButtonWithIcon("Reopen", theme.ContentUndoIcon(), v.Reopen)
	d.showFeed = widget.NewButtonWithIcon("Show in Events", theme.ListIcon(), func() {
		if v.opts.ShowInFeed != nil && v.current.ID != 0 {
			v.opts.ShowInFeed(v.current)
		}
	})
	if v.opts.ShowInFeed == nil {
		d.showFeed.Hide()
	}
	d.evidenceTitle = heading("")
	d.evidence = container.NewVBox()
	d.body = container.NewVBox(
		d.title, d.meta,
		container.NewHBox(d.ack, d.resolve, d.falsePos, d.reopen),
		d.note,
		widget.NewSeparator(),
		heading("What happened"), d.what,
		heading("Why it matters"), d.why,
		heading("What to do"), d.steps,
		widget.NewSeparator(),
		container.NewHBox(d.evidenceTitle, d.showFeed), d.evidence,
	)
	d.body.Hide()
	d.box = container.NewVBox(d.placeholder, d.body)
	return d
}

// set shows f.
func (d *detailPanel) set(f finding.Finding) {
	o := d.v.opts
	d.placeholder.Hide()
	d.title.SetText(f.Title())
	d.what.SetText(glyph.Safe(f.What))
	d.why.SetText(glyph.Safe(f.Why))
	d.steps.Objects = []fyne.CanvasObject{stepsBox(f.Steps, o)}
	d.steps.Refresh()
	d.evidenceTitle.SetText(evidenceTitle(f))
	ids := f.Evidence
	more := len(ids) > maxEvidenceShown
	if more {
		ids = ids[:maxEvidenceShown]
	}
	d.evidence.RemoveAll()
	for _, id := range ids {
		d.evidence.Add(widget.NewLabel(id))
	}
	if more {
		d.evidence.Add(widget.NewLabel("…"))
	}
	d.setStatus(f)
	d.body.Show()
	d.box.Refresh() // re-layout: the placeholder went, the body came
}

// setStatus updates the meta line, the note and which actions apply.
func (d *detailPanel) setStatus(f finding.Finding) {
	d.meta.SetText(metaText(f, d.v.opts))
	if f.Note != "" {
		d.note.SetText("Note: " + f.Note)
		d.note.Show()
	} else {
		d.note.Hide()
	}
	open := f.Status.Open()
	setVisible(d.ack, f.Status == finding.StatusNew)
	setVisible(d.resolve, open)
	setVisible(d.falsePos, open)
	setVisible(d.reopen, !open)
	d.body.Refresh()
}

// setEvidence replaces the evidence ids with readable records.
func (d *detailPanel) setEvidence(recs []Record, err error) {
	if err != nil {
		return // the ids stay; the error is logged
	}
	d.evidence.RemoveAll()
	for i, r := range recs {
		if i == maxEvidenceShown {
			d.evidence.Add(widget.NewLabel("…"))
			break
		}
		d.evidence.Add(uikit.NewCutLabel(evidenceText(r, d.v.opts)))
	}
	d.body.Refresh()
}

// busy disables the actions while a status change is under way.
func (d *detailPanel) busy(on bool) {
	for _, b := range []*widget.Button{d.ack, d.resolve, d.falsePos, d.reopen} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
