package findings

import (
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/glyph"
)

// maxEvidenceShown caps the evidence rows drawn in the detail (the count
// says how many there are).
const maxEvidenceShown = 50

// para is a wrapping label.
func para(text string) *widget.Label {
	l := widget.NewLabel(glyph.Safe(text))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// heading is a bold label.
func heading(text string) *widget.Label {
	l := widget.NewLabel(glyph.Safe(text))
	l.TextStyle.Bold = true
	return l
}

// metaText is the line under the title: severity, status, when and how often.
func metaText(f finding.Finding, o Options) string {
	now := o.now()
	s := fmt.Sprintf("%s · %s · first seen %s, last seen %s", f.Severity.Label(), f.Status.Label(),
		whenText(f.FirstSeen, now), whenText(f.LastSeen, now))
	if f.Count > 1 {
		s += " · " + repeatText(f.Count)
	}
	if f.Backfill {
		s += " · found in the 7-day backfill"
	}
	return s
}

// linkRow shows a portal link: a hyperlink that opens the browser, and the
// address itself (selectable) when no browser could be opened.
func linkRow(raw string, o Options) fyne.CanvasObject {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" {
		return para(raw)
	}
	addr := widget.NewEntry()
	addr.SetText(raw)
	addr.Hide()
	link := widget.NewHyperlink("Open "+u.Host, nil)
	box := container.NewVBox(link, addr)
	showAddr := func() {
		addr.Show()
		box.Refresh()
	}
	link.OnTapped = func() {
		if o.OpenURL == nil {
			showAddr()
			return
		}
		if err := o.OpenURL(u); err != nil {
			o.logger().Warn("opening portal link failed; showing the address", "url", raw, "err", err)
			showAddr()
		}
	}
	return box
}

// stepsBox numbers the steps, each with its portal link.
func stepsBox(steps []finding.Step, o Options) fyne.CanvasObject {
	box := container.NewVBox()
	for i, s := range steps {
		box.Add(para(fmt.Sprintf("%d. %s", i+1, s.Text)))
		if s.Link != "" {
			box.Add(container.NewPadded(linkRow(s.Link, o)))
		}
	}
	if len(steps) == 0 {
		box.Add(para("Look at the evidence records and decide whether this was expected."))
	}
	return box
}

// evidenceText is one evidence line.
func evidenceText(r Record, o Options) string {
	parts := []string{whenText(r.Time, o.now()), r.Operation}
	if r.User != "" {
		parts = append(parts, r.User)
	}
	if r.ClientIP != "" {
		parts = append(parts, r.ClientIP)
	}
	if r.Result != "" {
		parts = append(parts, r.Result)
	}
	return strings.Join(parts, " · ")
}

// evidenceTitle says how many records prove the finding.
func evidenceTitle(f finding.Finding) string {
	n := max(f.EvidenceCount, len(f.Evidence))
	if n == 1 {
		return "Evidence: 1 audit record"
	}
	return fmt.Sprintf("Evidence: %d audit records", n)
}
