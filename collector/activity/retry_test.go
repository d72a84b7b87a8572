package activity

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/auditlight/auditlight/collector/fault"
)

func TestRetries(t *testing.T) {
	date := time.Date(2026, 9, 3, 10, 0, 0, 0, time.UTC)
	type reply struct {
		status int
		header http.Header
		body   string
	}
	tests := []struct {
		name         string
		replies      []reply // the last one repeats
		wantErr      fault.Kind
		wantRequests int
		minWaits     []time.Duration // each recorded wait must be at least this
		wantThrottle int64
	}{
		{
			name: "429 with Retry-After seconds",
			replies: []reply{
				{429, http.Header{"Retry-After": {"7"}}, ""},
				{429, http.Header{"Retry-After": {"7"}}, ""},
				{200, nil, "[]"},
			},
			wantRequests: 3, minWaits: []time.Duration{7 * time.Second, 7 * time.Second}, wantThrottle: 2,
		},
		{
			name: "403 AF429 with HTTP-date Retry-After",
			replies: []reply{
				{403, http.Header{"Date": {date.Format(http.TimeFormat)}, "Retry-After": {date.Add(30 * time.Second).Format(http.TimeFormat)}},
					afError("AF429", "Too many requests. Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000")},
				{200, nil, "[]"},
			},
			wantRequests: 2, minWaits: []time.Duration{30 * time.Second}, wantThrottle: 1,
		},
		{
			name:         "503 then success",
			replies:      []reply{{503, nil, "Service Unavailable"}, {200, nil, "[]"}},
			wantRequests: 2, minWaits: []time.Duration{0},
		},
		{
			name:         "AF50005 internal error then success",
			replies:      []reply{{500, nil, afError("AF50005", "An internal error occurred.")}, {200, nil, "[]"}},
			wantRequests: 2, minWaits: []time.Duration{0},
		},
		{
			name:         "throttled until retries run out",
			replies:      []reply{{429, http.Header{"Retry-After": {"1"}}, ""}},
			wantErr:      fault.Throttled,
			wantRequests: 5, minWaits: []time.Duration{time.Second, time.Second, time.Second, time.Second}, wantThrottle: 5,
		},
		{
			name:         "subscription disabled is not retried",
			replies:      []reply{{400, nil, afError("AF20023", "The subscription was disabled.")}},
			wantErr:      fault.SubscriptionDisabled,
			wantRequests: 1,
		},
		{
			name:         "long server wait is left to the caller",
			replies:      []reply{{429, nil, afError("AF429", "Too many frequent subscription start requests. Please retry again after 14m 56s")}},
			wantErr:      fault.Throttled,
			wantRequests: 1, wantThrottle: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				rp := tt.replies[min(n, len(tt.replies)-1)]
				n++
				for k, v := range rp.header {
					w.Header()[k] = v
				}
				writeJSON(w, rp.status, rp.body)
			})
			c, sl, _ := newTestClient(t, f, testOpts{})
			_, err := c.Subscriptions(context.Background())
			if tt.wantErr == fault.Unknown && err != nil {
				t.Fatalf("Subscriptions: %v", err)
			}
			if tt.wantErr != fault.Unknown && fault.KindOf(err) != tt.wantErr {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := len(f.requests()); got != tt.wantRequests {
				t.Errorf("requests = %d, want %d", got, tt.wantRequests)
			}
			waits := sl.all()
			if len(waits) != len(tt.minWaits) {
				t.Fatalf("waits = %v, want %d waits", waits, len(tt.minWaits))
			}
			for i, w := range waits {
				if w < tt.minWaits[i] || w > DefaultMaxBackoff {
					t.Errorf("wait %d = %v, want between %v and %v", i, w, tt.minWaits[i], DefaultMaxBackoff)
				}
			}
			st := c.Stats()
			if st.Requests != int64(tt.wantRequests) || st.Retries != int64(len(tt.minWaits)) || st.Throttled != tt.wantThrottle {
				t.Errorf("stats = %+v, want %d requests, %d retries, %d throttled", st, tt.wantRequests, len(tt.minWaits), tt.wantThrottle)
			}
		})
	}
}

func TestBackoffGrowsAndStaysBounded(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {})
	c, _, _ := newTestClient(t, f, testOpts{})
	for attempt := 0; attempt < 40; attempt++ {
		ceiling := min(DefaultMaxBackoff, DefaultBaseBackoff<<min(attempt, 30))
		for i := 0; i < 50; i++ {
			if d := c.backoff(attempt, 0); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", attempt, d, ceiling)
			}
		}
		if d := c.backoff(attempt, 90*time.Second); d < 90*time.Second {
			t.Fatalf("backoff(%d) with Retry-After 90s = %v, want at least 90s", attempt, d)
		}
	}
}

func TestUnauthorizedRefreshesTokenOnce(t *testing.T) {
	tests := []struct {
		name            string
		statuses        []int
		body            string
		wantErr         fault.Kind
		wantRequests    int
		wantInvalidated int
	}{
		{"expired token replaced", []int{401, 200}, `{"error":{"code":"","message":"Authorization has been denied"}}`, fault.Unknown, 2, 1},
		{"still rejected", []int{401, 401}, "", fault.Config, 2, 1},
		{"missing permission is not retried", []int{401}, afError("AF10001", "The permission set () sent in the request does not include the expected permission."), fault.PermissionMissing, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				st := tt.statuses[min(n, len(tt.statuses)-1)]
				n++
				if st == 200 {
					writeJSON(w, 200, `[{"contentType":"Audit.Exchange","status":"enabled","webhook":null}]`)
					return
				}
				writeJSON(w, st, tt.body)
			})
			invalidated := 0
			c, _, _ := newTestClient(t, f, testOpts{invalidate: func() { invalidated++ }})
			subs, err := c.Subscriptions(context.Background())
			if tt.wantErr == fault.Unknown {
				if err != nil || len(subs) != 1 || !subs[0].Enabled() {
					t.Fatalf("Subscriptions = %+v, %v", subs, err)
				}
			} else if fault.KindOf(err) != tt.wantErr {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			reqs := f.requests()
			if len(reqs) != tt.wantRequests || invalidated != tt.wantInvalidated {
				t.Fatalf("requests=%d invalidated=%d, want %d and %d", len(reqs), invalidated, tt.wantRequests, tt.wantInvalidated)
			}
			if len(reqs) == 2 && reqs[0].auth == reqs[1].auth {
				t.Errorf("retry reused the rejected token %q", reqs[1].auth)
			}
		})
	}
}

func TestEveryCallCarriesPublisherIdentifier(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/subscriptions/list"):
			writeJSON(w, 200, `[]`)
		case strings.HasSuffix(r.URL.Path, "/subscriptions/start"):
			writeJSON(w, 200, `{"contentType":"Audit.General","status":"enabled","webhook":null}`)
		case strings.HasSuffix(r.URL.Path, "/subscriptions/stop"):
			w.WriteHeader(200)
		case strings.HasSuffix(r.URL.Path, "/subscriptions/content"):
			writeJSON(w, 200, `[]`)
		default:
			writeJSON(w, 200, `[{"Id":"1"}]`)
		}
	})
	lim := rate.NewLimiter(rate.Every(time.Hour), 10)
	c, err := New(Config{BaseURL: f.srv.URL + "/", TenantID: strings.ToUpper(testTenant), PublisherID: testPublisher,
		HTTPClient: f.srv.Client(), Limiter: lim, Token: func(context.Context) (string, error) { return "t", nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Subscriptions(ctx); err != nil {
		t.Fatal(err)
	}
	sub, err := c.Start(ctx, AuditGeneral)
	if err != nil || sub.ContentType != AuditGeneral || !sub.Enabled() {
		t.Fatalf("Start = %+v, %v", sub, err)
	}
	if err := c.Stop(ctx, AuditGeneral); err != nil {
		t.Fatal(err)
	}
	if err := c.ListContent(ctx, AuditGeneral, time.Now().Add(-time.Hour), time.Now(), func([]Content) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fetch(ctx, Content{ContentID: "b", ContentURI: f.srv.URL + "/api/v1.0/" + testTenant + "/activity/feed/audit/b?x=1"}); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 5 {
		t.Fatalf("requests = %d, want 5", len(reqs))
	}
	for _, r := range reqs {
		if strings.Count(r.rawQuery, "PublisherIdentifier="+testPublisher) != 1 {
			t.Errorf("%s %s?%s: want PublisherIdentifier=%s exactly once", r.method, r.path, r.rawQuery, testPublisher)
		}
		if !strings.Contains(r.path, "/api/v1.0/"+testTenant+"/activity/feed/") {
			t.Errorf("path %s does not address the lower-case tenant feed", r.path)
		}
	}
	if reqs[1].method != http.MethodPost || reqs[2].method != http.MethodPost {
		t.Errorf("start/stop methods = %s/%s, want POST", reqs[1].method, reqs[2].method)
	}
	if tokens := lim.Tokens(); tokens > 5.01 || tokens < 4.99 {
		t.Errorf("limiter has %.2f tokens left, want 5 (every request paced by the shared limiter)", tokens)
	}
}

func TestStartAlreadyEnabledIsSuccess(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, afError("AF20024", "The subscription is already enabled. No property change."))
	})
	c, _, _ := newTestClient(t, f, testOpts{})
	sub, err := c.Start(context.Background(), AuditExchange)
	if err != nil || !sub.Enabled() || sub.ContentType != AuditExchange {
		t.Fatalf("Start = %+v, %v; want enabled", sub, err)
	}
}

func TestSkewFromDateHeader(t *testing.T) {
	server := time.Date(2026, 9, 3, 10, 0, 0, 0, time.UTC)
	local := server.Add(-90 * time.Second)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", server.Format(http.TimeFormat))
		writeJSON(w, 200, "[]")
	})
	c, _, _ := newTestClient(t, f, testOpts{clock: func() time.Time { return local }})
	if c.Skew() != 0 {
		t.Fatalf("Skew before any response = %v, want 0", c.Skew())
	}
	if _, err := c.Subscriptions(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := c.Skew(); got != 90*time.Second {
		t.Errorf("Skew = %v, want 90s (server ahead)", got)
	}
}

func TestUntrustedCertificateIsConfig(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "[]") })
	c, sl, _ := newTestClient(t, f, testOpts{client: &http.Client{}})
	_, err := c.Subscriptions(context.Background())
	fe, ok := fault.As(err)
	if !ok || fe.Kind != fault.Config || !strings.Contains(fe.Message, "not trusted") {
		t.Fatalf("err = %v, want a config error about the untrusted certificate", err)
	}
	if len(sl.all()) != 0 {
		t.Errorf("retried a TLS trust failure %d times", len(sl.all()))
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	foreign := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "[]") })
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.srv.URL+"/steal", http.StatusFound)
	})
	c, _, _ := newTestClient(t, f, testOpts{})
	_, err := c.Subscriptions(context.Background())
	if fault.KindOf(err) != fault.Config || len(foreign.requests()) != 0 {
		t.Fatalf("err = %v, foreign requests = %d; want a config error and no request elsewhere", err, len(foreign.requests()))
	}
}

func TestCanceledContextStopsRetrying(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 503, "") })
	ctx, cancel := context.WithCancel(context.Background())
	c, err := New(Config{BaseURL: f.srv.URL, TenantID: testTenant, HTTPClient: f.srv.Client(),
		Token: func(context.Context) (string, error) { return "t", nil },
		Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Subscriptions(ctx)
	if fault.KindOf(err) != fault.Canceled || len(f.requests()) != 1 {
		t.Fatalf("err = %v after %d requests, want canceled after one", err, len(f.requests()))
	}
}

func TestNewValidatesConfig(t *testing.T) {
	tok := func(context.Context) (string, error) { return "t", nil }
	tests := []struct {
		name string
		cfg  Config
	}{
		{"domain as tenant", Config{BaseURL: "https://manage.office.com", TenantID: "contoso.onmicrosoft.com", Token: tok}},
		{"plain http", Config{BaseURL: "http://manage.office.com", TenantID: testTenant, Token: tok}},
		{"no token", Config{BaseURL: "https://manage.office.com", TenantID: testTenant}},
		{"bad publisher", Config{BaseURL: "https://manage.office.com", TenantID: testTenant, PublisherID: "acme", Token: tok}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); fault.KindOf(err) != fault.Config {
				t.Errorf("New err = %v, want a config error", err)
			}
		})
	}
}
