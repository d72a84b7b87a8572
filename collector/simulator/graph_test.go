package simulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestGraphUsersPaging(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 40, Users: 12})
	tok := token(t, s, graphScope)
	u := s.GraphURL() + "/users?" + url.Values{"$select": {"id,displayName,userPrincipalName"}, "$top": {"5"}}.Encode()
	var names []string
	pages := 0
	for u != "" {
		r := do(t, s, http.MethodGet, u, tok, nil, nil)
		if r.status != 200 {
			t.Fatalf("users: %d %s", r.status, r.body)
		}
		var page struct {
			Context  string           `json:"@odata.context"`
			NextLink string           `json:"@odata.nextLink"`
			Value    []map[string]any `json:"value"`
		}
		r.json(t, &page)
		if !strings.HasPrefix(page.Context, s.GraphURL()+"/$metadata#users") {
			t.Errorf("@odata.context = %q", page.Context)
		}
		if page.NextLink != "" && (!strings.HasPrefix(page.NextLink, s.GraphURL()+"/users?") || !strings.Contains(page.NextLink, "skiptoken")) {
			t.Errorf("@odata.nextLink = %q", page.NextLink)
		}
		for _, v := range page.Value {
			if len(v) != 3 {
				t.Errorf("$select ignored: %v", v)
			}
			if upn, _ := v["userPrincipalName"].(string); !strings.HasSuffix(upn, "@"+s.Tenant().Domain) {
				t.Errorf("UPN %q not on the tenant domain", upn)
			}
			names = append(names, v["displayName"].(string))
		}
		u = page.NextLink
		pages++
	}
	if pages != 3 || len(names) != 12 {
		t.Errorf("%d pages, %d users; want 3 pages of 12 users", pages, len(names))
	}
}

func TestGraphErrors(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 41})
	tn := s.Tenant()
	good := token(t, s, graphScope)
	api := token(t, s, apiScope)
	s.Mutate(func(st *State) { delete(st.AppRoles, ResourceGraph) })
	none := token(t, s, graphScope)
	s.Mutate(func(st *State) { st.Faults.TokenLifetime = time.Minute })
	short := token(t, s, graphScope)
	s.Mutate(func(st *State) { st.AppRoles[ResourceGraph] = []string{RoleUserReadAll, RoleApplicationReadAll} })
	app := s.GraphURL() + "/applications(appId='" + tn.ClientID + "')"
	tests := []struct {
		name       string
		url        string
		token      string
		advance    time.Duration
		wantStatus int
		wantCode   string
	}{
		{"$top 1000", s.GraphURL() + "/users?%24top=1000", good, 0, 400, "Request_UnsupportedQuery"},
		{"$top 0", s.GraphURL() + "/users?%24top=0", good, 0, 400, "Request_UnsupportedQuery"},
		{"$top 999", s.GraphURL() + "/users?%24top=999", good, 0, 200, ""},
		{"unknown $select", s.GraphURL() + "/users?%24select=shoeSize", good, 0, 400, "BadRequest"},
		{"bad skiptoken", s.GraphURL() + "/users?%24skiptoken=abc", good, 0, 400, "Directory_ExpiredPageToken"},
		{"users without role", s.GraphURL() + "/users", none, 0, 403, "Authorization_RequestDenied"},
		{"application without role", app, none, 0, 403, "Authorization_RequestDenied"},
		{"unknown app", s.GraphURL() + "/applications(appId='99999999-9999-9999-9999-999999999999')", good, 0, 404, "Request_ResourceNotFound"},
		{"no token", s.GraphURL() + "/users", "", 0, 401, "InvalidAuthenticationToken"},
		{"management token", s.GraphURL() + "/users", api, 0, 401, "InvalidAuthenticationToken"},
		{"expired token", s.GraphURL() + "/users", short, 2 * time.Minute, 401, "InvalidAuthenticationToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk.Advance(tc.advance)
			r := do(t, s, http.MethodGet, tc.url, tc.token, nil, nil)
			if r.status != tc.wantStatus || (tc.wantCode != "" && r.afCode() != tc.wantCode) {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tc.wantStatus, tc.wantCode)
			}
			if r.status == 403 && r.afMessage() != "Insufficient privileges to complete the operation." {
				t.Errorf("message %q", r.afMessage())
			}
		})
	}
}

func TestGraphApplicationShowsPermissionsAndSecret(t *testing.T) {
	type access struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	type app struct {
		AppID    string `json:"appId"`
		Required []struct {
			ResourceAppID  string   `json:"resourceAppId"`
			ResourceAccess []access `json:"resourceAccess"`
		} `json:"requiredResourceAccess"`
		Passwords []struct {
			KeyID       string  `json:"keyId"`
			Hint        string  `json:"hint"`
			EndDateTime string  `json:"endDateTime"`
			SecretText  *string `json:"secretText"`
			DisplayName string  `json:"displayName"`
		} `json:"passwordCredentials"`
	}
	tests := []struct {
		scenario    string
		wantAPIType string // type of the Management API entries
		wantExpired bool
	}{
		{ScenarioHealthy, "Role", false},
		{ScenarioDelegatedOnly, "Scope", false},
		{ScenarioExpiredSecret, "Role", true},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			s, clk := startSim(t, Config{Seed: 42, Scenario: tc.scenario})
			tn := s.Tenant()
			if tc.wantExpired {
				// The secret is expired, so a token needs the secret to be valid again for this read.
				s.Mutate(func(st *State) { st.SecretExpired = false })
			}
			tok := token(t, s, graphScope)
			if tc.wantExpired {
				s.Mutate(func(st *State) { st.SecretExpired = true })
			}
			r := do(t, s, http.MethodGet, s.GraphURL()+"/applications(appId='"+tn.ClientID+"')?%24select=id,appId,displayName,requiredResourceAccess,passwordCredentials", tok, nil, nil)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			var a app
			r.json(t, &a)
			if a.AppID != tn.ClientID || len(a.Passwords) != 1 {
				t.Fatalf("app = %+v", a)
			}
			p := a.Passwords[0]
			end, err := time.Parse(time.RFC3339, p.EndDateTime)
			if p.KeyID != tn.SecretID || p.Hint != tn.Secret[:3] || p.SecretText != nil || err != nil || end.Before(clk.Now()) != tc.wantExpired {
				t.Errorf("password credential %+v (expired want %v)", p, tc.wantExpired)
			}
			found := false
			for _, rr := range a.Required {
				if rr.ResourceAppID != ManagementAPIAppID {
					continue
				}
				found = true
				for _, ac := range rr.ResourceAccess {
					if ac.Type != tc.wantAPIType {
						t.Errorf("Management API permission %s has type %s, want %s", ac.ID, ac.Type, tc.wantAPIType)
					}
				}
				if len(rr.ResourceAccess) == 0 || rr.ResourceAccess[0].ID != PermissionID(ResourceManagementAPI, RoleActivityFeedRead, tc.wantAPIType == "Scope") {
					t.Errorf("ActivityFeed.Read not first: %+v", rr.ResourceAccess)
				}
			}
			if !found {
				t.Errorf("no Management API entry in requiredResourceAccess")
			}
		})
	}
}
