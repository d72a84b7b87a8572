package detect

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/store"
)

// TestFindingSpanHoldsItsEvidence: every evidence record of a finding lies
// within its first and last seen, also for a correlation fed by another
// correlation (brute force then success: the failures precede the firing
// the temporal rule sees). The store looks evidence up by that span (its
// dedupe key is CreationTime + Id), and so do "Show in Events" and the
// Findings detail.
func TestFindingSpanHoldsItsEvidence(t *testing.T) {
	brute := func(n int) [][]byte {
		var out [][]byte
		u := user(1)
		for i := range n {
			out = append(out, signIn(fmt.Sprintf("bf-%d", i), u, "95.1.1.1", t0.Add(time.Duration(i)*20*time.Second), "50126"))
		}
		return append(out, signIn("bf-ok", u, "95.1.1.1", t0.Add(time.Duration(n)*20*time.Second+time.Minute), ""))
	}
	spray := func(n int) [][]byte {
		var out [][]byte
		for i := range n {
			out = append(out, signIn(fmt.Sprintf("sp-%d", i), user(i), "95.165.12.77", t0.Add(time.Duration(i)*30*time.Second), "50126"))
		}
		return out
	}
	tests := []struct {
		name string
		raws [][]byte
		rule string
	}{
		{"correlation of a correlation", brute(25), ruleBruteSuccess},
		{"event count", spray(12), ruleSpray},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			h.process(false, tt.raws...)
			got := h.byRule(tt.rule)
			if len(got) != 1 {
				t.Fatalf("%d findings of the rule, want 1", len(got))
			}
			f, err := h.st.Finding(context.Background(), got[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			n, err := h.st.Count(context.Background(), store.Filter{IDs: f.Evidence, Since: f.FirstSeen, Until: f.LastSeen.Add(time.Millisecond)})
			if err != nil {
				t.Fatal(err)
			}
			if int(n) != len(f.Evidence) {
				t.Errorf("%d of the %d evidence records lie within first seen %v .. last seen %v", n, len(f.Evidence),
					f.FirstSeen, f.LastSeen)
			}
		})
	}
}
