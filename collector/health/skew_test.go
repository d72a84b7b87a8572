package health

import (
	"strings"
	"testing"
	"time"
)

// TestClockSkewIsNamedAndDoesNotReadAsLag: a computer 8 days fast is told so;
// it is not "8 days behind Microsoft".
func TestClockSkewIsNamedAndDoesNotReadAsLag(t *testing.T) {
	cases := []struct {
		name   string
		skew   time.Duration
		state  State
		reason string
	}{
		{"8 days fast", -8 * 24 * time.Hour, Degraded, "clock is 8 days fast"},
		{"3 hours slow", 3 * time.Hour, Degraded, "clock is 3 hours slow"},
		{"2 seconds off", -2 * time.Second, Healthy, "Online and logging"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthyInputs()
			// The collector's times are Microsoft's; the local clock is off by -skew.
			local := now.Add(-c.skew)
			in.ClockSkew = c.skew
			in.LastPoll = local.Add(-30 * time.Second)
			got := Evaluate(in, local, Thresholds{})
			if got.State != c.state || !strings.Contains(got.Reason, c.reason) {
				t.Fatalf("got %v %q, want %v containing %q", got.State, got.Reason, c.state, c.reason)
			}
			if strings.Contains(got.Reason, "behind Microsoft") {
				t.Fatalf("skew read as lag: %q", got.Reason)
			}
			for _, w := range got.Workloads {
				if w.Lag > time.Hour {
					t.Fatalf("%s lag %v: skew counted as lag", w.Name, w.Lag)
				}
			}
		})
	}
}

// TestPersistentSlownessIsAmberWithItsReason: retries that succeed in the end
// must not hide minutes of throttling or stalling behind a green light.
func TestPersistentSlownessIsAmberWithItsReason(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Inputs)
		state  State
		reason string
	}{
		{"throttled for 5 minutes", func(in *Inputs) { in.ThrottledSince = now.Add(-5 * time.Minute) }, Degraded, "Microsoft is throttling; catching up more slowly"},
		{"stalling for 4 minutes", func(in *Inputs) { in.StalledSince = now.Add(-4 * time.Minute) }, Degraded, "network to Microsoft is unreliable"},
		{"neither", func(*Inputs) {}, Healthy, "Online and logging"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthyInputs()
			c.mutate(&in)
			got := Evaluate(in, now, Thresholds{})
			if got.State != c.state || !strings.Contains(got.Reason, c.reason) {
				t.Fatalf("got %v %q, want %v containing %q", got.State, got.Reason, c.state, c.reason)
			}
		})
	}
}
