package graph

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

const testAppID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

type seen struct {
	path, query, auth string
}

type fakeGraph struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []seen
}

func newFakeGraph(t *testing.T, h func(f *fakeGraph, w http.ResponseWriter, r *http.Request)) *fakeGraph {
	t.Helper()
	f := &fakeGraph{}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.got = append(f.got, seen{r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization")})
		f.mu.Unlock()
		h(f, w, r)
	}))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGraph) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.got...)
}

func newTestClient(t *testing.T, f *fakeGraph, now time.Time) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: f.srv.URL + "/v1.0", HTTPClient: f.srv.Client(),
		Token: func(context.Context) (string, error) { return "graph-token", nil }, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func jsonReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func userJSON(i int) string {
	return fmt.Sprintf(`{"id":"id-%d","userPrincipalName":"user%d@contoso.onmicrosoft.com","displayName":"User %d","mail":"user%d@contoso.com"}`, i, i, i, i)
}

func TestUsersFollowsNextLink(t *testing.T) {
	f := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1.0/users" {
			jsonReply(w, 404, `{"error":{"code":"Request_ResourceNotFound","message":"nope"}}`)
			return
		}
		if r.URL.Query().Get("$skiptoken") == "" {
			jsonReply(w, 200, `{"@odata.nextLink":"https://`+r.Host+`/v1.0/users?$top=999&$skiptoken=p2","value":[`+userJSON(1)+`,`+userJSON(2)+`]}`)
			return
		}
		jsonReply(w, 200, `{"value":[`+userJSON(3)+`]}`)
	})
	c := newTestClient(t, f, time.Now())
	users, err := c.Users(context.Background())
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	if len(users) != 3 || users[2].UPN != "user3@contoso.onmicrosoft.com" || users[0].DisplayName != "User 1" || users[1].Mail != "user2@contoso.com" || users[0].ID != "id-1" {
		t.Fatalf("users = %+v, want the three users of both pages", users)
	}
	reqs := f.requests()
	if len(reqs) != 2 {
		t.Fatalf("requests = %d, want 2", len(reqs))
	}
	if q, _ := url.ParseQuery(reqs[0].query); q.Get("$top") != "999" || !strings.Contains(q.Get("$select"), "userPrincipalName") {
		t.Errorf("first query %q lacks $top=999 or $select", reqs[0].query)
	}
	for _, r := range reqs {
		if r.auth != "Bearer graph-token" {
			t.Errorf("request %s auth = %q, want the Graph token", r.path, r.auth)
		}
	}
}

func TestUsersRefusesForeignNextLink(t *testing.T) {
	foreign := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, `{"value":[]}`) })
	f := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, `{"@odata.nextLink":"`+foreign.srv.URL+`/v1.0/users?$skiptoken=p2","value":[`+userJSON(1)+`]}`)
	})
	c := newTestClient(t, f, time.Now())
	_, err := c.Users(context.Background())
	fe, ok := fault.As(err)
	if !ok || fe.Kind != fault.Config || !strings.Contains(fe.Message, "refusing") {
		t.Fatalf("err = %v, want a config error refusing the foreign host", err)
	}
	for _, r := range foreign.requests() {
		if r.auth != "" {
			t.Errorf("foreign host received the token")
		}
	}
}

func TestAppSecretsAndPermissions(t *testing.T) {
	now := time.Date(2026, 9, 3, 8, 0, 0, 0, time.UTC)
	f := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "applications(appId=") || !strings.Contains(r.URL.Path, testAppID) {
			jsonReply(w, 404, `{"error":{"code":"Request_ResourceNotFound","message":"Resource does not exist."}}`)
			return
		}
		jsonReply(w, 200, `{"id":"obj-1","appId":"`+testAppID+`","displayName":"AuditLight",
			"passwordCredentials":[
			 {"keyId":"11111111-1111-4111-8111-111111111111","hint":"Abc","displayName":"old","startDateTime":"2024-01-01T00:00:00Z","endDateTime":"2026-01-01T00:00:00Z","secretText":null},
			 {"keyId":"22222222-2222-4222-8222-222222222222","hint":"Abc","displayName":"current","startDateTime":"2026-03-01T00:00:00Z","endDateTime":"2027-03-01T00:00:00Z","secretText":null},
			 {"keyId":"33333333-3333-4333-8333-333333333333","hint":"Xyz","displayName":"other","startDateTime":"2026-03-01T00:00:00Z","endDateTime":"2028-03-01T00:00:00Z","secretText":null}],
			"requiredResourceAccess":[{"resourceAppId":"c5393580-f805-4401-95e8-94b7a6ef2fc2","resourceAccess":[{"id":"594c1fb6-4f81-4475-ae41-0c394909246c","type":"Role"}]},
			 {"resourceAppId":"00000003-0000-0000-c000-000000000000","resourceAccess":[{"id":"df021288-bdef-4463-88db-98f22de89214","type":"Role"},{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","type":"Scope"}]}]}`)
	})
	c := newTestClient(t, f, now)
	app, err := c.App(context.Background(), testAppID)
	if err != nil {
		t.Fatalf("App: %v", err)
	}
	if app.DisplayName != "AuditLight" || len(app.Secrets) != 3 || len(app.RequiredAccess) != 3 || !app.FetchedAt.Equal(now) {
		t.Fatalf("app = %+v", app)
	}
	if ra := app.RequiredAccess[0]; ra.ResourceAppID != "c5393580-f805-4401-95e8-94b7a6ef2fc2" || ra.Type != "Role" || ra.ID != "594c1fb6-4f81-4475-ae41-0c394909246c" {
		t.Errorf("first permission = %+v", ra)
	}
	if q := f.requests()[0].query; !strings.Contains(q, "passwordCredentials") || !strings.Contains(q, "requiredResourceAccess") {
		t.Errorf("query %q does not select the secrets and permissions", q)
	}
	s, ok := app.SecretFor("Abc8Q~rest-of-the-secret")
	if !ok || s.DisplayName != "current" || !s.End.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) || s.KeyID != "22222222-2222-4222-8222-222222222222" {
		t.Errorf("SecretFor = %+v, %v; want the currently valid 'current' secret", s, ok)
	}
}

func TestSecretFor(t *testing.T) {
	now := time.Date(2026, 9, 3, 8, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	secrets := []SecretInfo{
		{KeyID: "expired", Hint: "Abc", Start: now.Add(-400 * day), End: now.Add(-day)},
		{KeyID: "valid-short", Hint: "Abc", Start: now.Add(-10 * day), End: now.Add(30 * day)},
		{KeyID: "valid-long", Hint: "Abc", Start: now.Add(-10 * day), End: now.Add(300 * day)},
		{KeyID: "future", Hint: "Abc", Start: now.Add(10 * day), End: now.Add(900 * day)},
		{KeyID: "only-expired", Hint: "Old", Start: now.Add(-400 * day), End: now.Add(-day)},
	}
	tests := []struct {
		name, secret, want string
		ok                 bool
	}{
		{"valid with latest expiry wins", "Abc~secret", "valid-long", true},
		{"expired still reported when it is the only match", "Old~secret", "only-expired", true},
		{"no hint match", "Zzz~secret", "", false},
		{"too short", "Ab", "", false},
	}
	app := AppInfo{Secrets: secrets, FetchedAt: now}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := app.SecretFor(tt.secret)
			if ok != tt.ok || got.KeyID != tt.want {
				t.Errorf("SecretFor(%q) = %q, %v; want %q, %v", tt.secret, got.KeyID, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		header   http.Header
		body     string
		app      bool
		wantKind fault.Kind
		wantCode string
	}{
		{"no Application.Read.All", 403, nil, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`, true, fault.PermissionMissing, "Authorization_RequestDenied"},
		{"no User.Read.All", 403, nil, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`, false, fault.PermissionMissing, "Authorization_RequestDenied"},
		{"token rejected", 401, nil, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure."}}`, false, fault.Config, "InvalidAuthenticationToken"},
		{"app not in tenant", 404, nil, `{"error":{"code":"Request_ResourceNotFound","message":"Resource does not exist."}}`, true, fault.AppNotFound, "Request_ResourceNotFound"},
		{"throttled", 429, http.Header{"Retry-After": {"0"}}, `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`, false, fault.Throttled, "TooManyRequests"},
		{"server error", 500, nil, `{"error":{"code":"generalException","message":"General exception."}}`, false, fault.Transient, "generalException"},
		{"bad request", 400, nil, `{"error":{"code":"Request_UnsupportedQuery","message":"Unsupported query."}}`, false, fault.Config, "Request_UnsupportedQuery"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				jsonReply(w, tt.status, tt.body)
			})
			c := newTestClient(t, f, time.Now())
			var err error
			if tt.app {
				_, err = c.App(context.Background(), testAppID)
			} else {
				_, err = c.Users(context.Background())
			}
			fe, ok := fault.As(err)
			if !ok || fe.Kind != tt.wantKind || fe.Code != tt.wantCode || fe.Status != tt.status {
				t.Fatalf("err = %v (%+v), want kind %v code %q status %d", err, fe, tt.wantKind, tt.wantCode, tt.status)
			}
			if strings.Contains(err.Error(), "graph-token") {
				t.Error("error text contains the token")
			}
		})
	}
}

// TestStalledAnswerIsTransient: a Graph answer that stops arriving is given
// up after the idle timeout as a transient fault (it held the user-name
// refresh for the client's whole 10-minute timeout).
func TestStalledAnswerIsTransient(t *testing.T) {
	f := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"value":[`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c, err := New(Config{BaseURL: f.srv.URL + "/v1.0", HTTPClient: f.srv.Client(), IdleTimeout: 200 * time.Millisecond,
		Token: func(context.Context) (string, error) { return "graph-token", nil }})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := c.Users(context.Background()); done <- err }()
	select {
	case err := <-done:
		if fe, ok := fault.As(err); !ok || fe.Kind != fault.Transient || fe.Code != "STALLED" {
			t.Fatalf("err = %v, want a transient STALLED fault", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a stalled Graph answer held Users for 10 s (idle timeout 200 ms)")
	}
}

func TestUntrustedCertificate(t *testing.T) {
	f := newFakeGraph(t, func(f *fakeGraph, w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, `{"value":[]}`) })
	c, err := New(Config{BaseURL: f.srv.URL + "/v1.0", HTTPClient: &http.Client{}, Token: func(context.Context) (string, error) { return "t", nil }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users(context.Background())
	fe, ok := fault.As(err)
	if !ok || fe.Kind != fault.Config || !strings.Contains(fe.Message, "not trusted") {
		t.Fatalf("err = %v, want a config error about the untrusted certificate", err)
	}
}

func TestNewValidates(t *testing.T) {
	tok := func(context.Context) (string, error) { return "t", nil }
	for _, cfg := range []Config{
		{BaseURL: "https://graph.microsoft.com", Token: tok},
		{BaseURL: "http://graph.microsoft.com/v1.0", Token: tok},
		{BaseURL: "https://graph.microsoft.com/v1.0"},
		{BaseURL: "", Token: tok},
	} {
		if _, err := New(cfg); fault.KindOf(err) != fault.Config {
			t.Errorf("New(%q) err = %v, want config", cfg.BaseURL, err)
		}
	}
}
