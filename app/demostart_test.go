package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/profile"
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
	p := profile.Profile{Dir: t.TempDir()}
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

// TestDemoTenantOutlivesSIGTERM: on SIGTERM the demo's collector is stopped
// first, talking to its tenant until the end; the tenant closed with the
// signal had cut its last requests into network retries and held the quit
// ~2 s in the server's shutdown.
func TestDemoTenantOutlivesSIGTERM(t *testing.T) {
	ctx, sigterm := context.WithCancel(context.Background())
	defer sigterm()
	_, _, sim := startDemo(t, ctx)
	sigterm()
	time.Sleep(100 * time.Millisecond) // the simulator's watcher used to close it now
	resp, err := sim.Client().Get(sim.GroundTruthURL())
	if err != nil {
		t.Fatalf("the demo tenant stopped answering at SIGTERM, before the collector stopped: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ground truth: %s", resp.Status)
	}
}

// TestDemoThatCannotOpenAWindowLeavesNothingRunning: a demo whose window
// cannot open (no GUI driver, a graphics failure) ends while its tenant is
// still connecting. The collector that connection starts used to outlive
// the demo — shut down before it existed — retrying a closed tenant and
// logging into the removed throwaway profile, which it made again.
func TestDemoThatCannotOpenAWindowLeavesNothingRunning(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the demo's throwaway profile goes here
	var stderr lockedBuffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(string) string { return "" }}
	err := runDemo(context.Background(), e, string(simulator.ScenarioHealthy), nil)
	if err == nil || !strings.Contains(err.Error(), "no GUI driver") {
		t.Fatalf("runDemo without a GUI driver: %v", err)
	}
	for range 30 { // a leaked collector logs within its first retries
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Fatalf("the demo left %s behind, written after it ended; log:\n%s", left[0].Name(), stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDemoWindowNeedsOnlyTheSavedConfig: the demo lets its window build its
// screens as soon as its config is saved — the dashboard, not the setup
// wizard, since the backend is configured — while the sign-in, the store
// and the collector are still to come (issue 12: the window had waited for
// all of them, ~0.1–0.45 s on the path to green once the tray's hidden
// window was gone). The status meanwhile is "Connecting…", never green, and
// green still comes only from the collector.
func TestDemoWindowNeedsOnlyTheSavedConfig(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := profile.Profile{Dir: t.TempDir()}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	b := newDemoBackend(p, slog.New(slog.DiscardHandler), nil)
	ch, unsub := b.status.Subscribe()
	defer unsub()
	type atSave struct {
		configured, collecting bool
		status                 health.State
	}
	seen := make(chan atSave, 1)
	sim, err := connectDemoSaved(ctx, b, p, simulator.ScenarioHealthy, slog.New(slog.DiscardHandler), func() {
		st, _ := b.status.Latest()
		seen <- atSave{configured: b.Configured(), collecting: b.runtime() != nil, status: st.State}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	defer b.shutdown()
	var at atSave
	select {
	case at = <-seen:
	default:
		t.Fatal("the demo never said its config was saved")
	}
	if !at.configured {
		t.Error("at the signal the backend is not configured: the window would show the setup wizard")
	}
	if at.collecting {
		t.Error("the signal came after the collector started: the window waited for the sign-in and the store")
	}
	if at.status == health.Healthy {
		t.Error("green before the collector ran")
	}
	for {
		select {
		case st := <-ch:
			if st.State != health.Healthy {
				continue
			}
			if b.runtime() == nil {
				t.Fatal("green without a collector")
			}
			return
		case <-ctx.Done():
			t.Fatal("never green")
		}
	}
}
