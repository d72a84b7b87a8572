package activity

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testTenant    = "6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21"
	testPublisher = "11111111-2222-4333-8444-555555555555"
)

// recorded is what a fake server saw of one request.
type recorded struct {
	method, path, rawQuery, auth string
}

// fakeAPI is a TLS server whose handler a test supplies; it records requests.
type fakeAPI struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []recorded
}

func newFakeAPI(t *testing.T, h http.HandlerFunc) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.got = append(f.got, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization")})
		f.mu.Unlock()
		h(w, r)
	}))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // expected TLS handshake failures
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.got...)
}

// sleeps records the waits the client asked for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

type testOpts struct {
	publisher  string
	invalidate func()
	maxRetries int
	clock      func() time.Time
	client     *http.Client
}

// newTestClient returns a client for f whose token is "tok-<n>" (n counts
// token calls) and whose sleeps are recorded.
func newTestClient(t *testing.T, f *fakeAPI, o testOpts) (*Client, *sleeps, *atomic.Int64) {
	t.Helper()
	var tokens atomic.Int64
	sl := &sleeps{}
	hc := o.client
	if hc == nil {
		hc = f.srv.Client()
	}
	c, err := New(Config{
		BaseURL:     f.srv.URL,
		TenantID:    testTenant,
		PublisherID: o.publisher,
		HTTPClient:  hc,
		Token: func(ctx context.Context) (string, error) {
			n := tokens.Add(1)
			return "tok-" + string(rune('0'+n)), nil
		},
		Invalidate: o.invalidate,
		Clock:      o.clock,
		MaxRetries: o.maxRetries,
		Sleep:      sl.sleep,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, sl, &tokens
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func afError(code, msg string) string {
	return `{"error":{"code":"` + code + `","message":"` + msg + `"}}`
}

// newBenchServer starts a quiet TLS server for benchmarks.
func newBenchServer(h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}
