package simulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
)

func TestOpenIDConfiguration(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 1})
	tn := s.Tenant()
	tests := []struct {
		name       string
		tenant     string
		wantStatus int
		wantCode   int
		wantError  string
	}{
		{"by GUID", tn.ID, 200, 0, ""},
		{"by GUID upper case", strings.ToUpper(tn.ID), 200, 0, ""},
		{"by domain", tn.Domain, 200, 0, ""},
		{"by domain mixed case", strings.ToUpper(tn.Domain[:1]) + tn.Domain[1:], 200, 0, ""},
		{"unknown GUID", "11111111-2222-3333-4444-555555555555", 400, 90002, "invalid_tenant"},
		{"unknown domain", "wrong-tenant.onmicrosoft.com", 400, 90002, "invalid_tenant"},
		{"malformed", "not a tenant", 400, 900023, "invalid_request"},
		{"truncated GUID", tn.ID[:35], 400, 900023, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, s.LoginURL()+"/"+url.PathEscape(tc.tenant)+"/v2.0/.well-known/openid-configuration", "", nil, nil)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if tc.wantStatus == 200 {
				var doc map[string]any
				r.json(t, &doc)
				for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint"} {
					v, _ := doc[k].(string)
					if !strings.HasPrefix(v, s.URL()+"/") {
						t.Errorf("%s = %q, want on host %s", k, v, s.URL())
					}
				}
				return
			}
			assertAADError(t, r, tc.wantError, tc.wantCode)
		})
	}
}

// assertAADError checks the real Entra error shape.
func assertAADError(t *testing.T, r response, wantError string, wantCode int) {
	t.Helper()
	var e struct {
		Error         string `json:"error"`
		Description   string `json:"error_description"`
		Codes         []int  `json:"error_codes"`
		Timestamp     string `json:"timestamp"`
		TraceID       string `json:"trace_id"`
		CorrelationID string `json:"correlation_id"`
		ErrorURI      string `json:"error_uri"`
	}
	r.json(t, &e)
	if e.Error != wantError {
		t.Errorf("error = %q, want %q", e.Error, wantError)
	}
	if len(e.Codes) != 1 || e.Codes[0] != wantCode {
		t.Errorf("error_codes = %v, want [%d]", e.Codes, wantCode)
	}
	if !strings.HasPrefix(e.Description, fmt.Sprintf("AADSTS%d: ", wantCode)) {
		t.Errorf("error_description = %q, want prefix AADSTS%d", e.Description, wantCode)
	}
	if !isGUID(e.TraceID) || !isGUID(e.CorrelationID) || e.Timestamp == "" || e.ErrorURI == "" {
		t.Errorf("missing trace/correlation/timestamp/error_uri: %s", r.body)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 2})
	tn := s.Tenant()
	tests := []struct {
		name       string
		tenant     string
		mutate     func(url.Values)
		state      func(*State)
		wantStatus int
		wantError  string
		wantCode   int
		wantText   string
	}{
		{name: "unknown tenant", tenant: "11111111-2222-3333-4444-555555555555", wantStatus: 400, wantError: "invalid_tenant", wantCode: 90002},
		{name: "malformed tenant", tenant: "contoso", wantStatus: 400, wantError: "invalid_request", wantCode: 900023},
		{name: "unknown client", mutate: func(f url.Values) { f.Set("client_id", "99999999-9999-9999-9999-999999999999") }, wantStatus: 400, wantError: "unauthorized_client", wantCode: 700016},
		{name: "wrong secret", mutate: func(f url.Values) { f.Set("client_secret", "abc8Q~wrongwrongwrongwrongwrongwrongwron") }, wantStatus: 401, wantError: "invalid_client", wantCode: 7000215},
		{name: "secret id instead of value", mutate: func(f url.Values) { f.Set("client_secret", tn.SecretID) }, wantStatus: 401, wantError: "invalid_client", wantCode: 7000215, wantText: "client secret value, not the client secret ID"},
		{name: "missing secret", mutate: func(f url.Values) { f.Del("client_secret") }, wantStatus: 401, wantError: "invalid_client", wantCode: 7000218},
		{name: "expired secret", state: func(st *State) { st.SecretExpired = true }, wantStatus: 401, wantError: "invalid_client", wantCode: 7000222},
		{name: "scope without .default", mutate: func(f url.Values) { f.Set("scope", "https://manage.office.com/ActivityFeed.Read") }, wantStatus: 400, wantError: "invalid_scope", wantCode: 70011},
		{name: "misspelt resource", mutate: func(f url.Values) { f.Set("scope", "https://manage.office.co/.default") }, wantStatus: 400, wantError: "invalid_scope", wantCode: 70011},
		{name: "two resources", mutate: func(f url.Values) { f.Set("scope", apiScope+" "+graphScope) }, wantStatus: 400, wantError: "invalid_scope", wantCode: 700022},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := healthyState()
			s.Mutate(func(st *State) { st.SecretExpired = base.SecretExpired })
			if tc.state != nil {
				s.Mutate(tc.state)
			}
			form := credForm(s, apiScope+" openid offline_access profile")
			if tc.mutate != nil {
				tc.mutate(form)
			}
			tenant := tn.ID
			if tc.tenant != "" {
				tenant = tc.tenant
			}
			r := tokenResp(t, s, tenant, form)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			assertAADError(t, r, tc.wantError, tc.wantCode)
			if tc.wantText != "" && !strings.Contains(string(r.body), tc.wantText) {
				t.Errorf("description lacks %q: %s", tc.wantText, r.body)
			}
		})
	}
}

// claimsOf decodes a JWT payload without verification.
func claimsOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return m
}

func TestTokenClaims(t *testing.T) {
	tests := []struct {
		scenario  string
		scope     string
		wantAud   string
		wantRoles []string // nil = claim absent
	}{
		{ScenarioHealthy, apiScope, ResourceManagementAPI, []string{RoleActivityFeedRead, RoleActivityFeedReadDlp, RoleServiceHealthRead}},
		{ScenarioHealthy, "https://manage-gcc.office.com/.default", ResourceManagementAPI, []string{RoleActivityFeedRead, RoleActivityFeedReadDlp, RoleServiceHealthRead}},
		{ScenarioHealthy, "https://manage.office365.us/.default", ResourceManagementAPI, []string{RoleActivityFeedRead, RoleActivityFeedReadDlp, RoleServiceHealthRead}},
		{ScenarioHealthy, "https://manage.protection.apps.mil/.default", ResourceManagementAPI, []string{RoleActivityFeedRead, RoleActivityFeedReadDlp, RoleServiceHealthRead}},
		{ScenarioHealthy, graphScope, ResourceGraph, []string{RoleUserReadAll, RoleApplicationReadAll}},
		{ScenarioHealthy, "https://graph.microsoft.us/.default", ResourceGraph, []string{RoleUserReadAll, RoleApplicationReadAll}},
		{ScenarioHealthy, "https://dod-graph.microsoft.us/.default", ResourceGraph, []string{RoleUserReadAll, RoleApplicationReadAll}},
		{ScenarioNoConsent, apiScope, ResourceManagementAPI, nil},
		{ScenarioDelegatedOnly, apiScope, ResourceManagementAPI, nil},
		{ScenarioDelegatedOnly, graphScope, ResourceGraph, []string{RoleApplicationReadAll}},
		{ScenarioNoDLPPermission, apiScope, ResourceManagementAPI, []string{RoleActivityFeedRead, RoleServiceHealthRead}},
		{ScenarioNoGraphPermission, graphScope, ResourceGraph, nil},
	}
	for _, tc := range tests {
		t.Run(tc.scenario+" "+tc.scope, func(t *testing.T) {
			s, clk := startSim(t, Config{Seed: 3, Scenario: tc.scenario})
			c := claimsOf(t, token(t, s, tc.scope+" openid offline_access profile"))
			tn := s.Tenant()
			if c["aud"] != tc.wantAud || c["tid"] != tn.ID || c["appid"] != tn.ClientID || c["azp"] != tn.ClientID || c["idtyp"] != "app" {
				t.Errorf("claims = %v", c)
			}
			if _, ok := c["oid"].(string); !ok {
				t.Errorf("oid missing")
			}
			if exp, _ := c["exp"].(float64); int64(exp) != clk.Now().Add(3599*time.Second).Unix() {
				t.Errorf("exp = %v, want now+3599s", exp)
			}
			roles, present := c["roles"]
			if tc.wantRoles == nil {
				if present {
					t.Errorf("roles = %v, want absent", roles)
				}
				return
			}
			if fmt.Sprint(roles) != fmt.Sprint(tc.wantRoles) {
				t.Errorf("roles = %v, want %v", roles, tc.wantRoles)
			}
		})
	}
}

func TestTokenBasicAuthAndLifetimeFault(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 4, Faults: &Faults{TokenLifetime: 60 * time.Second}})
	tn := s.Tenant()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {graphScope}}
	req, _ := http.NewRequest(http.MethodPost, s.LoginURL()+"/"+tn.Domain+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(tn.ClientID), url.QueryEscape(tn.Secret))
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		ExpiresIn int    `json:"expires_in"`
		Type      string `json:"token_type"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d err %v", resp.StatusCode, err)
	}
	if v.ExpiresIn != 60 || v.Type != "Bearer" {
		t.Errorf("got %+v, want 60 s Bearer token", v)
	}
}

func TestMSALConfidentialClient(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 5})
	tn := s.Tenant()
	tests := []struct {
		name     string
		tenant   string
		secret   string
		expired  bool
		wantCode string // "" = success
	}{
		{"by GUID", tn.ID, tn.Secret, false, ""},
		{"by domain", tn.Domain, tn.Secret, false, ""},
		{"wrong secret", tn.ID, tn.Secret[:39] + "x", false, "AADSTS7000215"},
		{"secret ID pasted", tn.ID, tn.SecretID, false, "AADSTS7000215"},
		{"expired secret", tn.Domain, tn.Secret, true, "AADSTS7000222"},
		{"unknown tenant", "00000000-1111-2222-3333-444444444444", tn.Secret, false, "AADSTS90002"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.Mutate(func(st *State) { st.SecretExpired = tc.expired })
			cred, err := confidential.NewCredFromSecret(tc.secret)
			if err != nil {
				t.Fatal(err)
			}
			client, err := confidential.New(s.LoginURL()+"/"+tc.tenant, tn.ClientID, cred,
				confidential.WithHTTPClient(s.Client()), confidential.WithInstanceDiscovery(false))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res, err := client.AcquireTokenByCredential(ctx, []string{apiScope})
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("AcquireTokenByCredential: %v", err)
				}
				c := claimsOf(t, res.AccessToken)
				if c["tid"] != tn.ID || c["aud"] != ResourceManagementAPI {
					t.Errorf("claims = %v", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantCode) {
				t.Fatalf("error = %v, want %s", err, tc.wantCode)
			}
		})
	}
}
