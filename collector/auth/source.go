package auth

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

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/idlehttp"
)

// Resource is the service a token is for.
type Resource int

// The resources AuditLight needs tokens for.
const (
	API   Resource = iota // Office 365 Management Activity API
	Graph                 // Microsoft Graph
)

// String names the resource for logs and messages.
func (r Resource) String() string {
	switch r {
	case API:
		return "Management API"
	case Graph:
		return "Microsoft Graph"
	}
	return fmt.Sprintf("resource(%d)", int(r))
}

// Config is what NewSource needs. Tenant may be a GUID or a domain.
type Config struct {
	Endpoints  Endpoints
	Tenant     string
	ClientID   string
	Secret     string
	HTTPClient *http.Client // nil = a client with a 60 s timeout and the system roots
	// IdleTimeout abandons a sign-in exchange that receives no byte for this
	// long (0 = idlehttp.DefaultIdle), however long the client's timeout.
	IdleTimeout time.Duration
	Clock       func() time.Time // nil = time.Now
	Logger      *slog.Logger     // nil = discard
}

// Token is an access token and what AuditLight learned from it.
type Token struct {
	Value     string    // the bearer token; never log it
	ExpiresOn time.Time // when Entra ID says it expires
	Claims    Claims    // decoded payload (zero if the token is not a JWT)
	FromCache bool      // true when MSAL served it from its in-memory cache
}

// Source hands out access tokens from one MSAL confidential client; the token
// cache and refresh live inside that client. It is safe for concurrent use.
type Source struct {
	client   confidential.Client
	ep       Endpoints
	tenant   string
	clientID string
	clock    func() time.Time
	log      *slog.Logger
	stale    [2]atomic.Bool // per Resource: bypass MSAL's cache on the next Token call
	// handed is, per Resource, the token Provider last handed out: reused
	// without asking MSAL until providerMargin before it expires.
	handed [2]atomic.Pointer[Token]
}

// providerMargin is how long before its expiry a token Provider handed out
// stops being reused: Provider then asks MSAL, whose cache renews a token
// five minutes before expiry as well.
const providerMargin = 5 * time.Minute

// isMicrosoftLoginHost reports whether host is an Entra ID host MSAL knows;
// instance discovery stays on for those and is turned off for anything else
// (private clouds, the simulator).
func isMicrosoftLoginHost(host string) bool {
	switch strings.ToLower(host) {
	case "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
		"login.microsoftonline.us", "login.usgovcloudapi.net", "login-us.microsoftonline.com",
		"login.partner.microsoftonline.cn", "login.chinacloudapi.cn", "login.microsoftonline.de":
		return true
	}
	return false
}

// NewSource validates cfg and builds the MSAL confidential client. It makes no
// network call.
func NewSource(cfg Config) (*Source, error) {
	const op = "creating token source"
	ep := cfg.Endpoints.WithDefaults()
	if err := ep.Validate(); err != nil {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Message: err.Error(), Err: err}
	}
	tenant, err := NormalizeTenant(cfg.Tenant)
	if err != nil {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Message: err.Error(), Err: err}
	}
	clientID, err := NormalizeClientID(cfg.ClientID)
	if err != nil {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Message: err.Error(), Err: err}
	}
	secret, err := NormalizeSecret(cfg.Secret)
	if err != nil {
		return nil, &fault.Error{Kind: fault.InvalidSecret, Op: op, Message: err.Error(), Err: err}
	}
	cred, err := confidential.NewCredFromSecret(secret)
	if err != nil {
		return nil, &fault.Error{Kind: fault.InvalidSecret, Op: op, Message: "the client secret is empty", Err: err}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	hc = idlehttp.Wrap(hc, cfg.IdleTimeout)
	login, err := url.Parse(ep.LoginURL)
	if err != nil {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Message: "the login URL is not valid", Err: err}
	}
	opts := []confidential.Option{confidential.WithHTTPClient(hc)}
	if !isMicrosoftLoginHost(login.Host) {
		opts = append(opts, confidential.WithInstanceDiscovery(false))
	}
	authority := ep.LoginURL + "/" + tenant
	client, err := confidential.New(authority, clientID, cred, opts...)
	if err != nil {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Message: firstLine(err.Error()), Err: err}
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Source{client: client, ep: ep, tenant: tenant, clientID: clientID, clock: clock, log: logger}, nil
}

// Endpoints returns the endpoints the source was built with (defaults applied).
func (s *Source) Endpoints() Endpoints { return s.ep }

// scopes returns the one-resource scope list for r.
func (s *Source) scopes(r Resource) ([]string, error) {
	switch r {
	case API:
		return []string{s.ep.APIScope}, nil
	case Graph:
		if s.ep.GraphScope == "" {
			return nil, errors.New("no Graph scope configured")
		}
		return []string{s.ep.GraphScope}, nil
	}
	return nil, fmt.Errorf("unknown resource %d", int(r))
}

// Token returns an access token for r. MSAL serves it from its cache while it
// is valid for more than five minutes and fetches a new one otherwise. Errors
// are *fault.Error with Code "AADSTS<n>" when Entra ID gave one.
func (s *Source) Token(ctx context.Context, r Resource) (Token, error) {
	op := "getting a " + r.String() + " token"
	scopes, err := s.scopes(r)
	if err != nil {
		return Token{}, &fault.Error{Kind: fault.Config, Op: op, Message: err.Error(), Err: err}
	}
	var opts []confidential.AcquireByCredentialOption
	forced := s.stale[r].CompareAndSwap(true, false)
	if forced {
		// A claims challenge makes MSAL skip its cache; "a token issued after
		// now" is the standard nbf challenge and the new token replaces the
		// rejected one in the cache.
		opts = append(opts, confidential.WithClaims(fmt.Sprintf(`{"access_token":{"nbf":{"essential":true,"value":"%d"}}}`, s.clock().Unix())))
	}
	res, err := s.client.AcquireTokenByCredential(ctx, scopes, opts...)
	if err != nil {
		if forced {
			s.stale[r].Store(true)
		}
		fe := classifyTokenError(op, err)
		s.log.Warn("token request failed", "resource", r.String(), "kind", fe.Kind.String(), "code", fe.Code, "message", fe.Message)
		return Token{}, fe
	}
	t := Token{Value: res.AccessToken, ExpiresOn: res.ExpiresOn, FromCache: res.Metadata.TokenSource == confidential.TokenSourceCache}
	if c, perr := ParseClaims(res.AccessToken); perr == nil {
		t.Claims = c
	} else {
		s.log.Debug("access token is not a readable JWT", "resource", r.String(), "error", perr)
	}
	if !t.FromCache {
		s.log.Info("acquired access token", "resource", r.String(), "expires_in", t.ExpiresOn.Sub(s.clock()).Round(time.Second).String(), "roles", t.Claims.Roles)
	}
	return t, nil
}

// Invalidate makes the next Token call for r get a new token from Entra ID
// instead of MSAL's cache, e.g. after the API rejected the cached token with
// 401. Roles granted since the cached token was issued appear in the new one.
func (s *Source) Invalidate(r Resource) {
	if r == API || r == Graph {
		s.stale[r].Store(true)
		s.handed[r].Store(nil)
	}
}

// Invalidator returns Invalidate bound to r, for activity.Config.Invalidate.
func (s *Source) Invalidator(r Resource) func() {
	return func() { s.Invalidate(r) }
}

// Provider adapts the source to the token callbacks of the activity and graph
// clients. The clients ask for a token on every request (a backfill makes
// thousands a minute), so the token it handed out last is reused until
// providerMargin before its expiry or until Invalidate, without a trip
// through MSAL's cache and a decode of the token's claims each time.
func (s *Source) Provider(r Resource) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if r == API || r == Graph {
			if t := s.handed[r].Load(); t != nil && !s.stale[r].Load() && s.clock().Before(t.ExpiresOn.Add(-providerMargin)) {
				return t.Value, nil
			}
		}
		t, err := s.Token(ctx, r)
		if err != nil {
			return "", err
		}
		if r == API || r == Graph {
			s.hand(r, &t)
		}
		return t.Value, nil
	}
}

// TenantID returns the tenant GUID: from the Management API token's tid claim
// (the admin may have typed a domain, but the Management API needs the GUID),
// or the configured tenant when it is already a GUID and the token has no tid.
func (s *Source) TenantID(ctx context.Context) (string, error) {
	t, err := s.Token(ctx, API)
	if err != nil {
		return "", fmt.Errorf("finding the tenant ID: %w", err)
	}
	if IsGUID(t.Claims.TenantID) {
		return strings.ToLower(t.Claims.TenantID), nil
	}
	if IsGUID(s.tenant) {
		return s.tenant, nil
	}
	return "", &fault.Error{Kind: fault.Config, Op: "finding the tenant ID",
		Message: "the access token does not name the tenant; enter the Directory (tenant) ID instead of the domain"}
}

// hand records t as the token Provider hands out for r, unless a token
// expiring later is already recorded (a concurrent call that got a fresher
// one, e.g. right after Invalidate).
func (s *Source) hand(r Resource, t *Token) {
	for {
		old := s.handed[r].Load()
		if old != nil && old.ExpiresOn.After(t.ExpiresOn) {
			return
		}
		if s.handed[r].CompareAndSwap(old, t) {
			return
		}
	}
}
