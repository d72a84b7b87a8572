package collector_test

import (
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestBackfillHoldKeepsTheFirstPollAndItsGreen: while the GUI's window
// starts (issue 12), each content type does its first real poll (one
// hour-long window listed, fetched, committed) and the light turns green on
// it, then waits;
// once the hold is released the backfill completes exactly once.
func TestBackfillHoldKeepsTheFirstPollAndItsGreen(t *testing.T) {
	hold := make(chan struct{})
	r := newRig(t, simulator.Config{Seed: 21, Users: 2}, collector.Options{BackfillHold: hold})
	ctx, ch := r.runFor(t, 2*time.Minute)
	// The first window of a backfill is an hour: the first poll, small so
	// the light turns green soon (not a 24-hour seventh of the backfill).
	firstWindow := 100 * float64(time.Hour) / float64(r.lookback)
	allHeld := func(st health.Status) bool {
		if len(st.Workloads) == 0 {
			return false
		}
		for _, w := range st.Workloads {
			if !w.Backfilling || w.BackfillPercent <= 0 {
				return false
			}
		}
		return true
	}
	var st health.Status
	for !allHeld(st) {
		select {
		case st = <-ch:
		case <-ctx.Done():
			t.Fatalf("the content types never all finished a first window; last status %+v", st)
		}
	}
	if st.State != health.Healthy || !st.Backfilling {
		t.Fatalf("status after every type's first window: %v (backfilling %v) %q; want green, still catching up",
			st.State, st.Backfilling, st.Reason)
	}
	// Held, nothing goes past the first window: without the hold the rest
	// of this small backfill is done within this wait.
	quiet := time.After(2 * time.Second)
	for held := true; held; {
		for _, w := range st.Workloads {
			if w.BackfillPercent > firstWindow+0.5 {
				t.Fatalf("%s went past its first window while held: %.1f %% of the backfill done, the first window is %.1f %%",
					w.ContentType, w.BackfillPercent, firstWindow)
			}
		}
		select {
		case st = <-ch:
		case <-quiet:
			held = false
		}
	}
	close(hold)
	for st.Backfilling {
		select {
		case st = <-ch:
		case <-ctx.Done():
			t.Fatalf("the backfill did not finish after the hold was released; last status %q", st.Reason)
		}
	}
	if m, x := r.compare(t); m != 0 || x != 0 {
		t.Fatalf("missing %d, extra %d after a held backfill; want 0 and 0", m, x)
	}
}
