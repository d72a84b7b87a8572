package findingalerts

import (
	"strings"
	"testing"

	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

func notice(title string, sev finding.Severity, out store.Outcome, backfill bool) detect.Notice {
	return detect.Notice{Finding: finding.Finding{RuleTitle: title, Key: "k", Severity: sev, What: title + " happened"}, Outcome: out, Backfill: backfill}
}

func TestNotifier(t *testing.T) {
	type step struct {
		notice *detect.Notice
		status *health.Status
	}
	n := func(title string, sev finding.Severity, out store.Outcome, backfill bool) step {
		x := notice(title, sev, out, backfill)
		return step{notice: &x}
	}
	st := func(backfilling bool) step { return step{status: &health.Status{Backfilling: backfilling}} }
	tests := []struct {
		name  string
		steps []step
		want  []string // titles sent, in order
	}{
		{"live high and medium: one each; low and repeats: none", []step{
			st(false), n("Spray", finding.High, store.Created, false), n("Spray", finding.High, store.Merged, false),
			n("Link", finding.Low, store.Created, false), n("Country", finding.Medium, store.Created, false),
		}, []string{"High finding: Spray", "Medium finding: Country"}},
		{"backfill: one digest when the catch-up ends", []step{
			st(true), n("A", finding.High, store.Created, true), n("B", finding.Medium, store.Created, true),
			n("C", finding.Low, store.Created, true), st(true), st(false), st(false),
		}, []string{"3 findings in the last 7 days (1 high)"}},
		{"a live finding during a catch-up joins the digest", []step{
			st(true), n("A", finding.High, store.Created, false), st(false),
		}, []string{"1 finding in the last 7 days (1 high)"}},
		{"nothing found: no digest", []step{st(true), st(false)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			nt := New(func(m Message) { got = append(got, m.Title) })
			for _, s := range tt.steps {
				if s.notice != nil {
					nt.Notice(*s.notice)
				}
				if s.status != nil {
					nt.Status(*s.status)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("sent %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDigestNamesTheWorstFirst(t *testing.T) {
	var fs []finding.Finding
	for i, sev := range []finding.Severity{finding.Low, finding.Medium, finding.High, finding.Low, finding.Critical} {
		fs = append(fs, finding.Finding{RuleTitle: string(rune('A' + i)), Severity: sev})
	}
	m := Digest(fs)
	if !strings.HasPrefix(m.Body, "E; C; B; and 2 more.") {
		t.Errorf("body %q", m.Body)
	}
}
