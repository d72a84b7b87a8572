package collector_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/store"
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
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			api := &oneBlobAPI{now: now, fetchErr: &fault.Error{Kind: fault.Throttled, Op: "fetching content", Code: "AF429",
				Status: 429, RetryAfter: tc.retryAfter}}
			c, err := collector.New(collector.Options{API: api, Store: st, ContentTypes: []activity.ContentType{activity.AuditExchange},
				Clock: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Drain(ctx); err != nil {
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
