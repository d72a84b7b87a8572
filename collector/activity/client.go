package activity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/auditlight/auditlight/collector/fault"

	"github.com/auditlight/auditlight/internal/ctxsleep"
	"github.com/auditlight/auditlight/internal/idlehttp"
)

// Defaults for Config's zero values.
const (
	DefaultMaxRetries  = 4
	DefaultBaseBackoff = time.Second
	DefaultMaxBackoff  = 2 * time.Minute
	// DefaultRequestsPerMinute keeps well under the tenant's documented
	// baseline of 2,000 requests per minute.
	DefaultRequestsPerMinute = 1500
	// DefaultBurst is the default limiter burst.
	DefaultBurst = 50
)

// Config configures a Client.
type Config struct {
	// BaseURL is the API root, e.g. https://manage.office.com (no /api/v1.0).
	BaseURL string
	// TenantID is the tenant GUID (the API rejects domains).
	TenantID string
	// PublisherID is sent as PublisherIdentifier; empty means TenantID.
	PublisherID string
	// HTTPClient does the requests; nil = a client with a 2-minute timeout.
	// Its redirect policy is replaced: redirects are never followed, so the
	// token cannot leak to another host.
	HTTPClient *http.Client
	// Token returns a bearer token for the Management API (required).
	Token func(ctx context.Context) (string, error)
	// Invalidate, when set, is called once after a 401 rejecting the token
	// before the request is retried with a fresh token.
	Invalidate func()
	// Limiter paces every request; share one between all clients of a
	// tenant. nil = DefaultRequestsPerMinute with DefaultBurst.
	Limiter *rate.Limiter
	// Clock is the local clock (nil = time.Now).
	Clock func() time.Time
	// Logger receives request diagnostics (nil = discard). Tokens are never logged.
	Logger *slog.Logger
	// MaxRetries bounds retries of throttled and transient failures per
	// request: 0 = DefaultMaxRetries, negative = no retries.
	MaxRetries int
	// BaseBackoff and MaxBackoff shape the exponential backoff with full
	// jitter (0 = defaults). A server-requested wait longer than MaxBackoff is
	// not slept inside the client: the error is returned with RetryAfter set.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// Sleep waits d or until ctx ends (nil = a timer); tests inject a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// IdleTimeout abandons (and retries) a request that receives no byte for
	// this long (0 = DefaultIdleTimeout): a stalled response no longer holds
	// its content type for the HTTP client's whole-request timeout.
	IdleTimeout time.Duration
}

// Stats counts what the client did since it was created.
type Stats struct {
	Requests      int64 // HTTP requests sent
	Retries       int64 // requests repeated after a throttled/transient failure or a rejected token
	Throttled     int64 // throttled responses (403 AF429, 429)
	Invalidations int64 // tokens invalidated after a 401
}

// Client talks to the Management Activity API of one tenant. It is safe for
// concurrent use.
type Client struct {
	origin      *url.URL // scheme+host+port the token may be sent to
	feed        string   // {base}/api/v1.0/{tenant}/activity/feed
	tenant      string
	publisher   string
	hc          *http.Client
	token       func(ctx context.Context) (string, error)
	invalidate  func()
	limiter     *rate.Limiter
	clock       func() time.Time
	log         *slog.Logger
	maxRetries  int
	baseBackoff time.Duration
	maxBackoff  time.Duration
	sleep       func(ctx context.Context, d time.Duration) error
	idle        time.Duration
	trouble     troubles
	bodies      *bodyReader

	skew          atomic.Int64 // nanoseconds
	requests      atomic.Int64
	retries       atomic.Int64
	throttled     atomic.Int64
	invalidations atomic.Int64
}

// New validates cfg and returns a client. It makes no network call.
func New(cfg Config) (*Client, error) {
	const op = "creating Management API client"
	bad := func(msg string) error { return &fault.Error{Kind: fault.Config, Op: op, Message: msg} }
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	u, err := url.Parse(base)
	if err != nil || base == "" {
		return nil, bad(fmt.Sprintf("the Management API URL %q is not a valid URL", cfg.BaseURL))
	}
	if u.Scheme != "https" || u.Hostname() == "" {
		return nil, bad(fmt.Sprintf("the Management API URL %q must be https:// with a host", cfg.BaseURL))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, bad("the Management API URL must not carry a query, fragment or credentials")
	}
	tenant := strings.ToLower(strings.TrimSpace(cfg.TenantID))
	if !isGUID(tenant) {
		return nil, bad(fmt.Sprintf("the tenant ID %q is not a GUID; the Management API needs the Directory (tenant) ID", cfg.TenantID))
	}
	pub := strings.ToLower(strings.TrimSpace(cfg.PublisherID))
	if pub == "" {
		pub = tenant
	}
	if !isGUID(pub) {
		return nil, bad(fmt.Sprintf("the publisher identifier %q is not a GUID", cfg.PublisherID))
	}
	if cfg.Token == nil {
		return nil, bad("no token source")
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		hc.Timeout = 2 * time.Minute
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	c := &Client{
		origin:      &url.URL{Scheme: u.Scheme, Host: u.Host},
		feed:        base + "/api/v1.0/" + tenant + "/activity/feed",
		tenant:      tenant,
		publisher:   pub,
		hc:          &hc,
		token:       cfg.Token,
		invalidate:  cfg.Invalidate,
		limiter:     cfg.Limiter,
		clock:       cfg.Clock,
		log:         cfg.Logger,
		maxRetries:  cfg.MaxRetries,
		baseBackoff: cfg.BaseBackoff,
		maxBackoff:  cfg.MaxBackoff,
		sleep:       cfg.Sleep,
		idle:        cfg.IdleTimeout,
		bodies:      newBodyReader(),
	}
	if c.idle <= 0 {
		c.idle = DefaultIdleTimeout
	}
	c.hc = idlehttp.Wrap(c.hc, c.idle)
	if c.limiter == nil {
		c.limiter = rate.NewLimiter(rate.Every(time.Minute/DefaultRequestsPerMinute), DefaultBurst)
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.baseBackoff <= 0 {
		c.baseBackoff = DefaultBaseBackoff
	}
	if c.maxBackoff <= 0 {
		c.maxBackoff = DefaultMaxBackoff
	}
	if c.maxBackoff < c.baseBackoff {
		c.maxBackoff = c.baseBackoff
	}
	if c.sleep == nil {
		c.sleep = ctxsleep.Sleep
	}
	return c, nil
}

// TenantID returns the tenant GUID the client reads.
func (c *Client) TenantID() string {
	return c.tenant
}

// Skew returns the server's clock minus the local clock, from the Date header
// of the latest response (0 before the first response).
func (c *Client) Skew() time.Duration { return time.Duration(c.skew.Load()) }

// Stats returns the request counters.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:      c.requests.Load(),
		Retries:       c.retries.Load(),
		Throttled:     c.throttled.Load(),
		Invalidations: c.invalidations.Load(),
	}
}

// isGUID reports whether s is an 8-4-4-4-12 hex GUID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
	}
	return true
}

// ctxFault turns a context error into a fault.
func ctxFault(op string, err error) *fault.Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &fault.Error{Kind: fault.Transient, Op: op, Message: "timed out", Err: err}
	}
	return &fault.Error{Kind: fault.Canceled, Op: op, Err: err}
}
