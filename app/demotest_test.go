package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/walkthrough"
)

// TestDemoWalkthroughPassesWithinAMinute runs --demo's wiring (startDemo:
// the simulator, its poll interval, the action delay) in real time: "Let the
// demo tenant do it" for both detection tests, then the walkthrough checks
// as the window does. Each test's record must be collected, its finding
// raised and the test marked passed within a minute of the request (it took
// up to 5 minutes when the action waited for the simulator's next blob).
func TestDemoWalkthroughPassesWithinAMinute(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, b, _ := startDemo(t, ctx)
	if !b.CanPerformTestAction() {
		t.Fatal("the demo cannot perform the test actions")
	}
	asked := time.Now()
	tests := []walkthrough.TestID{walkthrough.ForwardingRule, walkthrough.GlobalAdmin}
	for _, id := range tests {
		if p, err := b.PerformTestAction(ctx, id); err != nil || p.Step != walkthrough.StepWaiting {
			t.Fatalf("%s: step %v, err %v; want waiting", id, p.Step, err)
		}
	}
	m := b.Walkthrough()
	passed := map[walkthrough.TestID]walkthrough.Progress{}
	for time.Since(asked) < time.Minute && len(passed) < len(tests) {
		time.Sleep(500 * time.Millisecond) // real time: the collector and the simulator run on the wall clock
		for _, id := range tests {
			if _, done := passed[id]; done {
				continue
			}
			p, err := m.Check(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Step == walkthrough.StepPassed {
				passed[id] = p
				t.Logf("%s passed %v after the request", id, time.Since(asked).Round(100*time.Millisecond))
			}
		}
	}
	for _, id := range tests {
		p, ok := passed[id]
		if !ok {
			t.Errorf("%s: not passed within a minute of the request", id)
			continue
		}
		if p.RecordsSeen < 1 {
			t.Errorf("%s passed without the test record collected", id)
		}
		test, _ := walkthrough.TestByID(id)
		f, err := b.Finding(ctx, p.FindingID)
		if err != nil || f.RuleID != test.RuleID {
			t.Errorf("%s: finding %d is %q (err %v), want rule %s", id, p.FindingID, f.RuleID, err, test.RuleID)
		}
	}
}

// TestDemoRunTestFlag: --demo --run-test names a detection test; an unknown
// one is refused before anything starts.
func TestDemoRunTestFlag(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"--demo", "--run-test", "delete-tenant"}, 1, `unknown detection test "delete-tenant"`},
		{[]string{"--demo", "--help"}, 0, "with --demo: start a detection test at launch"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			c := &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{}}
			code, stdout, stderr := c.run("", tt.args...)
			if code != tt.wantCode || !strings.Contains(stdout+stderr, tt.wantErr) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tt.wantCode, tt.wantErr, stdout, stderr)
			}
		})
	}
}

// startDemo wires a healthy demo tenant as --demo does (startDemo's
// simulator, poll interval and action delay) into a new profile, with ctx
// as the demo's signal context. The collector is stopped, then the tenant
// closed, when the test ends.
func startDemo(t *testing.T, ctx context.Context) (profile.Profile, *backend, *simulator.Sim) {
	t.Helper()
	p := profile.Profile{Dir: t.TempDir()}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	b := newDemoBackend(p, log, nil)
	sim, err := connectDemo(ctx, b, p, simulator.ScenarioHealthy, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	t.Cleanup(b.shutdown)
	return p, b, sim
}
