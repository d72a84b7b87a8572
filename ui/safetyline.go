package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// SafetyText is the dashboard's second answer, beside the collection light:
// is the tenant safe? "3 new findings (1 high) need your attention" or
// "No new findings". It never depends on collection health, so a healthy
// collector with a new high finding does not read "all fine".
func SafetyText(s finding.Summary) string {
	switch {
	case s.New == 0 && s.Open == 0:
		return "Tenant safety: no findings need your attention"
	case s.New == 0:
		return fmt.Sprintf("Tenant safety: no new findings (%s acknowledged, still open)", uikit.Plural(s.Open, "finding"))
	}
	txt := "Tenant safety: " + NewFindingsText(s)
	if s.NewHigh > 0 {
		txt += fmt.Sprintf(" (%d high)", s.NewHigh)
	}
	return txt + " — review them"
}

// NewFindingsText is "1 new finding" / "3 new findings" (the tray line
// and the dashboard use it).
func NewFindingsText(s finding.Summary) string {
	if s.New == 1 {
		return "1 new finding"
	}
	return fmt.Sprintf("%d new findings", s.New)
}

// safetyImportance colours the safety line: red for new high findings,
// amber for other new ones, green when nothing is new.
func safetyImportance(s finding.Summary) widget.Importance {
	switch {
	case s.NewHigh > 0 || s.Highest >= finding.High:
		return widget.DangerImportance
	case s.New > 0:
		return widget.WarningImportance
	}
	return widget.SuccessImportance
}

// safetyLine is the "Tenant safety" row of the dashboard: the text and a
// button that opens the Findings view.
type safetyLine struct {
	summary finding.Summary
	known   bool
	icon    *widget.Icon
	text    *widget.Label
	open    *widget.Button
	content fyne.CanvasObject
}

// newSafetyLine builds the row; open shows the Findings view.
func newSafetyLine(open func()) *safetyLine {
	l := &safetyLine{
		icon: widget.NewIcon(theme.InfoIcon()),
		text: widget.NewLabel("Tenant safety: not checked yet"),
		open: widget.NewButtonWithIcon("Open findings", theme.NavigateNextIcon(), open),
	}
	l.text.TextStyle.Bold = true
	l.text.Wrapping = fyne.TextWrapWord
	if open == nil {
		l.open.Disable()
	}
	l.content = container.NewBorder(nil, nil, l.icon, container.NewHBox(layout.NewSpacer(), l.open), l.text)
	return l
}

// set shows s.
func (l *safetyLine) set(s finding.Summary) {
	l.summary, l.known = s, true
	l.text.SetText(SafetyText(s))
	l.text.Importance = safetyImportance(s)
	l.text.Refresh()
	switch l.text.Importance {
	case widget.DangerImportance:
		l.icon.SetResource(theme.NewErrorThemedResource(theme.WarningIcon()))
		l.open.Importance = widget.HighImportance
	case widget.WarningImportance:
		l.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		l.open.Importance = widget.MediumImportance
	default:
		l.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		l.open.Importance = widget.LowImportance
	}
	l.open.Refresh()
}

// SetFindingSummary shows the findings summary in the dashboard's Tenant
// safety line (call it on the Fyne goroutine).
func (d *Dashboard) SetFindingSummary(s finding.Summary) { d.safety.set(s) }

// SafetyLine returns the text the Tenant safety line shows.
func (d *Dashboard) SafetyLine() string { return d.safety.text.Text }
