package collector_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/collector/walkthrough"
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

// memDoc keeps the walkthrough's saved document in memory.
type memDoc struct {
	mu  sync.Mutex
	doc []byte
}

func (m *memDoc) Load(context.Context) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.doc, m.doc != nil, nil
}

func (m *memDoc) Save(_ context.Context, doc []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.doc = doc
	return nil
}

// storeObserver answers the walkthrough from the rig's store.
type storeObserver struct{ st *store.Store }

func (o storeObserver) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	return o.st.Findings(ctx, f)
}

func (o storeObserver) RecordsSince(ctx context.Context, ops []string, since time.Time) (int64, time.Time, error) {
	return o.st.OperationsSince(ctx, ops, since)
}

// TestDemoDetectionTestsPassWithinAMinute: in the demo, "Test my
// detections" is seen end to end in about a minute of the tenant's time.
// The admin asks for both tests' actions (the simulator performs them 10 s
// later, as --demo does); the collector, polling every 5 s like --demo,
// stores each record, the engine raises the external forwarding and Global
// Administrator findings (exactly one each) and the walkthrough marks both
// tests passed, all within 60 s of the request.
func TestDemoDetectionTestsPassWithinAMinute(t *testing.T) {
	const (
		actionDelay = 10 * time.Second // app's demoActionDelay
		pollEvery   = 5 * time.Second  // app's demo PollSeconds
		budget      = time.Minute
	)
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Now().UTC()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	d := &lateDetector{}
	r := newRigB(t, simulator.Config{Seed: 3, Users: 4, RecordsPerUserDay: 20, Clock: clock}, collector.Options{Detector: d, Clock: clock})
	attachEngine(t, r, d, nil)
	if err := r.coll.Drain(ctx); err != nil { // the 7-day backfill
		t.Fatal(err)
	}
	m := walkthrough.New(&memDoc{}, storeObserver{r.store}, clock)
	tests := []struct {
		id     walkthrough.TestID
		action string
		keyHas string
	}{
		{walkthrough.ForwardingRule, simulator.AdminActionForwardingRule, "AuditLight test"},
		{walkthrough.GlobalAdmin, simulator.AdminActionGlobalAdmin, "Global Administrator"},
	}
	asked := clock()
	records := map[walkthrough.TestID]string{}
	for _, tc := range tests {
		if _, err := m.Acted(ctx, tc.id); err != nil {
			t.Fatal(err)
		}
		id, err := r.sim.AdminAction(tc.action, actionDelay)
		if err != nil {
			t.Fatal(err)
		}
		records[tc.id] = id
	}
	passed := map[walkthrough.TestID]time.Duration{}
	for clock().Sub(asked) < 2*budget && len(passed) < len(tests) {
		advance(pollEvery)
		if err := r.coll.Drain(ctx); err != nil { // one poll of every content type
			t.Fatal(err)
		}
		for _, tc := range tests {
			p, err := m.Check(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := passed[tc.id]; !ok && p.Step == walkthrough.StepPassed {
				passed[tc.id] = clock().Sub(asked)
				if p.RecordsSeen < 1 {
					t.Errorf("%s passed with no record seen", tc.id)
				}
			}
		}
	}
	for _, tc := range tests {
		took, ok := passed[tc.id]
		if !ok || took > budget {
			t.Errorf("%s test: passed=%v after %v of tenant time, want within %v", tc.id, ok, took, budget)
		} else {
			t.Logf("%s test passed %v after the request", tc.id, took)
		}
		if n, err := r.store.Count(ctx, store.Filter{IDs: []string{records[tc.id]}}); err != nil || n != 1 {
			t.Errorf("%s: the test record was not collected: %d stored, %v", tc.id, n, err)
		}
		t2, _ := walkthrough.TestByID(tc.id)
		fs, err := r.store.Findings(ctx, finding.Filter{RuleID: t2.RuleID})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fs {
			full, err := r.store.Finding(ctx, f.ID) // with its evidence
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(f.Key, tc.keyHas) && slices.Contains(full.Evidence, records[tc.id]) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d findings with %q holding the test record, want 1 (%+v)", tc.id, n, tc.keyHas, fs)
		}
	}
	if _, err := r.sim.AdminAction("delete-everything", 0); err == nil {
		t.Error("unknown admin action accepted")
	}
}
