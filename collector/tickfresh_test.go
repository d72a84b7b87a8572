package collector_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestTheStatusTickAloneTurnsAStalledCollectorAmber: when polls stop
// completing (hung, or the machine slept), nothing new is stored and nothing
// is released, yet the light must not stay green: the 30-s status tick
// re-evaluates freshness on its own, so the tray turns amber on the first
// tick after "last poll" passes 3 poll intervals + 2 minutes (issue 12: an
// idle collector does less, never a greener status).
func TestTheStatusTickAloneTurnsAStalledCollectorAmber(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ticks := make(chan struct{})
	const poll = time.Minute
	sleep := func(ctx context.Context, d time.Duration) error {
		if d == 30*time.Second { // the status tick
			select {
			case <-ticks:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		<-ctx.Done() // the next poll never comes: it is stalled
		return ctx.Err()
	}
	r := newRig(t, simulator.Config{Seed: 9, Users: 2}, collector.Options{PollInterval: poll, Sleep: sleep, Clock: clock})
	ctx, ch := r.runFor(t, 2*time.Minute)
	var st health.Status
	for st.State != health.Healthy || st.Backfilling {
		select {
		case st = <-ch:
		case <-ctx.Done():
			t.Fatalf("never green after the backfill; last status %v %q", st.State, st.Reason)
		}
	}
	tests := []struct {
		after time.Duration // since the last poll
		want  health.State
	}{
		{4 * time.Minute, health.Healthy},
		{5*time.Minute + time.Second, health.Degraded},
	}
	for _, tc := range tests {
		mu.Lock()
		now = st.LastPoll.Add(tc.after)
		mu.Unlock()
		ticks <- struct{}{}
		for {
			select {
			case st = <-ch:
			case <-ctx.Done():
				t.Fatalf("%v after the last poll: no status after the tick", tc.after)
			}
			if st.At.Equal(now) {
				break
			}
		}
		if st.State != tc.want {
			t.Fatalf("%v after the last poll, one tick: %v %q, want %v", tc.after, st.State, st.Reason, tc.want)
		}
	}
}
