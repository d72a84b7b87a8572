package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// spanMatch is a match of rule "spray" over [first, last] with evidence.
func spanMatch(first, last time.Duration, evidence ...string) finding.Match {
	m := match("spray", "203.0.113.7", t0.Add(first), evidence...)
	m.LastSeen = t0.Add(last)
	m.Window = 10 * time.Minute
	m.What = fmt.Sprintf("spray ending %v", last)
	return m
}

// storedFindings lists the findings as a user compares them.
func storedFindings(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	fs, err := s.Findings(ctx, finding.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		full, err := s.Finding(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev := slices.Clone(full.Evidence)
		slices.Sort(ev)
		out = append(out, fmt.Sprintf("%s %s %v..%v count %d evidence %d %v what %q", f.RuleID, f.Key,
			f.FirstSeen.Sub(t0), f.LastSeen.Sub(t0), f.Count, f.EvidenceCount, ev, f.What))
	}
	slices.Sort(out)
	return out
}

// permutations lists every order of n items.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			out = append(out, slices.Insert(slices.Clone(p), i, n-1))
		}
	}
	return out
}

// TestFindingsDoNotDependOnMatchOrder stores the same matches in every
// order and wants the same findings: a match that comes within the window
// of two open findings makes them one, whichever came first.
func TestFindingsDoNotDependOnMatchOrder(t *testing.T) {
	tests := []struct {
		name     string
		matches  []finding.Match
		findings int
	}{
		{"a bridge between two findings", []finding.Match{
			spanMatch(0, 4*time.Minute, "a1", "a2"),
			spanMatch(25*time.Minute, 29*time.Minute, "b1", "b2"),
			spanMatch(12*time.Minute, 15*time.Minute, "c1", "c2"),
		}, 1},
		{"a bridge made of records already used", []finding.Match{
			spanMatch(0, 4*time.Minute, "a1", "a2"),
			spanMatch(25*time.Minute, 29*time.Minute, "b1", "b2"),
			spanMatch(2*time.Minute, 27*time.Minute, "a2", "b1"),
		}, 1},
		{"two apart stay two", []finding.Match{
			spanMatch(0, 4*time.Minute, "a1", "a2"),
			spanMatch(25*time.Minute, 29*time.Minute, "b1", "b2"),
			spanMatch(3*time.Minute, 5*time.Minute, "a2", "a3"),
		}, 2},
		{"a partial window and the whole one", []finding.Match{
			spanMatch(0, 4*time.Minute, "a1", "a2"),
			spanMatch(0, 6*time.Minute, "a1", "a2", "a3"),
			spanMatch(0, 6*time.Minute, "a1", "a3"),
		}, 1},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, order := range permutations(len(tt.matches)) {
				s, _ := openTest(t, Options{})
				for _, i := range order {
					if _, _, err := s.UpsertFinding(ctx, tt.matches[i]); err != nil {
						t.Fatal(err)
					}
				}
				got := storedFindings(t, s)
				if len(got) != tt.findings {
					t.Fatalf("order %v: %d findings, want %d: %v", order, len(got), tt.findings, got)
				}
				if want == nil {
					want = got
				} else if !slices.Equal(got, want) {
					t.Errorf("order %v: %v, want %v (as in the first order)", order, got, want)
				}
			}
		})
	}
}

// TestFindingsStoredBeforeStayWhole: a finding stored by an earlier version
// (its count the number of matches merged) stays readable as it was; a
// replay of its records does not raise it again nor a second finding, and
// the next match with new records merges into it.
func TestFindingsStoredBeforeStayWhole(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	first, _, err := s.UpsertFinding(ctx, spanMatch(0, 4*time.Minute, "a1", "a2", "a3"))
	if err != nil {
		t.Fatal(err)
	}
	// As the earlier version left it: five matches merged into it.
	if _, err := s.w.ExecContext(ctx, `UPDATE findings SET count = 5 WHERE id = ?`, first.ID); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		m         finding.Match
		want      Outcome
		wantCount int
	}{
		{spanMatch(0, 4*time.Minute, "a1", "a2"), Unchanged, 5},
		{spanMatch(0, 3*time.Minute, "a3"), Unchanged, 5},
		{spanMatch(5*time.Minute, 6*time.Minute, "a4"), Merged, 4},
	}
	for i, st := range steps {
		f, out, err := s.UpsertFinding(ctx, st.m)
		if err != nil {
			t.Fatal(err)
		}
		if out != st.want || f.ID != first.ID || f.Count != st.wantCount {
			t.Errorf("step %d: %v finding %d count %d, want %v finding %d count %d", i, out, f.ID, f.Count,
				st.want, first.ID, st.wantCount)
		}
	}
	if fs := storedFindings(t, s); len(fs) != 1 {
		t.Errorf("%d findings, want the one: %v", len(fs), fs)
	}
}
