package collector_test

import (
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestMemoryGoesBackWhenTheBackfillEnds: the memory a backfill used goes
// back to the system as the backfill ends, not at a status tick in the idle
// time after it (issue 12: that release was most of the hidden app's idle
// CPU above a hello world's); a later poll that finds nothing new releases
// nothing. The status ticks never fire here: the release must not wait for
// them.
func TestMemoryGoesBackWhenTheBackfillEnds(t *testing.T) {
	const poll = time.Minute
	polls, sleep := pollsOnCue(poll)
	r := newRig(t, simulator.Config{Seed: 5, Users: 2}, collector.Options{PollInterval: poll, Sleep: sleep})
	releases := collector.CountReleases(r.coll)
	ctx, ch := r.runFor(t, 2*time.Minute)
	var st health.Status
	for st.Backfilling || st.Backfill < 100 || st.TotalRecords == 0 {
		select {
		case st = <-ch:
		case <-ctx.Done():
			t.Fatalf("the backfill never completed; last status %+v", st)
		}
	}
	if n := releases(); n > 1 {
		t.Fatalf("%d releases by the end of the backfill, want one", n)
	}
	settle := func(want int64, why string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for releases() < want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond) // a second release would come now
		if n := releases(); n != want {
			t.Fatalf("%s: %d releases, want %d", why, n, want)
		}
	}
	settle(1, "the backfill has ended")
	// Every content type polls once more and finds nothing new (the
	// simulator's clock stands still).
	before := r.sim.Stats().ManagementRequests
	for range len(st.Workloads) {
		polls <- struct{}{}
	}
	for r.sim.Stats().ManagementRequests < before+len(st.Workloads) {
		select {
		case <-ctx.Done():
			t.Fatal("the content types did not poll again")
		case <-time.After(10 * time.Millisecond):
		}
	}
	settle(1, "after a poll of every content type that stored nothing")
}
