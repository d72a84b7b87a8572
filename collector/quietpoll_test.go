package collector_test

import (
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestAQuietPollPublishesNothingAndAFailedOneAtOnce: once caught up, a
// content type's minute poll that finds nothing new changes nothing a user
// sees but "last checked", which the 30-s status tick publishes; it no
// longer re-reads the store's statistics for a status of its own (issue 12:
// five types' polls each published one, most of the hidden app's idle
// work). A failed poll still publishes at once, so the light turns amber
// or red as fast as before. The status ticks never fire here.
func TestAQuietPollPublishesNothingAndAFailedOneAtOnce(t *testing.T) {
	const poll = time.Minute
	polls, sleep := pollsOnCue(poll)
	r := newRig(t, simulator.Config{Seed: 7, Users: 2}, collector.Options{PollInterval: poll, Sleep: sleep})
	publishes := collector.CountPublishes(r.coll)
	ctx, ch := r.runFor(t, 2*time.Minute)
	var st health.Status
	for st.State != health.Healthy || st.Backfilling || st.Backfill < 100 {
		select {
		case st = <-ch:
		case <-ctx.Done():
			t.Fatalf("never green after the backfill; last status %v %q", st.State, st.Reason)
		}
	}
	types := len(st.Workloads)
	// round has every content type poll once more and waits until each
	// poll's request reached the simulator and its outcome was handled.
	round := func() {
		t.Helper()
		before := r.sim.Stats().ManagementRequests
		for range types {
			select {
			case polls <- struct{}{}:
			case <-ctx.Done():
				t.Fatal("the content types did not wait for their next poll")
			}
		}
		for r.sim.Stats().ManagementRequests < before+types {
			select {
			case <-ctx.Done():
				t.Fatal("the content types did not poll again")
			case <-time.After(10 * time.Millisecond):
			}
		}
		time.Sleep(300 * time.Millisecond) // the polls' outcomes are handled now
	}
	round() // the last backfill windows' publishes are behind us
	tests := []struct {
		name   string
		mutate func(*simulator.State)
		min    int64 // publishes in the round
		max    int64
		green  bool // the latest status is still green
	}{
		{"nothing new: no publish", nil, 0, 0, true},
		{"auditing turned off: every failing type publishes at once", func(s *simulator.State) { s.AuditEnabled = false },
			1, int64(types), false},
	}
	for _, tc := range tests {
		if tc.mutate != nil {
			r.sim.Mutate(tc.mutate)
		}
		before := publishes()
		round()
		n := publishes() - before
		if n < tc.min || n > tc.max {
			t.Fatalf("%s: %d publishes in a round of %d polls, want %d..%d", tc.name, n, types, tc.min, tc.max)
		}
		select {
		case st = <-ch:
		default:
		}
		if green := st.State == health.Healthy; green != tc.green {
			t.Fatalf("%s: the status is %v %q after the round", tc.name, st.State, st.Reason)
		}
	}
}
