package collector_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
)

// lateDetector lets a test build the engine once the rig's store exists.
type lateDetector struct {
	mu       sync.Mutex
	eng      *detect.Engine
	backfill int // records evaluated as backfill
	live     int
}

func (d *lateDetector) Process(ctx context.Context, evs []store.Event, backfill bool) error {
	d.mu.Lock()
	if backfill {
		d.backfill += len(evs)
	} else {
		d.live += len(evs)
	}
	d.mu.Unlock()
	return d.eng.Process(ctx, evs, backfill)
}

func attachEngine(t testing.TB, r *rig, d *lateDetector, onFinding func(detect.Notice)) {
	t.Helper()
	eng, err := detect.New(context.Background(), detect.Options{Store: r.store, OnFinding: onFinding})
	if err != nil {
		t.Fatal(err)
	}
	eng.SetTenantDomains([]string{r.sim.Tenant().Domain})
	d.eng = eng
}

// TestAttackScenarioFindings drains the attack scenario's 7 days with
// detections on: the spray, the new-country sign-in, the forwarding rule, the
// mailbox forward and Microsoft's alert are each found exactly once, and
// feeding every record again changes nothing.
func TestAttackScenarioFindings(t *testing.T) {
	ctx := context.Background()
	d := &lateDetector{}
	r := newRigB(t, simulator.Config{Scenario: simulator.ScenarioAttack, Seed: 7, Users: 12}, collector.Options{Detector: d})
	var mu sync.Mutex
	var notices []detect.Notice
	attachEngine(t, r, d, func(n detect.Notice) { mu.Lock(); notices = append(notices, n); mu.Unlock() })
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
	fs, err := r.store.Findings(ctx, finding.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		rule, keyHas, whatHas string
	}{
		{"664a1672-32d3-402a-b4f3-ed45f04d432e", "95.165.12.77", "different accounts"}, // spray
		{"2866f998-90dd-4a92-b5b2-62c7507251f4", "VN", "14.161.22.75"},                 // new country
		{"9082ecc0-43b0-45e1-b9f2-fe5c96955d38", "Sync backup", "proton-mail.example"}, // forwarding rule
		{"3134994f-48f5-48b9-9442-75f414a71a04", "", "proton-mail.example"},            // mailbox forwarding
		{"d84e8bd6-8447-4a78-97d2-0b2e1bd23975", "Suspicious email forwarding", ""},    // Microsoft's alert
	}
	for _, w := range want {
		n := 0
		for _, f := range fs {
			if f.RuleID == w.rule && strings.Contains(f.Key, w.keyHas) && strings.Contains(f.What, w.whatHas) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("rule %s key~%q: %d findings, want exactly 1", w.rule, w.keyHas, n)
		}
	}
	if d.backfill == 0 {
		t.Error("the first drain was not evaluated as a backfill")
	}
	before := len(fs)
	// The same records again (a replay): nothing changes.
	var evs []store.Event
	if err := r.store.ForEach(ctx, store.Filter{}, func(ev store.Event) error { evs = append(evs, ev); return nil }); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	nNotices := len(notices)
	mu.Unlock()
	if err := d.Process(ctx, evs, false); err != nil {
		t.Fatal(err)
	}
	after, _ := r.store.Findings(ctx, finding.Filter{})
	if len(after) != before || len(notices) != nNotices {
		t.Errorf("replay: %d -> %d findings, %d new notices", before, len(after), len(notices)-nNotices)
	}
}

// BenchmarkDrainBacklogDetect is BenchmarkDrainBacklog with the detection
// engine evaluating every committed blob (AUDITLIGHT_BENCH_USERS as there).
//
//	go test -run '^$' -bench DrainBacklogDetect -benchtime 1x -timeout 30m ./collector/
func BenchmarkDrainBacklogDetect(b *testing.B) {
	users := benchUsers()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := &lateDetector{}
		r := newRigB(b, simulator.Config{Seed: int64(100 + i), Users: users}, collector.Options{FetchWorkers: 8, Detector: d})
		attachEngine(b, r, d, nil)
		b.StartTimer()
		if err := r.coll.Drain(context.Background()); err != nil {
			b.Fatalf("drain: %v", err)
		}
		b.StopTimer()
		total, _ := r.store.Total(context.Background())
		fs, _ := r.store.Findings(context.Background(), finding.Filter{})
		b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "records/s")
		b.ReportMetric(float64(d.backfill+d.live), "evaluated")
		b.ReportMetric(float64(len(fs)), "findings")
	}
}

// TestDemoAdminActionsRaiseTheTestFindings: the simulator's on-demand admin
// actions (the demo's "Test my detections") reach the store in the next
// blob and raise the external forwarding and Global Administrator findings.
func TestDemoAdminActionsRaiseTheTestFindings(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	d := &lateDetector{}
	r := newRigB(t, simulator.Config{Seed: 3, Users: 4, RecordsPerUserDay: 20, Clock: clock}, collector.Options{Detector: d})
	attachEngine(t, r, d, nil)
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{simulator.AdminActionForwardingRule, simulator.AdminActionGlobalAdmin} {
		if _, err := r.sim.AdminAction(a, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.sim.AdminAction("delete-everything", 0); err == nil {
		t.Error("unknown admin action accepted")
	}
	mu.Lock()
	now = now.Add(6 * time.Minute) // past the next blob of every content type
	mu.Unlock()
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for rule, keyHas := range map[string]string{
		"9082ecc0-43b0-45e1-b9f2-fe5c96955d38": "AuditLight test",
		"0521ec79-8788-4490-8371-22e6f1c82a55": "Global Administrator",
	} {
		fs, err := r.store.Findings(ctx, finding.Filter{RuleID: rule})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fs {
			if strings.Contains(f.Key, keyHas) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("rule %s: %d findings with %q, want 1 (%+v)", rule, n, keyHas, fs)
		}
	}
}
