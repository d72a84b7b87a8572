package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

func match(rule, key string, first time.Time, evidence ...string) finding.Match {
	return finding.Match{RuleID: rule, RuleTitle: "Rule " + rule, Key: key, Severity: finding.High,
		FirstSeen: first, LastSeen: first, Evidence: evidence, What: "what", Why: "why",
		Steps: []finding.Step{{Text: "do", Link: "https://example.test/do"}}, AllowKind: "forwarding domain",
		AllowValues: []string{"Partner.example"}, Window: 24 * time.Hour}
}

// TestUpsertFinding: dedupe on rule + key within the window, replays change
// nothing, a closed finding is not reopened, allow-listed values are suppressed.
func TestUpsertFinding(t *testing.T) {
	ctx := context.Background()
	type step struct {
		m         finding.Match
		want      Outcome
		wantCount int // Count of the stored finding after the step
		wantID    int // 1-based index of the finding (by creation) the step lands in
	}
	tests := []struct {
		name  string
		steps []step
		setup func(t *testing.T, s *Store) // between step 1 and the rest
	}{
		{
			name: "repeat within window merges, replay is unchanged",
			steps: []step{
				{match("r1", "ana@x", t0, "a"), Created, 1, 1},
				{match("r1", "ana@x", t0.Add(time.Hour), "b"), Merged, 2, 1},
				{match("r1", "ana@x", t0.Add(time.Hour), "b"), Unchanged, 2, 1},
				{match("r1", "ana@x", t0.Add(2*time.Hour), "a", "b"), Unchanged, 2, 1},
			},
		},
		{
			name: "other key, other rule and outside the window are new findings",
			steps: []step{
				{match("r1", "ana@x", t0, "a"), Created, 1, 1},
				{match("r1", "bo@x", t0, "c"), Created, 1, 2},
				{match("r2", "ana@x", t0, "a"), Created, 1, 3},
				{match("r1", "ana@x", t0.Add(48*time.Hour), "d"), Created, 1, 4},
			},
		},
		{
			name: "resolved finding is not reopened by a repeat",
			setup: func(t *testing.T, s *Store) {
				if _, err := s.SetFindingStatus(ctx, 1, finding.StatusResolved, nil); err != nil {
					t.Fatal(err)
				}
			},
			steps: []step{
				{match("r1", "ana@x", t0, "a"), Created, 1, 1},
				{match("r1", "ana@x", t0.Add(time.Hour), "b"), Created, 1, 2},
			},
		},
		{
			name: "false positive with allow entry suppresses the same value",
			setup: func(t *testing.T, s *Store) {
				if _, err := s.SetFindingStatus(ctx, 1, finding.StatusFalsePositive, &finding.Entry{Value: " partner.EXAMPLE "}); err != nil {
					t.Fatal(err)
				}
			},
			steps: []step{
				{match("r1", "ana@x", t0, "a"), Created, 1, 1},
				{match("r1", "ana@x", t0.Add(time.Hour), "b"), Suppressed, 0, 0},
				{match("r2", "ana@x", t0.Add(time.Hour), "b"), Created, 1, 2}, // the entry is for r1 only
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			var ids []int64
			for i, st := range tt.steps {
				if i == 1 && tt.setup != nil {
					tt.setup(t, s)
				}
				f, out, err := s.UpsertFinding(ctx, st.m)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if out != st.want {
					t.Fatalf("step %d: outcome %v, want %v", i, out, st.want)
				}
				if out == Created {
					ids = append(ids, f.ID)
				}
				if st.wantID == 0 {
					continue
				}
				if f.ID != ids[st.wantID-1] || f.Count != st.wantCount {
					t.Errorf("step %d: finding %d count %d, want finding %d count %d", i, f.ID, f.Count, ids[st.wantID-1], st.wantCount)
				}
			}
		})
	}
}

func TestFindingEvidenceSpanAndQueries(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	m := match("spray", "203.0.113.7", t0, "e1", "e2")
	m.LastSeen = t0.Add(5 * time.Minute)
	f1, _, err := s.UpsertFinding(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	m2 := match("spray", "203.0.113.7", t0.Add(-3*time.Minute), "e0", "e2", "e3")
	if _, out, err := s.UpsertFinding(ctx, m2); err != nil || out != Merged {
		t.Fatalf("merge: %v %v", out, err)
	}
	low := match("other", "ana@x", t0.Add(time.Hour), "z")
	low.Severity = finding.Low
	if _, _, err := s.UpsertFinding(ctx, low); err != nil {
		t.Fatal(err)
	}
	got, err := s.Finding(ctx, f1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.FirstSeen.Equal(t0.Add(-3*time.Minute)) || !got.LastSeen.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("span %v..%v", got.FirstSeen, got.LastSeen)
	}
	slices.Sort(got.Evidence)
	if !slices.Equal(got.Evidence, []string{"e0", "e1", "e2", "e3"}) || got.EvidenceCount != 4 {
		t.Errorf("evidence %v (%d)", got.Evidence, got.EvidenceCount)
	}
	if len(got.Steps) != 1 || got.Steps[0].Link == "" || !slices.Equal(got.AllowValues, []string{"partner.example"}) {
		t.Errorf("texts not kept: %+v", got)
	}
	filters := []struct {
		name string
		f    finding.Filter
		want int
	}{
		{"all", finding.Filter{}, 2},
		{"high and above", finding.Filter{MinSeverity: finding.High}, 1},
		{"since after spray", finding.Filter{Since: t0.Add(30 * time.Minute)}, 1},
		{"by key, any case", finding.Filter{Key: "ANA@X"}, 1},
		{"by rule", finding.Filter{RuleID: "spray"}, 1},
		{"resolved only", finding.Filter{Statuses: []finding.Status{finding.StatusResolved}}, 0},
	}
	for _, tt := range filters {
		fs, err := s.Findings(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tt.want {
			t.Errorf("%s: %d findings, want %d", tt.name, len(fs), tt.want)
		}
	}
	sum, err := s.FindingSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 2 || sum.NewHigh != 1 || sum.Highest != finding.High {
		t.Errorf("summary %+v", sum)
	}
	if _, err := s.SetFindingStatus(ctx, f1.ID, finding.StatusAcknowledged, nil); err != nil {
		t.Fatal(err)
	}
	if sum, _ = s.FindingSummary(ctx); sum.New != 1 || sum.NewHigh != 0 || sum.Open != 2 {
		t.Errorf("summary after ack %+v", sum)
	}
}

func TestSetFindingStatusRejects(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	f, _, err := s.UpsertFinding(ctx, match("r", "k", t0, "a"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		id    int64
		st    finding.Status
		allow *finding.Entry
	}{
		{"unknown status", f.ID, "bogus", nil},
		{"allow without false-positive", f.ID, finding.StatusResolved, &finding.Entry{Value: "x"}},
		{"empty allow value", f.ID, finding.StatusFalsePositive, &finding.Entry{Value: "  "}},
		{"unknown id", 999, finding.StatusResolved, nil},
	}
	for _, c := range cases {
		if _, err := s.SetFindingStatus(ctx, c.id, c.st, c.allow); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
	if _, err := s.SetFindingStatus(ctx, 999, finding.StatusResolved, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
	got, _ := s.Finding(ctx, f.ID)
	if got.Status != finding.StatusNew {
		t.Errorf("rejected changes altered the status to %s", got.Status)
	}
}

func TestUserCountriesAndDomains(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	for _, c := range []struct {
		u, c string
		t    time.Time
	}{{"Ana@X.com", "se", t0}, {"ana@x.com", "SE", t0.Add(time.Hour)}, {"ana@x.com", "BR", t0}} {
		if err := s.AddUserCountry(ctx, c.u, c.c, c.t); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.UserCountries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := got["ana@x.com"]; len(g) != 2 || !slices.Contains(g, "SE") || !slices.Contains(g, "BR") {
		t.Errorf("countries %v", got)
	}
	evs := genEvents(30, t0, "")
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "b1", Created: t0}, evs, nil); err != nil {
		t.Fatal(err)
	}
	ds, err := s.UserDomains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds, []string{"northwind-lab.onmicrosoft.com"}) {
		t.Errorf("domains %v", ds)
	}
	n, newest, err := s.OperationsSince(ctx, []string{"New-InboxRule"}, t0.Add(-time.Hour))
	if err != nil || n == 0 || newest.IsZero() {
		t.Errorf("OperationsSince: %d %v %v", n, newest, err)
	}
}
