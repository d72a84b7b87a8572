package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

func newTestSource(t *testing.T, f *fakeIdP, tenant, secret string) *Source {
	t.Helper()
	s, err := NewSource(Config{Endpoints: f.endpoints(), Tenant: tenant, ClientID: testClientID, Secret: secret, HTTPClient: f.srv.Client()})
	if err != nil {
		t.Fatalf("NewSource: %v", err)
	}
	return s
}

func TestTokenCachedAndClaimsDecoded(t *testing.T) {
	f := newFakeIdP(t)
	s := newTestSource(t, f, testTenantID, testSecret)
	ctx := context.Background()

	first, err := s.Token(ctx, API)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if first.FromCache {
		t.Error("first token reported as cached")
	}
	if !first.Claims.HasRole("ActivityFeed.Read") || first.Claims.TenantID != testTenantID || first.Claims.AppID != testClientID {
		t.Errorf("claims = %+v, want the ActivityFeed.Read role, tid and appid", first.Claims)
	}
	if first.Claims.Audience != "https://manage.office.com" {
		t.Errorf("audience = %q, want the Management API (default scope)", first.Claims.Audience)
	}
	second, err := s.Token(ctx, API)
	if err != nil {
		t.Fatalf("second Token: %v", err)
	}
	if !second.FromCache || second.Value != first.Value {
		t.Errorf("second token FromCache=%v same=%v, want a cache hit", second.FromCache, second.Value == first.Value)
	}
	if got := f.tokenCalls.Load(); got != 1 {
		t.Errorf("token endpoint called %d times, want 1 (cache)", got)
	}
	if _, err := s.Token(ctx, Graph); err != nil {
		t.Fatalf("graph Token: %v", err)
	}
	if got := f.tokenCalls.Load(); got != 2 {
		t.Errorf("token endpoint called %d times after a Graph token, want 2 (one per resource)", got)
	}
	if !strings.Contains(f.lastScope, DefaultGraphScope) || strings.Contains(f.lastScope, DefaultAPIScope) {
		t.Errorf("graph scope sent = %q, want only the Graph resource", f.lastScope)
	}
}

func TestTenantIDFromDomain(t *testing.T) {
	f := newFakeIdP(t)
	s := newTestSource(t, f, " \"Contoso.onmicrosoft.com\" ", testSecret)
	got, err := s.TenantID(context.Background())
	if err != nil {
		t.Fatalf("TenantID: %v", err)
	}
	if got != testTenantID {
		t.Errorf("TenantID = %q, want the GUID %q from the token", got, testTenantID)
	}
	tok, err := s.Provider(API)(context.Background())
	if err != nil || tok == "" {
		t.Fatalf("Provider: %q, %v", tok, err)
	}
}

func TestUnknownTenantIsTenantNotFound(t *testing.T) {
	f := newFakeIdP(t)
	s := newTestSource(t, f, "fabrikam.onmicrosoft.com", testSecret)
	_, err := s.Token(context.Background(), API)
	fe, ok := fault.As(err)
	if !ok || fe.Kind != fault.TenantNotFound || fe.Code != "AADSTS90002" {
		t.Fatalf("err = %v, want tenant-not-found AADSTS90002", err)
	}
	if !strings.HasPrefix(fe.Message, "AADSTS90002: Tenant") || strings.Contains(fe.Message, "Trace ID") {
		t.Errorf("message = %q, want only the first line of the description", fe.Message)
	}
}

func aadBody(code int, desc string) string {
	return fmt.Sprintf(`{"error":"invalid_client","error_description":"AADSTS%d: %s\r\nTrace ID: 1\r\nCorrelation ID: 2","error_codes":[%d]}`, code, desc, code)
}

func TestTokenErrorMapping(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		header   http.Header
		wantKind fault.Kind
		wantCode string
	}{
		{"invalid secret", 401, aadBody(7000215, "Invalid client secret provided."), nil, fault.InvalidSecret, "AADSTS7000215"},
		{"no secret", 400, aadBody(7000218, "The request body must contain client_secret."), nil, fault.InvalidSecret, "AADSTS7000218"},
		{"expired secret", 401, aadBody(7000222, "The provided client secret keys are expired."), nil, fault.ExpiredSecret, "AADSTS7000222"},
		{"app not found", 400, aadBody(700016, "Application not found in the directory."), nil, fault.AppNotFound, "AADSTS700016"},
		{"app not found org", 400, aadBody(700011, "Application not found."), nil, fault.AppNotFound, "AADSTS700011"},
		{"app disabled", 400, aadBody(7000112, "Application is disabled."), nil, fault.AppNotFound, "AADSTS7000112"},
		{"app disabled old", 400, aadBody(70001, "Application is disabled."), nil, fault.AppNotFound, "AADSTS70001"},
		{"tenant not found", 400, aadBody(90002, "Tenant not found."), nil, fault.TenantNotFound, "AADSTS90002"},
		{"tenant not dns", 400, aadBody(900023, "Specified tenant identifier is neither a valid DNS name."), nil, fault.TenantNotFound, "AADSTS900023"},
		{"other cloud", 400, aadBody(90038, "Tenant is in another cloud."), nil, fault.TenantNotFound, "AADSTS90038"},
		{"resource missing", 400, aadBody(500011, "The resource principal was not found."), nil, fault.Config, "AADSTS500011"},
		{"invalid scope", 400, aadBody(70011, "The provided value for scope is not valid."), nil, fault.Config, "AADSTS70011"},
		{"two resources", 400, aadBody(700022, "Scope has more than one resource."), nil, fault.Config, "AADSTS700022"},
		{"conditional access", 400, aadBody(53003, "Access has been blocked by Conditional Access policies."), nil, fault.PermissionMissing, "AADSTS53003"},
		{"no consent", 400, aadBody(65001, "The user or administrator has not consented to use the application."), nil, fault.PermissionMissing, "AADSTS65001"},
		{"throttled 90055", 429, aadBody(90055, "Too many requests."), http.Header{"Retry-After": {"30"}}, fault.Throttled, "AADSTS90055"},
		{"loop 50196", 400, aadBody(50196, "Loop detected."), nil, fault.Throttled, "AADSTS50196"},
		{"plain 429", 429, `{"error":"temporarily_unavailable"}`, http.Header{"Retry-After": {"30"}}, fault.Throttled, ""},
		{"server error", 503, `<html>down</html>`, nil, fault.Transient, "HTTP 503"},
		{"codes only in text", 400, `{"error":"invalid_client","error_description":"AADSTS7000222: expired keys."}`, nil, fault.ExpiredSecret, "AADSTS7000222"},
		{"unknown aadsts", 400, aadBody(12345, "Something new."), nil, fault.Config, "AADSTS12345"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeIdP(t)
			f.fail(tt.status, tt.body, tt.header)
			s := newTestSource(t, f, testTenantID, testSecret)
			_, err := s.Token(context.Background(), API)
			fe, ok := fault.As(err)
			if !ok {
				t.Fatalf("err = %v (%T), want *fault.Error", err, err)
			}
			if fe.Kind != tt.wantKind || fe.Code != tt.wantCode {
				t.Errorf("kind/code = %v/%q, want %v/%q (err %v)", fe.Kind, fe.Code, tt.wantKind, tt.wantCode, err)
			}
			if strings.Contains(err.Error(), testSecret) || strings.Contains(fe.Message, testSecret) {
				t.Error("error text contains the secret")
			}
			if strings.Contains(fe.Message, "\n") || strings.Contains(fe.Message, "Trace ID") {
				t.Errorf("message %q is not the first line only", fe.Message)
			}
			if tt.header.Get("Retry-After") == "30" && fe.RetryAfter.Seconds() != 30 {
				t.Errorf("RetryAfter = %v, want 30s from the header", fe.RetryAfter)
			}
		})
	}
}

func TestTransportFailures(t *testing.T) {
	t.Run("untrusted certificate", func(t *testing.T) {
		f := newFakeIdP(t)
		s, err := NewSource(Config{Endpoints: f.endpoints(), Tenant: testTenantID, ClientID: testClientID, Secret: testSecret, HTTPClient: &http.Client{}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Token(context.Background(), API)
		fe, ok := fault.As(err)
		if !ok || fe.Kind != fault.Config || !strings.Contains(fe.Message, "not trusted") {
			t.Fatalf("err = %v, want a config error saying the certificate is not trusted", err)
		}
	})
	t.Run("server gone", func(t *testing.T) {
		f := newFakeIdP(t)
		s := newTestSource(t, f, testTenantID, testSecret)
		f.srv.Close()
		_, err := s.Token(context.Background(), API)
		if k := fault.KindOf(err); k != fault.Transient {
			t.Fatalf("kind = %v (err %v), want transient", k, err)
		}
	})
	t.Run("token response stalls", func(t *testing.T) {
		f := newFakeIdP(t)
		s, err := NewSource(Config{Endpoints: f.endpoints(), Tenant: testTenantID, ClientID: testClientID, Secret: testSecret,
			HTTPClient: f.srv.Client(), IdleTimeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TenantID(context.Background()); err != nil { // discovery answers; then the token stalls
			t.Fatal(err)
		}
		f.mu.Lock()
		f.stall = true
		f.mu.Unlock()
		s.Invalidate(API)
		done := make(chan error, 1)
		go func() { _, err := s.Token(context.Background(), API); done <- err }()
		select {
		case err := <-done:
			if k := fault.KindOf(err); k != fault.Transient || !strings.Contains(err.Error(), "stopped answering") {
				t.Fatalf("kind = %v (err %v), want transient 'stopped answering'", k, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a stalled token response held the sign-in for 10 s (idle timeout 200 ms)")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		f := newFakeIdP(t)
		s := newTestSource(t, f, testTenantID, testSecret)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Token(ctx, API)
		if k := fault.KindOf(err); k != fault.Canceled || !errors.Is(err, context.Canceled) {
			t.Fatalf("kind = %v (err %v), want canceled", k, err)
		}
	})
}

func TestNewSourceRejectsBadInput(t *testing.T) {
	good := Endpoints{LoginURL: "https://login.microsoftonline.com", APIURL: "https://manage.office.com"}
	tests := []struct {
		name string
		cfg  Config
		want fault.Kind
	}{
		{"http login", Config{Endpoints: Endpoints{LoginURL: "http://127.0.0.1", APIURL: "https://x.test"}, Tenant: testTenantID, ClientID: testClientID, Secret: testSecret}, fault.Config},
		{"bad tenant", Config{Endpoints: good, Tenant: "6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d2", ClientID: testClientID, Secret: testSecret}, fault.Config},
		{"bad client id", Config{Endpoints: good, Tenant: testTenantID, ClientID: "my-app", Secret: testSecret}, fault.Config},
		{"empty secret", Config{Endpoints: good, Tenant: testTenantID, ClientID: testClientID, Secret: "  "}, fault.InvalidSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSource(tt.cfg)
			if k := fault.KindOf(err); k != tt.want {
				t.Errorf("kind = %v (err %v), want %v", k, err, tt.want)
			}
		})
	}
}

func TestInvalidateFetchesFreshToken(t *testing.T) {
	f := newFakeIdP(t)
	s := newTestSource(t, f, testTenantID, testSecret)
	ctx := context.Background()
	first, err := s.Token(ctx, API)
	if err != nil {
		t.Fatal(err)
	}
	s.Invalidator(API)()
	f.mu.Lock()
	f.roles = []string{"ActivityFeed.Read", "ActivityFeed.ReadDlp"} // consent granted meanwhile
	f.mu.Unlock()
	second, err := s.Token(ctx, API)
	if err != nil {
		t.Fatal(err)
	}
	if second.FromCache || second.Value == first.Value || !second.Claims.HasRole("ActivityFeed.ReadDlp") {
		t.Errorf("after Invalidate: FromCache=%v same=%v roles=%v; want a fresh token with the new role", second.FromCache, second.Value == first.Value, second.Claims.Roles)
	}
	if !strings.Contains(f.lastClaims, `"nbf"`) {
		t.Errorf("claims sent = %q, want an nbf claims challenge", f.lastClaims)
	}
	third, err := s.Token(ctx, API)
	if err != nil {
		t.Fatal(err)
	}
	if !third.FromCache || third.Value != second.Value {
		t.Errorf("third token FromCache=%v same-as-fresh=%v; want the fresh token from the cache", third.FromCache, third.Value == second.Value)
	}
	if got := f.tokenCalls.Load(); got != 2 {
		t.Errorf("token endpoint called %d times, want 2", got)
	}
}

func TestProviderReusesItsTokenUntilInvalidated(t *testing.T) {
	f := newFakeIdP(t)
	s := newTestSource(t, f, testTenantID, testSecret)
	ctx := context.Background()
	get := s.Provider(API)
	first, err := get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if again != first {
			t.Fatal("a fresh token was handed out again before expiry without Invalidate")
		}
	}
	s.Invalidate(API)
	fresh, err := get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fresh == first {
		t.Error("after Invalidate the provider handed out the rejected token again")
	}
	graph, err := s.Provider(Graph)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if graph == fresh {
		t.Error("the Graph provider handed out the Management API token")
	}
	if got := f.tokenCalls.Load(); got != 3 {
		t.Errorf("token endpoint called %d times, want 3 (first, after Invalidate, Graph)", got)
	}
}
