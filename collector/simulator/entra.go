package simulator

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/accesstoken"
	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// Audiences of the two resources the simulator issues tokens for.
const (
	audienceManagement = ResourceManagementAPI
	audienceGraph      = ResourceGraph
)

// scopeAudience maps each accepted "<resource>/.default" scope's resource to
// the audience its tokens carry.
func scopeAudience(resource string) (string, bool) {
	switch strings.ToLower(resource) {
	case "https://manage.office.com", "https://manage-gcc.office.com", "https://manage.office365.us", "https://manage.protection.apps.mil":
		return audienceManagement, true
	case "https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us":
		return audienceGraph, true
	}
	return "", false
}

// tenantMatch is the outcome of resolving the tenant segment of a login URL.
type tenantMatch int

const (
	tenantOurs      tenantMatch = iota
	tenantUnknown               // AADSTS90002
	tenantMalformed             // AADSTS900023
	tenantCommon                // common / organizations / consumers
)

func (s *Sim) resolveTenant(seg string) tenantMatch {
	t := strings.ToLower(seg)
	switch {
	case t == s.w.Tenant.ID || t == s.w.Tenant.Domain:
		return tenantOurs
	case t == "common" || t == "organizations" || t == "consumers":
		return tenantCommon
	case isGUID(t) || isDNSName(t):
		return tenantUnknown
	}
	return tenantMalformed
}

// isGUID reports whether s is a GUID in 8-4-4-4-12 form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// isDNSName reports whether s looks like a multi-label DNS domain.
func isDNSName(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 || len(s) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// serveOpenID answers the tenant discovery document MSAL reads before any token request.
func (s *Sim) serveOpenID(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	// For a real tenant the document names it by GUID whichever alias was
	// asked for; the multi-tenant aliases keep their segment and a
	// {tenantid} placeholder in the issuer, as Entra does.
	tid, base := s.w.Tenant.ID, s.url+"/"+s.w.Tenant.ID
	switch s.resolveTenant(tenant) {
	case tenantUnknown:
		s.aadError(w, r, http.StatusBadRequest, "invalid_tenant", 90002, tenantNotFound(tenant))
		return
	case tenantMalformed:
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 900023, tenantMalformedText(tenant))
		return
	case tenantCommon:
		tid, base = "{tenantid}", s.url+"/"+strings.ToLower(tenant)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              s.url + "/" + tid + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{accesstoken.Alg},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                s.url + "/" + tid + "/v2.0",
		"request_uri_parameter_supported":       false,
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
	})
}

// serveToken implements the client-credentials grant of the v2 token endpoint.
func (s *Sim) serveToken(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodPost {
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 900561, "AADSTS900561: The endpoint only accepts POST requests. Received a "+r.Method+" request.")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
		return
	}
	form := r.PostForm
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		clientID, secret = basicDecode(u), basicDecode(p)
	}
	switch s.resolveTenant(tenant) {
	case tenantUnknown:
		s.aadError(w, r, http.StatusBadRequest, "invalid_tenant", 90002, tenantNotFound(tenant))
		return
	case tenantMalformed:
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 900023, tenantMalformedText(tenant))
		return
	case tenantCommon:
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 9001023, "AADSTS9001023: The grant type 'client_credentials' is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.")
		return
	}
	gt := form.Get("grant_type")
	switch {
	case gt == "":
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
		return
	case gt != "client_credentials":
		s.aadError(w, r, http.StatusBadRequest, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type '"+gt+"'.")
		return
	case clientID == "":
		s.aadError(w, r, http.StatusBadRequest, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'client_id'.")
		return
	case !strings.EqualFold(clientID, s.w.Tenant.ClientID):
		s.aadError(w, r, http.StatusBadRequest, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"+clientID+"' was not found in the directory '"+s.w.Tenant.DisplayName+"'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")
		return
	}
	aud, code, desc := parseScopes(form.Get("scope"))
	if code != 0 {
		s.aadError(w, r, http.StatusBadRequest, "invalid_scope", code, desc)
		return
	}
	s.mu.Lock()
	now := s.nowLocked()
	expired := s.state.SecretExpired
	roles := s.state.tokenRoles(aud)
	life := s.state.Faults.EffectiveTokenLifetime()
	s.mu.Unlock()
	switch {
	case secret == "" && form.Get("client_assertion") == "":
		s.aadError(w, r, http.StatusUnauthorized, "invalid_client", 7000218, "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	case secret != s.w.Tenant.Secret:
		s.aadError(w, r, http.StatusUnauthorized, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+s.w.Tenant.ClientID+"'.")
		return
	case expired:
		s.aadError(w, r, http.StatusUnauthorized, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app '"+s.w.Tenant.ClientID+"' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.")
		return
	}
	tok, err := s.issue(aud, roles, now, life)
	if err != nil {
		s.log.Error("issuing token", "err", err)
		s.aadError(w, r, http.StatusInternalServerError, "temporarily_unavailable", 50000, "AADSTS50000: There was an error issuing a token or an issue with our sign-in service.")
		return
	}
	secs := int(life / time.Second)
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok,
	})
}

// parseScopes validates the scope parameter: exactly one resource's
// "/.default" scope, MSAL's OIDC scopes ignored. It returns the audience, or
// an AADSTS code and description.
func parseScopes(scope string) (string, int, string) {
	var resources []string
	for _, sc := range strings.Fields(scope) {
		switch strings.ToLower(sc) {
		case "openid", "offline_access", "profile", "email":
			continue
		}
		res, ok := strings.CutSuffix(sc, "/.default")
		if _, known := scopeAudience(res); !ok || !known {
			return "", 70011, "AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope " + scope + " is not valid."
		}
		dup := false
		for _, r := range resources {
			dup = dup || strings.EqualFold(r, res)
		}
		if !dup {
			resources = append(resources, res)
		}
	}
	switch len(resources) {
	case 0:
		return "", 70011, "AADSTS70011: The provided request must include a 'scope' input parameter."
	case 1:
		aud, _ := scopeAudience(resources[0])
		return aud, 0, ""
	}
	return "", 700022, "AADSTS700022: The provided value for the input parameter scope is not valid because it contains more than one resource. Scope " + scope + " is not valid."
}

func (s *Sim) issue(aud string, roles []string, now time.Time, life time.Duration) (string, error) {
	t := s.w.Tenant
	sp := detrand.GUIDFrom(detrand.Hash(uint64(s.cfg.Seed), 0x5e7a1c, detrand.StringHash(t.ClientID)))
	c := accesstoken.Claims{
		Aud: aud, Iss: "https://sts.windows.net/" + t.ID + "/",
		Iat: now.Add(-5 * time.Minute).Unix(), Nbf: now.Add(-5 * time.Minute).Unix(), Exp: now.Add(life).Unix(),
		AppID: t.ClientID, Azp: t.ClientID, AppIDR: "1", Idtyp: "app", Oid: sp, Sub: sp,
		Roles: roles, Tid: t.ID, Uti: detrand.GUIDFrom(detrand.Hash(uint64(s.cfg.Seed), s.seq.Add(1))), Ver: "1.0",
	}
	return s.signer.Sign(c)
}

func tenantNotFound(t string) string {
	return "AADSTS90002: Tenant '" + t + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
}

func tenantMalformedText(t string) string {
	return "AADSTS900023: Specified tenant identifier '" + t + "' is neither a valid DNS name, nor a valid external domain."
}

// basicDecode undoes the form-encoding RFC 6749 requires inside HTTP Basic credentials.
func basicDecode(v string) string {
	if d, err := url.QueryUnescape(v); err == nil {
		return d
	}
	return v
}
