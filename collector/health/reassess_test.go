package health

import (
	"strings"
	"testing"
	"time"
)

// TestReassessNeverShowsAnOldSnapshotAsCurrent: `status` read 15 minutes after
// `collect --once` ended must not say "healthy … last poll 0 seconds ago".
func TestReassessNeverShowsAnOldSnapshotAsCurrent(t *testing.T) {
	saved := Evaluate(healthyInputs(), now, Thresholds{})
	if saved.State != Healthy {
		t.Fatalf("precondition: saved state %v", saved.State)
	}
	red := Evaluate(func() Inputs { in := healthyInputs(); in.SecretExpiry = now.Add(-time.Hour); return in }(), now, Thresholds{})
	cases := []struct {
		name    string
		saved   Status
		readAt  time.Time
		running bool
		state   State
		reason  string
	}{
		{"running, fresh snapshot", saved, now.Add(30 * time.Second), true, Healthy, "Online and logging"},
		{"running, snapshot 10 min old (stuck)", saved, now.Add(10 * time.Minute), true, Degraded, "may be stuck"},
		{"not running, 15 min after", saved, now.Add(15 * time.Minute), false, Degraded, "not running since"},
		{"not running, 2 days after", saved, now.Add(48 * time.Hour), false, ActionNeeded, "not running since"},
		{"not running, never ran", Status{State: WaitingForData}, now, false, Degraded, "has not collected anything"},
		{"not running, red stays red", red, now.Add(time.Minute), false, ActionNeeded, "expired on"},
		{"not configured stays grey", Status{State: NotConfigured}, now, false, NotConfigured, "not connected"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Reassess(c.saved, c.readAt, c.running, Thresholds{})
			if got.State != c.state || got.Colour != c.state.Colour() {
				t.Fatalf("state = %v (%s), want %v: %s", got.State, got.Colour, c.state, got.Reason)
			}
			if !strings.Contains(got.Reason, c.reason) {
				t.Fatalf("reason %q lacks %q", got.Reason, c.reason)
			}
			if !c.running && c.state != NotConfigured && strings.Contains(got.Reason, "Last poll 0 seconds ago") {
				t.Fatalf("old snapshot shown as current: %q", got.Reason)
			}
			if !c.running && c.saved.State != NotConfigured && !c.saved.At.IsZero() && !got.NotRunningSince.Equal(c.saved.At) {
				t.Fatalf("NotRunningSince = %v, want %v", got.NotRunningSince, c.saved.At)
			}
		})
	}
}
