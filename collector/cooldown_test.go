package collector_test

import (
	"context"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
)

// startAPI has no subscription until a start request succeeds; the first
// start requests fail with startErrs.
type startAPI struct {
	oneBlobAPI
	startErrs []error
	starts    int
	enabled   bool
}

func (a *startAPI) Subscriptions(context.Context) ([]activity.Subscription, error) {
	if !a.enabled {
		return nil, nil
	}
	return []activity.Subscription{{ContentType: activity.AuditExchange, Status: "enabled"}}, nil
}

func (a *startAPI) Start(_ context.Context, ct activity.ContentType) (activity.Subscription, error) {
	a.starts++
	if len(a.startErrs) > 0 {
		err := a.startErrs[0]
		a.startErrs = a.startErrs[1:]
		return activity.Subscription{}, err
	}
	a.enabled = true
	return activity.Subscription{ContentType: ct, Status: "enabled"}, nil
}

// TestStartCooldownOnlyAfterMicrosoftAnswered: a start request that never got
// an answer (network failure, 5xx) leaves no 15-minute cool-down: the next
// attempt a moment later starts the subscription. One Microsoft refused
// (429 "too many start requests") does cool down.
func TestStartCooldownOnlyAfterMicrosoftAnswered(t *testing.T) {
	now := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		firstErr   error
		wantStarts int // start requests after two drains one second apart
		wantOK     bool
	}{
		{"network failure", &fault.Error{Kind: fault.Transient, Op: "starting subscription", Code: "NETWORK"}, 2, true},
		{"HTTP 503", &fault.Error{Kind: fault.Transient, Op: "starting subscription", Status: 503}, 2, true},
		{"Microsoft's start cool-down (429)", &fault.Error{Kind: fault.Throttled, Op: "starting subscription", Status: 429,
			RetryAfter: 14 * time.Minute}, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			clock := now
			api := &startAPI{oneBlobAPI: oneBlobAPI{now: now}, startErrs: []error{tc.firstErr}}
			// Each drain is a fresh process (collect --once), as after a crash.
			drain := func() error {
				return drainExchange(t, api, st, func() time.Time { return clock })
			}
			if err := drain(); err == nil {
				t.Fatal("first drain succeeded although the start failed")
			}
			clock = clock.Add(time.Second)
			err := drain()
			if api.starts != tc.wantStarts || (err == nil) != tc.wantOK {
				t.Fatalf("start requests %d (want %d), second drain err %v", api.starts, tc.wantStarts, err)
			}
		})
	}
}

// TestLateBackfillStartIsAGap: the first start request is refused for the
// 15-minute cool-down; when the backfill starts 16 minutes later its first
// 16 minutes are past Microsoft's 7 days. That is recorded as a gap (once),
// not silently skipped; a start that is not late records none.
func TestLateBackfillStartIsAGap(t *testing.T) {
	now := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	cooldown := &fault.Error{Kind: fault.Throttled, Op: "starting subscription", Status: 429, RetryAfter: 14 * time.Minute}
	cases := []struct {
		name    string
		errs    []error
		later   time.Duration
		wantGap time.Duration // 0: no gap
	}{
		{"started at once", nil, 0, 0},
		{"started 16 minutes late", []error{cooldown}, 16 * time.Minute, 16 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			clock := now
			api := &startAPI{oneBlobAPI: oneBlobAPI{now: now}, startErrs: tc.errs}
			drain := func() error {
				return drainExchange(t, api, st, func() time.Time { return clock })
			}
			if len(tc.errs) > 0 {
				_ = drain()
				clock = clock.Add(tc.later)
			}
			if err := drain(); err != nil {
				t.Fatalf("drain: %v", err)
			}
			_ = drain() // a second run must not record it again
			gaps, err := st.Gaps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantGap == 0 {
				if len(gaps) != 0 {
					t.Fatalf("gaps %v, want none", gaps)
				}
				return
			}
			if len(gaps) != 1 || gaps[0].To.Sub(gaps[0].From) != tc.wantGap {
				t.Fatalf("gaps %+v, want one of %v", gaps, tc.wantGap)
			}
		})
	}
}
