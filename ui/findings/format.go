package findings

import (
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/internal/numfmt"
)

// severityImportance colours a severity: red for high and critical, amber
// for medium, plain below.
func severityImportance(s finding.Severity) widget.Importance {
	switch {
	case s >= finding.High:
		return widget.DangerImportance
	case s == finding.Medium:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// whenText prints a time in the admin's zone, with the date only when it
// is not today: "14:05" or "24 Nov 14:05".
func whenText(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	lt, ln := t.Local(), now.Local()
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04")
	}
	if lt.Year() == ln.Year() {
		return lt.Format("2 Jan 15:04")
	}
	return lt.Format("2 Jan 2006 15:04")
}

// repeatText says how many records a finding holds (finding.Finding.Count:
// its distinct evidence records): "" for one, "3 records" for more.
func repeatText(n int) string {
	if n <= 1 {
		return ""
	}
	return numfmt.Count(int64(n)) + " records"
}

// countNew counts findings in status New.
func countNew(fs []finding.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Status == finding.StatusNew {
			n++
		}
	}
	return n
}
