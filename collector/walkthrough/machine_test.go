package walkthrough

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

type memPersister struct{ doc []byte }

func (p *memPersister) Load(context.Context) ([]byte, bool, error) { return p.doc, p.doc != nil, nil }
func (p *memPersister) Save(_ context.Context, d []byte) error     { p.doc = d; return nil }

type fakeObserver struct {
	findings []finding.Finding
	records  int64
	newest   time.Time
}

func (o *fakeObserver) Findings(_ context.Context, f finding.Filter) ([]finding.Finding, error) {
	var out []finding.Finding
	for _, x := range o.findings {
		if x.RuleID == f.RuleID && !x.LastSeen.Before(f.Since) {
			out = append(out, x)
		}
	}
	return out, nil
}

func (o *fakeObserver) RecordsSince(context.Context, []string, time.Time) (int64, time.Time, error) {
	return o.records, o.newest, nil
}

func TestWalkthroughSurvivesRestartAndPasses(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	p := &memPersister{}
	obs := &fakeObserver{}
	m := New(p, obs, clock)

	st, err := m.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Tests) != 2 || st.Get(ForwardingRule).Step != StepInstructions {
		t.Fatalf("fresh state %+v", st)
	}
	if _, err := m.Acted(ctx, ForwardingRule); err != nil {
		t.Fatal(err)
	}
	now = now.Add(40 * time.Minute)
	// An old finding of the same rule (before the action) must not pass it.
	obs.findings = []finding.Finding{{ID: 1, RuleID: ruleExternalForwarding, LastSeen: now.Add(-3 * time.Hour)}}
	m = New(p, obs, clock) // restart: a new machine over the same persisted state
	pr, err := m.Check(ctx, ForwardingRule)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Step != StepWaiting || pr.Waited(now) != 40*time.Minute {
		t.Fatalf("after restart: %+v", pr)
	}
	if txt := pr.WaitText(now); !strings.Contains(txt, "60–90 minutes") || !strings.Contains(txt, "No matching audit record") {
		t.Errorf("wait text %q", txt)
	}
	obs.records, obs.newest = 1, now.Add(-30*time.Minute)
	obs.findings = append(obs.findings, finding.Finding{ID: 7, RuleID: ruleExternalForwarding, LastSeen: now.Add(-30 * time.Minute)})
	now = now.Add(50 * time.Minute)
	pr, err = m.Check(ctx, ForwardingRule)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Step != StepPassed || pr.FindingID != 7 || pr.RecordsSeen != 1 {
		t.Fatalf("not passed: %+v", pr)
	}
	st, _ = New(p, obs, clock).State(ctx)
	if st.Get(GlobalAdmin).Step != StepInstructions || st.Get(ForwardingRule).Step != StepPassed {
		t.Errorf("persisted state %+v", st)
	}
	if _, err := m.CleanedUp(ctx, GlobalAdmin); err == nil {
		t.Error("clean-up of a test that has not passed was accepted")
	}
	if pr, err = m.CleanedUp(ctx, ForwardingRule); err != nil || !pr.CleanedUp {
		t.Errorf("clean-up: %+v %v", pr, err)
	}
	if _, err := m.Acted(ctx, "nonsense"); err == nil {
		t.Error("unknown test accepted")
	}
}

func TestWaitTextByStep(t *testing.T) {
	acted := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		p    Progress
		now  time.Time
		want string
	}{
		{Progress{Step: StepInstructions}, acted, "Not started"},
		{Progress{Step: StepWaiting, ActedAt: acted}, acted.Add(75 * time.Minute), "1 h 15 min"},
		{Progress{Step: StepWaiting, ActedAt: acted}, acted.Add(5 * time.Hour), "longer than usual"},
		{Progress{Step: StepPassed, ActedAt: acted, PassedAt: acted.Add(80 * time.Minute)}, acted.Add(2 * time.Hour), "1 h 20 min"},
		// the demo tenant: seconds, not "0 min"
		{Progress{Step: StepPassed, ActedAt: acted, PassedAt: acted.Add(22 * time.Second)}, acted.Add(time.Minute), "finding 22 s after"},
		{Progress{Step: StepWaiting, ActedAt: acted}, acted.Add(8 * time.Second), "Waiting for 8 s."},
		{Progress{Step: StepPassed, ActedAt: acted, PassedAt: acted.Add(59*time.Second + 600*time.Millisecond)}, acted.Add(2 * time.Minute), "finding 1 min after"},
	}
	for _, tt := range tests {
		if got := tt.p.WaitText(tt.now); !strings.Contains(got, tt.want) {
			t.Errorf("%v: %q lacks %q", tt.p.Step, got, tt.want)
		}
	}
}
