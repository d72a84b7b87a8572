package collector_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
)

// rig is a collector wired to a simulator over real HTTPS with the real
// MSAL client, and a real SQLite file.
type rig struct {
	since    time.Time     // the backfill's first window starts here (simulator time)
	lookback time.Duration // the collector's MaxLookback
	sim      *simulator.Sim
	api      *activity.Client
	store    *store.Store
	coll     *collector.Collector
}

func newRig(t *testing.T, cfg simulator.Config, opt collector.Options) *rig {
	return newRigB(t, cfg, opt)
}

func newRigB(t testing.TB, cfg simulator.Config, opt collector.Options) *rig {
	t.Helper()
	ctx := context.Background()
	if cfg.Clock == nil {
		// The simulator's clock stands still, so its ground truth does not
		// grow between the drain and the comparison.
		frozen := time.Now()
		cfg.Clock = func() time.Time { return frozen }
	}
	sim, err := simulator.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	ten := sim.Tenant()
	src, err := auth.NewSource(auth.Config{
		Endpoints: auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL(),
			APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default"},
		Tenant: ten.Domain, ClientID: ten.ClientID, Secret: ten.Secret, HTTPClient: sim.Client()})
	if err != nil {
		t.Fatal(err)
	}
	// The admin typed the domain; the GUID comes from the token's tid (when
	// the scenario lets a token be issued at all).
	tid := ten.ID
	if got, err := src.TenantID(ctx); err == nil && got != ten.ID {
		t.Fatalf("tid = %s, want %s (the GUID behind the domain)", got, ten.ID)
	}
	// The test tenant's request budget is lifted so tests run at full speed;
	// throttling has its own tests (403 AF429 and 429 with Retry-After).
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	api, err := activity.New(activity.Config{BaseURL: sim.APIURL(), TenantID: tid, PublisherID: tid, HTTPClient: sim.Client(),
		Token: src.Provider(auth.API), Invalidate: src.Invalidator(auth.API), Limiter: rate.NewLimiter(rate.Inf, 1), MaxRetries: 6,
		BaseBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt.API, opt.Store = api, st
	if opt.MaxLookback == 0 {
		opt.MaxLookback = 167*time.Hour + 55*time.Minute
	}
	coll, err := collector.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	// Blobs older than the backfill's start are not the collector's to fetch
	// (2 s of slack: the skew correction reads the Date header to the second).
	since := sim.Now().Add(-opt.MaxLookback + 2*time.Second)
	return &rig{since: since, lookback: opt.MaxLookback, sim: sim, api: api, store: st, coll: coll}
}

// runFor runs r's collector in the background for at most d and returns
// its context and a subscription to its status; when the test ends the run
// is cancelled and waited for.
func (r *rig) runFor(t *testing.T, d time.Duration) (context.Context, <-chan health.Status) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	ch, unsub := r.coll.Subscribe()
	runDone := make(chan error, 1)
	go func() { runDone <- r.coll.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-runDone
		unsub()
	})
	return ctx, ch
}

// compare checks the store against the simulator's ground truth.
func (r *rig) compare(t *testing.T) (missing, extra int) {
	t.Helper()
	want := r.sim.GroundTruthSince(r.since)
	got := map[string]bool{}
	err := r.store.ForEach(context.Background(), store.Filter{}, func(ev store.Event) error {
		if got[ev.ID] {
			t.Errorf("record %s stored twice", ev.ID)
		}
		got[ev.ID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range want {
		if !got[id] {
			missing++
		}
	}
	// Anything stored must exist at the simulator (blobs just before the
	// backfill start, inside the slack, may legitimately be stored too).
	all := map[string]bool{}
	for _, id := range r.sim.GroundTruth() {
		all[id] = true
	}
	var extras []string
	for id := range got {
		if !all[id] {
			extra++
			extras = append(extras, id)
		}
	}
	sort.Strings(extras)
	if len(extras) > 3 {
		extras = extras[:3]
	}
	t.Logf("ground truth %d, stored %d, missing %d, extra %d %v", len(want), len(got), missing, extra, extras)
	return missing, extra
}

// users scales a test tenant down under -short (the race-detector run).
func users(n int) int {
	if testing.Short() {
		return max(1, n/3)
	}
	return n
}

func TestDrainHealthyTenantExactlyOnce(t *testing.T) {
	r := newRig(t, simulator.Config{Seed: 7, Users: users(6)}, collector.Options{})
	ctx := context.Background()
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
	if len(r.sim.GroundTruth()) < 1000/(6/users(6)) {
		t.Fatalf("simulator made only %d records", len(r.sim.GroundTruth()))
	}
	if m, x := r.compare(t); m != 0 || x != 0 {
		t.Fatalf("missing %d, extra %d; want 0 and 0", m, x)
	}
	// Draining again fetches nothing new and stores nothing twice.
	before := r.sim.Stats()
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("second drain: %v", err)
	}
	if m, x := r.compare(t); m != 0 || x != 0 {
		t.Fatalf("after a second drain: missing %d, extra %d", m, x)
	}
	after := r.sim.Stats()
	if n := after.Requests[simulator.KindBlob] - before.Requests[simulator.KindBlob]; n != 0 {
		t.Errorf("second drain fetched %d blobs again; content ids must be remembered", n)
	}
	if after.MissingPublisherIdentifier != 0 {
		t.Errorf("%d of %d Management API requests lacked PublisherIdentifier", after.MissingPublisherIdentifier, after.ManagementRequests)
	}
	for id, n := range after.BlobFetches {
		if n != 1 {
			t.Errorf("blob %s fetched %d times without faults; want exactly once", id, n)
			break
		}
	}
	st, _ := r.coll.Status()
	if st.State != health.Healthy {
		t.Errorf("status = %v (%s), want healthy", st.State, st.Reason)
	}
}

// TestFlakyTenantExactlyOnce runs the flaky fault mix: 429s with
// Retry-After, 403 AF429, 5xx, truncated bodies, slow answers, 60-second
// tokens, replayed records and late blobs. Nothing may be lost or
// duplicated, and the status must go amber and come back to green.
func TestFlakyTenantExactlyOnce(t *testing.T) {
	faults := &simulator.Faults{Rate429: 0.05, RateAF429: 0.03, Rate500: 0.03, Rate503: 0.03, RetryAfter: 20 * time.Millisecond,
		TruncateRate: 0.05, SlowRate: 0.02, SlowDelay: 50 * time.Millisecond, TokenLifetime: 60 * time.Second,
		ReplayRate: 0.1, LateBlobRate: 0.1, LateBy: 6 * time.Hour}
	faults.RequestsPerMinute = 1 << 30
	r := newRig(t, simulator.Config{Seed: 11, Users: users(5), Scenario: "flaky", Faults: faults}, collector.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var (
		mu     sync.Mutex
		states []health.State
	)
	ch, unsub := r.coll.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for st := range ch {
			mu.Lock()
			states = append(states, st.State)
			mu.Unlock()
		}
	}()
	// Drain until nothing is left in the dead-letter list, as the running
	// collector would over successive polls.
	for i := 0; i < 30; i++ {
		err := r.coll.Drain(ctx)
		dls, derr := r.store.DeadLetters(ctx)
		if derr != nil {
			t.Fatal(derr)
		}
		if err == nil && len(dls) == 0 {
			break
		}
		t.Logf("round %d: err=%v dead letters=%d", i, err, len(dls))
		// dead letters become due after their back-off; make them due now
		for _, d := range dls {
			if err := r.store.AddDeadLetter(ctx, store.Blob{ContentType: d.ContentType, ContentID: d.ContentID, ContentURI: d.ContentURI,
				Created: d.Created, Expiration: d.Expiration}, "retry now", time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.sim.Mutate(func(s *simulator.State) { s.Faults = simulator.Faults{RequestsPerMinute: 1 << 30} })
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("final drain without faults: %v", err)
	}
	unsub()
	<-done
	if m, x := r.compare(t); m != 0 || x != 0 {
		t.Fatalf("missing %d, extra %d under faults; want 0 and 0", m, x)
	}
	// The word index is consistent after the group commits of the drains.
	if err := r.store.QuickCheck(ctx); err != nil {
		t.Fatalf("store after the drains: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	sawAmber := false
	for _, s := range states {
		if s == health.Degraded {
			sawAmber = true
		}
	}
	if !sawAmber {
		t.Errorf("status never went amber under faults: %v", states)
	}
	if last := states[len(states)-1]; last != health.Healthy {
		t.Errorf("final status %v, want green after the faults stop", last)
	}
}

// TestErrorClassesTurnTheLight runs the collector against each misconfigured
// scenario and checks the colour and the reason the admin sees.
func TestErrorClassesTurnTheLight(t *testing.T) {
	disable := func(s *simulator.State) { s.Subscriptions["Audit.Exchange"].Status = simulator.SubDisabled }
	cases := []struct {
		scenario string
		then     func(*simulator.State) // applied after a first drain, before a second
		state    health.State
		reason   string
	}{
		{"audit-off", nil, health.ActionNeeded, "Unified Audit Logging is not enabled"},
		// Found disabled at start: re-enabled once (logged). Disabled again
		// the same day: reported red, not restarted in a loop.
		{"subscription-disabled", disable, health.ActionNeeded, "subscription was disabled"},
		{"no-consent", nil, health.ActionNeeded, "lacks a permission"},
		{"expired-secret", nil, health.ActionNeeded, "client secret has expired"},
		{"first-day", nil, health.WaitingForData, "waiting for the first audit data"},
		{"healthy", nil, health.Healthy, "Online and logging"},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			r := newRig(t, simulator.Config{Seed: 3, Users: users(3), Scenario: c.scenario}, collector.Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			_ = r.coll.Drain(ctx)
			if c.then != nil {
				if st, _ := r.coll.Status(); st.State != health.Healthy {
					t.Fatalf("first drain: %v %q, want healthy", st.State, st.Reason)
				}
				r.sim.Mutate(c.then)
				starts := r.sim.Stats().Requests[simulator.KindStart]
				_ = r.coll.Drain(ctx)
				_ = r.coll.Drain(ctx)
				if n := r.sim.Stats().Requests[simulator.KindStart] - starts; n != 0 {
					t.Errorf("%d subscription start requests after it was disabled again; want none", n)
				}
			}
			st, ok := r.coll.Status()
			if !ok {
				t.Fatal("no status published")
			}
			if st.State != c.state || !strings.Contains(st.Reason, c.reason) {
				t.Fatalf("status = %v %q, want %v containing %q", st.State, st.Reason, c.state, c.reason)
			}
			if st.Colour != c.state.Colour() {
				t.Errorf("colour %q, want %q", st.Colour, c.state.Colour())
			}
		})
	}
}

// pollsOnCue returns a Sleep under which each content type's wait of poll
// before its next poll ends when the test sends on polls, and every other
// sleep (the status tick, retries, enrichment, purges) lasts until the run
// ends: the test decides when each poll round runs, and no tick fires.
func pollsOnCue(poll time.Duration) (polls chan struct{}, sleep func(context.Context, time.Duration) error) {
	polls = make(chan struct{})
	return polls, func(ctx context.Context, d time.Duration) error {
		if d == poll { // a content type's wait before its next poll
			select {
			case <-polls:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		<-ctx.Done() // the status tick, retries, enrichment, purges
		return ctx.Err()
	}
}
