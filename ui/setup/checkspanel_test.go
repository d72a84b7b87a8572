package setup

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A test connection that passed with a warning (a skewed clock) must not
// say "All checks passed" (issue 10, item 5).
func TestChecksPanelDoesNotCallAWarningAPass(t *testing.T) {
	tests := []struct {
		name    string
		results []CheckResult
		ok      bool
		want    string
	}{
		{"all pass", []CheckResult{{ID: "token", Title: "Sign in", Status: CheckPass}}, true, "All checks passed."},
		{"clock skew warning", []CheckResult{{ID: "token", Title: "Sign in", Status: CheckPass},
			{ID: "clock", Title: "Computer clock", Status: CheckWarn, Reason: "this computer's clock is 3 days fast"}}, true,
			"Connected, with a warning: Computer clock — This computer's clock is 3 days fast."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			p := NewChecksPanel(nil)
			p.Finish(CheckReport{Results: tc.results, OK: tc.ok})
			if p.summary.Text != tc.want {
				t.Errorf("summary %q, want %q", p.summary.Text, tc.want)
			}
		})
	}
}

// "→" rendered as "→�" (Fyne's font lacks it): the check panel's reasons
// and fixes must come out without it (issue 10, item 7).
func TestChecksPanelShowsNoArrowGlyph(t *testing.T) {
	test.NewTempApp(t)
	p := NewChecksPanel(nil)
	p.Update(CheckResult{ID: "perm", Title: "Permissions", Status: CheckFail, Reason: "Missing → here", Fix: "Add A → B"})
	if r := p.rows["perm"]; strings.Contains(r.reason.Text+r.fix.Text, "→") {
		t.Errorf("check panel shows %q / %q", r.reason.Text, r.fix.Text)
	}
}
