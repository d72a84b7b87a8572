package activity_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/simulator"
)

// simClient starts a simulator and returns a client that signs in with MSAL
// like the app does; sleeps between retries are skipped.
func simClient(t *testing.T, cfg simulator.Config) (*simulator.Sim, *activity.Client) {
	t.Helper()
	sim, err := simulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	ten := sim.Tenant()
	src, err := auth.NewSource(auth.Config{
		Endpoints: auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL()},
		Tenant:    ten.Domain, ClientID: ten.ClientID, Secret: ten.Secret, HTTPClient: sim.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	tid, err := src.TenantID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, err := activity.New(activity.Config{
		BaseURL: sim.APIURL(), TenantID: tid, HTTPClient: sim.Client(),
		Token: src.Provider(auth.API), Invalidate: src.Invalidator(auth.API), MaxRetries: 8,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// collectAll lists the last day of ct and fetches every blob, returning the
// number of pages, blobs and records.
func collectAll(t *testing.T, c *activity.Client, ct activity.ContentType, now time.Time) (pages, blobs, records int) {
	t.Helper()
	ctx := context.Background()
	var contents []activity.Content
	err := c.ListContent(ctx, ct, now.Add(-24*time.Hour), now, func(p []activity.Content) error {
		pages++
		contents = append(contents, p...)
		return nil
	})
	if err != nil {
		t.Fatalf("ListContent(%s): %v", ct, err)
	}
	for _, cn := range contents {
		if cn.ContentType != ct || cn.Created.IsZero() || !cn.Expiration.After(cn.Created) {
			t.Errorf("content %+v: wrong type or times", cn)
		}
		body, err := c.Fetch(ctx, cn)
		if err != nil {
			t.Fatalf("Fetch(%s): %v", cn.ContentID, err)
		}
		var recs []json.RawMessage
		if err := json.Unmarshal(body, &recs); err != nil || len(recs) == 0 {
			t.Fatalf("blob %s: %d records, %v", cn.ContentID, len(recs), err)
		}
		records += len(recs)
	}
	return pages, len(contents), records
}

func TestSimulatorHealthyCollection(t *testing.T) {
	sim, c := simClient(t, simulator.Config{Seed: 3, Users: 4, RecordsPerUserDay: 60, PageSize: 10, BlobInterval: 20 * time.Minute})
	ctx := context.Background()
	if err := c.ListContent(ctx, activity.AuditExchange, sim.Now().Add(-time.Hour), sim.Now(), func([]activity.Content) error { return nil }); fault.KindOf(err) != fault.NoSubscription {
		t.Fatalf("listing before subscribing: %v, want no-subscription", err)
	}
	for _, ct := range activity.AllContentTypes() {
		sub, err := c.Start(ctx, ct)
		if err != nil || !sub.Enabled() {
			t.Fatalf("Start(%s) = %+v, %v", ct, sub, err)
		}
	}
	if _, err := c.Start(ctx, activity.AuditGeneral); err != nil && fault.KindOf(err) != fault.Throttled {
		t.Fatalf("second Start: %v, want success (already enabled) or the start cool-down", err)
	}
	subs, err := c.Subscriptions(ctx)
	if err != nil || len(subs) != len(activity.AllContentTypes()) {
		t.Fatalf("Subscriptions = %+v, %v; want all five", subs, err)
	}
	now := sim.Now()
	pages, blobs, records := collectAll(t, c, activity.AuditExchange, now)
	if pages < 2 || blobs == 0 || records < blobs {
		t.Errorf("pages=%d blobs=%d records=%d; want several pages of non-empty blobs", pages, blobs, records)
	}
	st := sim.Stats()
	if st.MissingPublisherIdentifier != 0 {
		t.Errorf("%d requests lacked PublisherIdentifier", st.MissingPublisherIdentifier)
	}
	if got := c.Stats().Requests; got != int64(st.ManagementRequests) {
		t.Errorf("client counted %d requests, simulator saw %d", got, st.ManagementRequests)
	}
	if skew := c.Skew(); skew > 2*time.Second || skew < -2*time.Second {
		t.Errorf("Skew = %v, want about zero", skew)
	}
}

func TestSimulatorFlakyCollectionRecovers(t *testing.T) {
	sim, c := simClient(t, simulator.Config{Scenario: simulator.ScenarioFlaky, Seed: 11, Users: 4, RecordsPerUserDay: 80, PageSize: 5, BlobInterval: 20 * time.Minute})
	ctx := context.Background()
	for _, ct := range []activity.ContentType{activity.AuditExchange, activity.AuditSharePoint} {
		if _, err := c.Start(ctx, ct); err != nil {
			t.Fatalf("Start(%s): %v", ct, err)
		}
	}
	total := 0
	for _, ct := range []activity.ContentType{activity.AuditExchange, activity.AuditSharePoint} {
		_, _, records := collectAll(t, c, ct, sim.Now())
		total += records
	}
	st := c.Stats()
	if total == 0 || st.Retries == 0 {
		t.Errorf("records=%d stats=%+v; want data despite faults, and retries to have happened", total, st)
	}
}

func TestSimulatorSetupProblems(t *testing.T) {
	tests := []struct {
		scenario string
		ct       activity.ContentType
		start    bool // call Start (else ListContent)
		want     fault.Kind
	}{
		{simulator.ScenarioAuditOff, activity.AuditGeneral, true, fault.AuditOff},
		{simulator.ScenarioSubscriptionDisabled, activity.AuditExchange, false, fault.SubscriptionDisabled},
		{simulator.ScenarioNoDLPPermission, activity.DLPAll, false, fault.PermissionMissing},
		{simulator.ScenarioNoConsent, activity.AuditExchange, true, fault.PermissionMissing},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			sim, c := simClient(t, simulator.Config{Scenario: tt.scenario, Seed: 5, Users: 2, RecordsPerUserDay: 20})
			var err error
			if tt.start {
				_, err = c.Start(context.Background(), tt.ct)
			} else {
				now := sim.Now()
				err = c.ListContent(context.Background(), tt.ct, now.Add(-time.Hour), now, func([]activity.Content) error { return nil })
			}
			if fault.KindOf(err) != tt.want {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
