package store

import (
	"context"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// TestUpsertFindings: several matches in one transaction land as they would
// one by one (a later one merges into, or is a replay of, an earlier one),
// and a batch with a match the store refuses stores none of them.
func TestUpsertFindings(t *testing.T) {
	ctx := context.Background()
	bad := match("r1", "bo@x", t0) // no evidence: refused
	tests := []struct {
		name      string
		batch     []finding.Match
		want      []Outcome // nil: the batch fails
		wantFound int
	}{
		{name: "create, merge, replay, other key",
			batch: []finding.Match{match("r1", "ana@x", t0, "a"), match("r1", "ana@x", t0.Add(time.Hour), "b"),
				match("r1", "ana@x", t0.Add(time.Hour), "b"), match("r1", "bo@x", t0, "c")},
			want: []Outcome{Created, Merged, Unchanged, Created}, wantFound: 2},
		{name: "a refused match: none stored",
			batch: []finding.Match{match("r1", "ana@x", t0, "a"), bad}, wantFound: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			if bad.Validate() == nil {
				t.Fatal("setup: the bad match validates")
			}
			got, err := s.UpsertFindings(ctx, tt.batch)
			if (err != nil) != (tt.want == nil) {
				t.Fatalf("UpsertFindings: %v", err)
			}
			for i, w := range tt.want {
				if got[i].Outcome != w {
					t.Errorf("match %d: %v, want %v", i, got[i].Outcome, w)
				}
			}
			fs, err := s.Findings(ctx, finding.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != tt.wantFound {
				t.Errorf("%d findings stored, want %d", len(fs), tt.wantFound)
			}
		})
	}
}
