package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestDemoGreenOnlyAfterItsFirstPoll follows --demo's start as the window
// and tray see it (issue 12): from the first status, before the simulator
// is even up, the demo says it is connecting (never the grey "not set up");
// it turns green only on a real poll — a window listed, its records
// fetched and stored — and, while the window is not up yet, the backfill
// waits after that first poll.
func TestDemoGreenOnlyAfterItsFirstPoll(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := Profile{Dir: t.TempDir()}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	hold, release := newBackfillHold()
	defer release()
	b := newDemoBackend(p, slog.New(slog.DiscardHandler), hold)
	ch, unsub := b.status.Subscribe()
	defer unsub()
	first, ok := b.status.Latest()
	if !ok || first.State != health.WaitingForData {
		t.Fatalf("the demo's first status: %v %q; want %v (connecting)", first.State, first.Reason, health.WaitingForData)
	}
	sim, err := connectDemo(ctx, b, p, simulator.ScenarioHealthy, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	defer b.shutdown()
	var st health.Status
	for st.State != health.Healthy {
		select {
		case st = <-ch:
		case <-ctx.Done():
			t.Fatalf("never green; last status %v %q", st.State, st.Reason)
		}
		if st.State == health.NotConfigured {
			t.Fatalf("the demo showed %q while connecting", st.Reason)
		}
	}
	polled := false
	for _, w := range st.Workloads {
		polled = polled || (w.Backfilling && w.BackfillPercent > 0)
	}
	if !polled || st.TotalRecords == 0 {
		t.Fatalf("green before a poll stored records: %q, %d records, workloads %+v", st.Reason, st.TotalRecords, st.Workloads)
	}
	if !st.Backfilling {
		t.Fatalf("the 7-day backfill finished while the window was not up: %q", st.Reason)
	}
}
