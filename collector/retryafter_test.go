package collector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
)

// oneBlobAPI lists one blob per window and answers its GET with fetchErr.
type oneBlobAPI struct {
	now      time.Time
	fetchErr error
}

func (a *oneBlobAPI) Subscriptions(context.Context) ([]activity.Subscription, error) {
	return []activity.Subscription{{ContentType: activity.AuditExchange, Status: "enabled"}}, nil
}
func (a *oneBlobAPI) Start(_ context.Context, ct activity.ContentType) (activity.Subscription, error) {
	return activity.Subscription{ContentType: ct, Status: "enabled"}, nil
}
func (a *oneBlobAPI) ListContent(_ context.Context, ct activity.ContentType, start, end time.Time, page func([]activity.Content) error) error {
	created := a.now.Add(-time.Hour)
	if created.Before(start) || !created.Before(end) {
		return nil
	}
	return page([]activity.Content{{ContentType: ct, ContentID: "blob-1", ContentURI: "https://api.test/blob-1",
		Created: created, Expiration: created.Add(7 * 24 * time.Hour)}})
}
func (a *oneBlobAPI) Fetch(context.Context, activity.Content) ([]byte, error) { return nil, a.fetchErr }
func (a *oneBlobAPI) Skew() time.Duration                                     { return 0 }

// TestDeadLetterHonoursRetryAfter: a blob throttled with Retry-After: 300 is
// not retried before those 300 seconds (it was retried after ~53 s).
func TestDeadLetterHonoursRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		retryAfter time.Duration
		atLeast    time.Duration
	}{
		{"Retry-After 300 s", 300 * time.Second, 300 * time.Second},
		{"Retry-After 2 h", 2 * time.Hour, 2 * time.Hour},
		{"no Retry-After: backoff of at least 30 s", 0, 30 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			api := &oneBlobAPI{now: now, fetchErr: &fault.Error{Kind: fault.Throttled, Op: "fetching content", Code: "AF429",
				Status: 429, RetryAfter: tc.retryAfter}}
			if err := drainExchange(t, api, st, func() time.Time { return now }); err != nil {
				t.Fatalf("drain: %v", err)
			}
			dls, err := st.DeadLetters(ctx)
			if err != nil || len(dls) != 1 {
				t.Fatalf("dead letters %v, %v", dls, err)
			}
			if wait := dls[0].NextRetry.Sub(now); wait < tc.atLeast {
				t.Fatalf("retried after %v, want at least %v", wait, tc.atLeast)
			}
		})
	}
}

// edgeAPI records the listing windows and reports a fixed clock skew.
type edgeAPI struct {
	oneBlobAPI
	skew   time.Duration
	starts []time.Time
}

func (a *edgeAPI) ListContent(ctx context.Context, ct activity.ContentType, start, end time.Time, page func([]activity.Content) error) error {
	a.starts = append(a.starts, start)
	return nil
}
func (a *edgeAPI) Skew() time.Duration { return a.skew }

// TestFirstBackfillStartsAtTheSevenDayLimit: the first listing starts as
// close to Microsoft's 7-day limit as it accepts, on Microsoft's clock (the
// measured skew), not at 7 days − 5 minutes (blobs 7 d − 5 min … 7 d old
// were skipped without a gap).
func TestFirstBackfillStartsAtTheSevenDayLimit(t *testing.T) {
	local := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		skew time.Duration
	}{
		{"clocks agree", 0},
		{"this computer 8 days fast", -8 * 24 * time.Hour},
		{"this computer 2 hours slow", 2 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			api := &edgeAPI{skew: tc.skew}
			if err := drainExchange(t, api, st, func() time.Time { return local }); err != nil {
				t.Fatalf("drain: %v", err)
			}
			if len(api.starts) == 0 {
				t.Fatal("nothing listed")
			}
			limit := local.Add(tc.skew).Add(-7 * 24 * time.Hour) // Microsoft's 7-day limit
			first := api.starts[0]
			if first.Before(limit) || first.Sub(limit) > time.Minute+time.Second {
				t.Fatalf("first window starts %v after Microsoft's limit %v, want within 1 minute (and never before)", first.Sub(limit), limit)
			}
		})
	}
}

// refusingEdgeAPI refuses, like Microsoft's AF20055, any listing that starts
// more than 7 days − strict before its clock (local + skew).
type refusingEdgeAPI struct {
	edgeAPI
	local  time.Time
	strict time.Duration
}

func (a *refusingEdgeAPI) ListContent(ctx context.Context, ct activity.ContentType, start, end time.Time, page func([]activity.Content) error) error {
	a.starts = append(a.starts, start)
	if start.Before(a.local.Add(a.skew).Add(-7*24*time.Hour + a.strict)) {
		return &fault.Error{Kind: fault.Window, Op: "listing content", Code: "AF20055", Status: 400,
			Message: "startTime must be no more than 7 days in the past"}
	}
	return nil
}

// TestSevenDayEdgeRefusedIsAGap: the first backfill starts at Microsoft's
// limit itself (it started 1 minute inside, skipping the oldest blobs
// without a gap); when Microsoft refuses a start that close, the collector
// starts a little later, records exactly the refused span as a gap, and the
// drain completes (a refusal used to fail the content type).
func TestSevenDayEdgeRefusedIsAGap(t *testing.T) {
	local := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		strict    time.Duration // how far inside 7 days Microsoft insists on
		wantStart time.Duration // accepted first start, after the limit
		wantGap   bool
	}{
		{"Microsoft accepts its limit", 0, 0, false},
		{"Microsoft refuses the last 15 seconds", 15 * time.Second, 20 * time.Second, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			api := &refusingEdgeAPI{edgeAPI: edgeAPI{skew: 3 * time.Hour}, local: local, strict: tc.strict}
			if err := drainExchange(t, api, st, func() time.Time { return local }); err != nil {
				t.Fatalf("drain: %v", err)
			}
			limit := local.Add(api.skew).Add(-7 * 24 * time.Hour)
			if len(api.starts) == 0 || !api.starts[0].Equal(limit) {
				t.Fatalf("first listing starts at %v, want Microsoft's limit %v", api.starts, limit)
			}
			var accepted time.Time
			for _, s := range api.starts {
				if !s.Before(limit.Add(tc.strict)) {
					accepted = s
					break
				}
			}
			if got := accepted.Sub(limit); got != tc.wantStart {
				t.Fatalf("first accepted start %v after the limit, want %v", got, tc.wantStart)
			}
			gaps, err := st.Gaps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.wantGap {
				if len(gaps) != 0 {
					t.Fatalf("gaps %+v, want none", gaps)
				}
				return
			}
			if len(gaps) != 1 || !gaps[0].From.Equal(limit) || !gaps[0].To.Equal(accepted) {
				t.Fatalf("gaps %+v, want one from %v to %v", gaps, limit, accepted)
			}
		})
	}
}

// expiringEdgeAPI lists a blob created `age` after Microsoft's 7-day limit,
// which has expired when fetched (AF20051), and a fresh blob with a record.
type expiringEdgeAPI struct {
	oneBlobAPI
	age time.Duration
}

func (a *expiringEdgeAPI) ListContent(_ context.Context, ct activity.ContentType, start, end time.Time, page func([]activity.Content) error) error {
	var out []activity.Content
	for id, created := range map[string]time.Time{"edge-blob": a.now.Add(-7*24*time.Hour + a.age), "fresh-blob": a.now.Add(-time.Hour)} {
		if !created.Before(start) && created.Before(end) {
			out = append(out, activity.Content{ContentType: ct, ContentID: id, ContentURI: "https://api.test/" + id,
				Created: created, Expiration: created.Add(7 * 24 * time.Hour)})
		}
	}
	return page(out)
}

func (a *expiringEdgeAPI) Fetch(_ context.Context, b activity.Content) ([]byte, error) {
	if b.ContentID == "edge-blob" {
		return nil, a.fetchErr
	}
	return []byte(`[{"Id":"4f1c2d3e-0000-4000-8000-000000000001","CreationTime":"` + a.now.Add(-61*time.Minute).Format("2006-01-02T15:04:05") +
		`","Operation":"MailItemsAccessed","Workload":"Exchange","RecordType":50,"UserId":"megan@contoso.com","ResultStatus":"Succeeded"}]`), nil
}

// TestExpiredAtTheLimitIsReportedNotAmber: a blob listed seconds before it
// reaches Microsoft's 7-day limit can expire before it is fetched — the
// first backfill starts at the limit itself. That gap is recorded and shown
// (atLimit), but it is not a fault of collection: the light stays green
// (the demo turned amber for it). The same expiry an hour inside the window
// is a real gap: amber.
func TestExpiredAtTheLimitIsReportedNotAmber(t *testing.T) {
	now := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		age       time.Duration
		wantAmber bool
	}{
		{"expired 1 s after the limit", time.Second, false},
		{"expired an hour inside the window", time.Hour, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			api := &expiringEdgeAPI{oneBlobAPI: oneBlobAPI{now: now, fetchErr: &fault.Error{Kind: fault.ContentExpired,
				Op: "fetching content", Code: "AF20051", Status: 400}}, age: tc.age}
			c, err := collector.New(collector.Options{API: api, Store: st, ContentTypes: []activity.ContentType{activity.AuditExchange},
				Clock: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Drain(context.Background()); err != nil {
				t.Fatalf("drain: %v", err)
			}
			s, ok := c.Status()
			if !ok || len(s.Gaps) != 1 {
				t.Fatalf("status %+v: want the one gap reported", s)
			}
			if s.Gaps[0].AtLimit == tc.wantAmber {
				t.Fatalf("gap atLimit = %v, want %v", s.Gaps[0].AtLimit, !tc.wantAmber)
			}
			if amber := s.State == health.Degraded && strings.Contains(s.Reason, "gap"); amber != tc.wantAmber {
				t.Fatalf("state %v (%s), want amber for the gap: %v", s.State, s.Reason, tc.wantAmber)
			}
			if !tc.wantAmber && s.State != health.Healthy {
				t.Fatalf("state %v (%s), want green", s.State, s.Reason)
			}
		})
	}
}

// troubledAPI lists nothing and reports a throttling streak whose latest
// answer came at last.
type troubledAPI struct {
	edgeAPI
	last time.Time
}

func (a *troubledAPI) Trouble(time.Time) activity.Trouble {
	return activity.Trouble{Throttled: true, ThrottledSince: a.last.Add(-2 * time.Minute), ThrottledLast: a.last}
}

// TestThrottlingClearsOnceCaughtUpWithoutIt: throttling met during a pass
// is reported (amber) after that pass; once a later pass reached the
// present without meeting it, "catching up more slowly" is no longer said —
// it stayed for the 3 minutes of the streak's quiet window
// (TestFlakyTenantExactlyOnce's final status was "throttling (for 38 seconds)"
// after a fault-free drain).
func TestThrottlingClearsOnceCaughtUpWithoutIt(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	clock := t0
	st := openStore(t)
	api := &troubledAPI{last: t0.Add(time.Second)} // answered during the first pass
	c, err := collector.New(collector.Options{API: api, Store: st, ContentTypes: []activity.ContentType{activity.AuditExchange},
		Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		after     time.Duration
		throttled bool
	}{
		{0, true},                 // the pass met the throttling
		{10 * time.Second, false}, // a clean pass since
	} {
		clock = t0.Add(step.after)
		if err := c.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		s, _ := c.Status()
		if got := strings.Contains(s.Reason, "throttling"); got != step.throttled {
			t.Fatalf("after %v: status %v %q, want throttling reported %v", step.after, s.State, s.Reason, step.throttled)
		}
	}
}
