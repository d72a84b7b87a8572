package activity

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

// TestStalledResponseIsAbandonedAfterTheIdleTimeout: a body that stops
// dripping is abandoned after the idle timeout (not the whole-request
// timeout), retried, and persistent stalls are reported; a body that keeps
// dripping slowly but steadily completes.
func TestStalledResponseIsAbandonedAfterTheIdleTimeout(t *testing.T) {
	const idle = 150 * time.Millisecond
	body := `[{"Id":"a","CreationTime":"2026-11-28T05:00:00"},{"Id":"b","CreationTime":"2026-11-28T05:00:01"}]`
	cases := []struct {
		name        string
		handler     http.HandlerFunc
		wantErrCode string // "" = success
		wantStalled bool
		maxTook     time.Duration
	}{
		{"stops dripping halfway", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(body[:10]))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, codeStalled, true, 5 * time.Second},
		{"no headers at all", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}, codeStalled, true, 5 * time.Second},
		{"drips steadily, slower than the idle timeout in total", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			for i := 0; i < len(body); i += 10 {
				_, _ = w.Write([]byte(body[i:min(i+10, len(body))]))
				w.(http.Flusher).Flush()
				time.Sleep(idle / 5)
			}
		}, "", false, 5 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, tc.handler)
			c, err := New(Config{BaseURL: f.srv.URL, TenantID: testTenant, HTTPClient: f.srv.Client(),
				Token:      func(context.Context) (string, error) { return "tok", nil },
				MaxRetries: 3, IdleTimeout: idle,
				Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = c.Fetch(context.Background(), Content{ContentType: AuditExchange, ContentID: "x",
				ContentURI: f.srv.URL + "/api/v1.0/" + testTenant + "/activity/feed/audit/x"})
			took := time.Since(start)
			if took > tc.maxTook {
				t.Fatalf("took %v: the stall held the request far beyond the idle timeout", took)
			}
			if tc.wantErrCode == "" {
				if err != nil {
					t.Fatalf("a steadily dripping body failed: %v", err)
				}
			} else if fault.CodeOf(err) != tc.wantErrCode || fault.KindOf(err) != fault.Transient {
				t.Fatalf("err %v, want a transient %s", err, tc.wantErrCode)
			}
			if got := c.Trouble(time.Now()).Stalled; got != tc.wantStalled {
				t.Fatalf("Trouble().Stalled = %v, want %v", got, tc.wantStalled)
			}
		})
	}
}

// TestPersistentThrottlingIsReported: AF429 answers for minutes are a
// condition the status shows, a single one is not.
func TestPersistentThrottlingIsReported(t *testing.T) {
	cases := []struct {
		name    string
		answers int
		step    time.Duration // clock advance per clock reading
		want    bool
	}{
		{"one throttled answer", 1, time.Second, false},
		{"throttled for minutes", 8, 20 * time.Second, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if n < tc.answers {
					n++
					writeJSON(w, http.StatusForbidden, afError("AF429", "Too many requests. Method=GET, PublisherId="+testTenant))
					return
				}
				writeJSON(w, http.StatusOK, `[]`)
			})
			now := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
			clock := func() time.Time { now = now.Add(tc.step); return now }
			c, err := New(Config{BaseURL: f.srv.URL, TenantID: testTenant, HTTPClient: f.srv.Client(),
				Token: func(context.Context) (string, error) { return "tok", nil }, MaxRetries: 20, Clock: clock,
				Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Subscriptions(context.Background()); err != nil {
				t.Fatalf("subscriptions: %v", err)
			}
			tr := c.Trouble(now)
			if tr.Throttled != tc.want {
				t.Fatalf("Throttled = %v after %d AF429 answers, want %v", tr.Throttled, tc.answers, tc.want)
			}
			if tc.want && !strings.HasPrefix(tr.ThrottledSince.Format(time.RFC3339), "2026-11-28T06:0") {
				t.Fatalf("ThrottledSince %v", tr.ThrottledSince)
			}
		})
	}
}
