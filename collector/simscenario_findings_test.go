package collector_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/simulator"
)

// drainFindings drains a scenario's 7 days with detections on and returns
// the simulator and every finding.
func drainFindings(t *testing.T, cfg simulator.Config) (*simulator.Sim, []finding.Finding) {
	t.Helper()
	ctx := context.Background()
	d := &lateDetector{}
	r := newRigB(t, cfg, collector.Options{Detector: d})
	attachEngine(t, r, d, nil)
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
	fs, err := r.store.Findings(ctx, finding.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return r.sim, fs
}

// TestAttackRaisesEveryExpectedFindingOnce: the attack storyline covers
// every row of the detection pack, and each finding the simulator's ground
// truth names is raised exactly once; nothing else of medium or higher is.
func TestAttackRaisesEveryExpectedFindingOnce(t *testing.T) {
	for _, seed := range []int64{7, 21} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			sim, fs := drainFindings(t, simulator.Config{Scenario: simulator.ScenarioAttack, Seed: seed, Users: 12})
			want := sim.ExpectedFindings()
			rows := map[int]bool{}
			expected := map[[2]string]bool{}
			for _, w := range want {
				rows[w.Row] = true
				expected[[2]string{w.RuleID, w.Key}] = true
				n := 0
				for _, f := range fs {
					if f.RuleID == w.RuleID && f.Key == w.Key {
						n++
					}
				}
				if n != 1 {
					t.Errorf("row %d %s (rule %s, key %q): %d findings, want exactly 1", w.Row, w.What, w.RuleID, w.Key, n)
				}
			}
			for row := 1; row <= 16; row++ {
				if !rows[row] {
					t.Errorf("pack row %d has no expected finding in the attack storyline", row)
				}
			}
			for _, f := range fs {
				if f.Severity >= finding.Medium && !expected[[2]string{f.RuleID, f.Key}] {
					t.Errorf("unexpected %v finding %q key %q: %s", f.Severity, f.RuleTitle, f.Key, f.What)
				}
			}
		})
	}
}

// TestBenignScenariosRaiseNothingMediumOrHigher: a healthy tenant and a busy
// one full of near misses (internal forwarding, failures below thresholds,
// non-privileged roles, downloads below the mass threshold, travel within
// the home country) raise no finding of medium severity or higher over the
// 7-day backlog.
func TestBenignScenariosRaiseNothingMediumOrHigher(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		seed     int64
	}{{simulator.ScenarioHealthy, 7}, {simulator.ScenarioBusyBenign, 7}, {simulator.ScenarioBusyBenign, 22}} {
		t.Run(fmt.Sprint(tc.scenario, tc.seed), func(t *testing.T) {
			sim, fs := drainFindings(t, simulator.Config{Scenario: tc.scenario, Seed: tc.seed, Users: 12})
			if n := len(sim.ExpectedFindings()); n != 0 {
				t.Errorf("%s expects %d findings, want none", tc.scenario, n)
			}
			low := 0
			for _, f := range fs {
				if f.Severity >= finding.Medium {
					t.Errorf("%v finding %q key %q: %s", f.Severity, f.RuleTitle, f.Key, f.What)
				} else {
					low++
				}
			}
			t.Logf("%s: %d low/informational findings, none medium or higher", tc.scenario, low)
		})
	}
}
