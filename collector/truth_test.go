package collector_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
)

// TestLocalClockFastIsNamedAndCountsStay: this computer's clock is 8 days
// ahead of Microsoft's. The status says so (not "8 days behind Microsoft"),
// the 24-hour counts are not zeroed, and nothing is missed.
func TestLocalClockFastIsNamedAndCountsStay(t *testing.T) {
	r := newRig(t, simulator.Config{Seed: 91, Users: 3, RecordsPerUserDay: 50,
		Faults: &simulator.Faults{ClockSkew: -8 * 24 * time.Hour}}, collector.Options{})
	if err := r.coll.Drain(context.Background()); err != nil {
		t.Fatalf("drain: %v", err)
	}
	st, _ := r.coll.Status()
	if !strings.Contains(st.Reason, "clock is 8 days fast") {
		t.Fatalf("reason %q does not name the fast clock", st.Reason)
	}
	var n24 int64
	for _, w := range st.Workloads {
		n24 += w.Records24h
		if w.Lag > time.Hour {
			t.Errorf("%s: lag %v (the skew read as lag)", w.Name, w.Lag)
		}
	}
	if n24 == 0 {
		t.Fatalf("24-hour counts are all 0 although records of the last 24 hours were stored")
	}
	if missing, extra := r.compare(t); missing != 0 || extra != 0 {
		t.Fatalf("missing %d, extra %d", missing, extra)
	}
}

// TestOneBadBlobDoesNotStopItsContentType: Microsoft lists some blobs on
// another host or redirects their GET elsewhere. The token is never sent
// there; those blobs are dead-lettered (amber, with the reason) and every
// other blob of the same content types is still collected.
func TestOneBadBlobDoesNotStopItsContentType(t *testing.T) {
	cases := []struct {
		name   string
		faults simulator.Faults
		reason string
	}{
		{"contentUri on another host", simulator.Faults{ForeignURIRate: 0.03}, "refusing to send the access token"},
		{"blob GET redirected", simulator.Faults{RedirectRate: 0.03}, "redirected to https://blobs.foreign.invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.faults
			r := newRig(t, simulator.Config{Seed: 92, Users: 3, RecordsPerUserDay: 50, Faults: &f}, collector.Options{})
			ctx := context.Background()
			if err := r.coll.Drain(ctx); err != nil {
				t.Fatalf("drain stopped on a bad blob: %v", err)
			}
			curs, err := r.store.Cursors(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for ct, c := range curs {
				if lag := r.sim.Now().Sub(c.Next); lag > time.Minute {
					t.Errorf("%s: cursor stuck %v behind (the bad blob's window never passed)", ct, lag)
				}
			}
			dls, err := r.store.DeadLetters(ctx)
			if err != nil || len(dls) == 0 {
				t.Fatalf("dead letters %d (%v): the bad blobs were not recorded", len(dls), err)
			}
			st, _ := r.coll.Status()
			if st.Colour != "amber" || !strings.Contains(st.Reason, tc.reason) || strings.Contains(st.Fix, "check the tenant") {
				t.Fatalf("status %s %q fix %q", st.Colour, st.Reason, st.Fix)
			}
			want := len(r.sim.GroundTruthSince(r.since))
			missing, extra := r.compare(t)
			if extra != 0 || missing == 0 || missing > want/10 {
				t.Fatalf("missing %d of %d, extra %d: only the bad blobs may be missing", missing, want, extra)
			}
		})
	}
}

// TestStallingNetworkIsAmberAndLosesNothing: a third of the answers stall
// halfway for a minute (a slow-dripping proxy). Each stall costs the idle
// timeout, not the whole minute; everything is collected; the status says
// the network to Microsoft is unreliable instead of staying green.
func TestStallingNetworkIsAmberAndLosesNothing(t *testing.T) {
	ctx := context.Background()
	frozen := time.Now()
	sim, err := simulator.Start(ctx, simulator.Config{Seed: 93, Users: 2, RecordsPerUserDay: 40,
		Clock: func() time.Time { return frozen }, Faults: &simulator.Faults{DripRate: 0.3, DripStall: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	ten := sim.Tenant()
	src, err := auth.NewSource(auth.Config{
		Endpoints: auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL(),
			APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default"},
		Tenant: ten.Domain, ClientID: ten.ClientID, Secret: ten.Secret, HTTPClient: sim.Client()})
	if err != nil {
		t.Fatal(err)
	}
	api, err := activity.New(activity.Config{BaseURL: sim.APIURL(), TenantID: ten.ID, HTTPClient: sim.Client(),
		Token: src.Provider(auth.API), Limiter: rate.NewLimiter(rate.Inf, 1), MaxRetries: 10,
		BaseBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, IdleTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	coll, err := collector.New(collector.Options{API: api, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := coll.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
	if took := time.Since(start); took > 50*time.Second {
		t.Fatalf("drain took %v: stalls held requests for their whole duration", took)
	}
	if sim.Stats().Drips == 0 {
		t.Fatal("no response stalled: the test tests nothing")
	}
	status, _ := coll.Status()
	if status.Colour != "amber" || !strings.Contains(status.Reason, "network to Microsoft is unreliable") {
		t.Fatalf("status %s %q", status.Colour, status.Reason)
	}
	r := &rig{since: sim.Now().Add(-167*time.Hour - 55*time.Minute + 2*time.Second), sim: sim, api: api, store: st, coll: coll}
	if missing, extra := r.compare(t); missing != 0 || extra != 0 {
		t.Fatalf("missing %d, extra %d", missing, extra)
	}
}
