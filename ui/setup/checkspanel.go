package setup

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// ChecksPanel lists connection checks as they run: an icon per status, the
// reason, and for failures the fix and a "Go to step" button. All methods run
// on the Fyne goroutine.
type ChecksPanel struct {
	box      *fyne.Container
	summary  *widget.Label
	copyBtn  *widget.Button
	content  fyne.CanvasObject
	results  []CheckResult
	report   CheckReport
	goToStep func(step string) // nil hides the "Go to step" buttons
	rows     map[string]*checkRow
	done     bool // the last run finished
}

type checkRow struct {
	icon   *widget.Icon
	title  *widget.Label
	reason *widget.Label
	fix    *widget.Label
	goTo   *widget.Button
	obj    fyne.CanvasObject
}

func NewChecksPanel(goToStep func(step string)) *ChecksPanel {
	p := &ChecksPanel{box: container.NewVBox(), summary: widget.NewLabel(""), goToStep: goToStep,
		rows: map[string]*checkRow{}}
	p.summary.Wrapping = fyne.TextWrapWord
	p.summary.Hide()
	p.copyBtn = widget.NewButtonWithIcon("Copy as text", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(p.report.Text())
	})
	p.copyBtn.Disable()
	p.content = container.NewVBox(p.box, p.summary, container.NewHBox(p.copyBtn))
	return p
}

// Content is the panel to place in a card or the wizard.
func (p *ChecksPanel) Content() fyne.CanvasObject { return p.content }

// Done reports whether the last run finished.
func (p *ChecksPanel) Done() bool { return p.done }

// Report is the last finished run's report.
func (p *ChecksPanel) Report() CheckReport { return p.report }

// Reset clears the list before a new run.
func (p *ChecksPanel) Reset() {
	p.results = nil
	p.report = CheckReport{}
	p.rows = map[string]*checkRow{}
	p.done = false
	p.box.RemoveAll()
	p.summary.Hide()
	p.copyBtn.Disable()
}

// Update shows one check's progress or result.
func (p *ChecksPanel) Update(r CheckResult) {
	p.results = upsertResult(p.results, r)
	p.report.Results = p.results
	row, ok := p.rows[r.ID]
	if !ok {
		row = p.newRow()
		p.rows[r.ID] = row
		p.box.Add(row.obj)
	}
	row.icon.SetResource(checkIcon(r.Status))
	row.title.SetText(uikit.DisplayText(r.Title))
	uikit.SetMessage(row.reason, r.Reason, widget.MediumImportance)
	fix := ""
	if r.Status == CheckFail || r.Status == CheckWarn {
		fix = r.Fix
	}
	uikit.SetMessage(row.fix, fix, widget.WarningImportance)
	row.goTo.OnTapped = nil
	row.goTo.Hide()
	if _, known := stepIndex(r.Step); known && r.Status == CheckFail && p.goToStep != nil {
		step := r.Step
		row.goTo.OnTapped = func() { p.goToStep(step) }
		row.goTo.Show()
	}
}

// Finish records the final report and shows the verdict.
func (p *ChecksPanel) Finish(rep CheckReport) {
	for _, r := range rep.Results {
		p.Update(r)
	}
	p.report = rep
	p.report.Results = p.results
	warn, warned := p.firstWith(CheckWarn)
	switch {
	case rep.OK && !warned:
		uikit.SetMessage(p.summary, "All checks passed.", widget.SuccessImportance)
	case rep.OK:
		uikit.SetMessage(p.summary, "Connected, with a warning: "+warn.Title+" — "+uikit.Sentence(warn.Reason), widget.WarningImportance)
	default:
		uikit.SetMessage(p.summary, "Some checks failed. Follow the fix under the first failed check, then test again.", widget.DangerImportance)
	}
	p.copyBtn.Enable()
	p.done = true
}

// failed returns the first failed result, if any.
func (p *ChecksPanel) failed() (CheckResult, bool) { return p.firstWith(CheckFail) }

// firstWith returns the first result with status st, if any.
func (p *ChecksPanel) firstWith(st CheckStatus) (CheckResult, bool) {
	for _, r := range p.results {
		if r.Status == st {
			return r, true
		}
	}
	return CheckResult{}, false
}

func (p *ChecksPanel) newRow() *checkRow {
	row := &checkRow{
		icon:   widget.NewIcon(checkIcon(CheckPending)),
		title:  uikit.Heading(""),
		reason: uikit.Message(),
		fix:    uikit.Message(),
		goTo:   widget.NewButtonWithIcon("Go to step", theme.NavigateNextIcon(), nil),
	}
	row.goTo.Hide()
	text := container.NewVBox(row.title, row.reason, row.fix, container.NewHBox(row.goTo))
	row.obj = container.NewBorder(nil, nil, container.NewVBox(row.icon), nil, text)
	return row
}

// checkIcon is the icon for a check status, tinted by meaning.
func checkIcon(s CheckStatus) fyne.Resource {
	switch s {
	case CheckRunning:
		return theme.ViewRefreshIcon()
	case CheckPass:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case CheckWarn:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case CheckFail:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case CheckSkip:
		return theme.NewDisabledResource(theme.MediaSkipNextIcon())
	}
	return theme.NewDisabledResource(theme.MoreHorizontalIcon())
}
