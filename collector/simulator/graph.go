package simulator

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/accesstoken"
	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// graphError writes a Microsoft Graph error object.
func (s *Sim) graphError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	reqID := detrand.GUIDFrom(detrand.Hash(uint64(s.cfg.Seed), 0x9a4, s.seq.Add(1)))
	cid := r.Header.Get("client-request-id")
	if cid == "" {
		cid = reqID
	}
	w.Header().Set("request-id", reqID)
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]string{"date": s.Now().Format("2006-01-02T15:04:05"), "request-id": reqID, "client-request-id": cid},
	}})
}

// graphAuth validates the bearer token for Graph and returns its roles.
func (s *Sim) graphAuth(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	tok, ok := accesstoken.Bearer(r.Header.Get("Authorization"))
	if !ok || tok == "" {
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return nil, false
	}
	c, err := s.signer.Verify(tok, s.Now(), audienceGraph)
	switch err {
	case nil:
		return c.Roles, true
	case accesstoken.ErrExpired:
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
	case accesstoken.ErrAudience:
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
	default:
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure.")
	}
	return nil, false
}

func hasAny(roles []string, want ...string) bool {
	for _, r := range roles {
		for _, w := range want {
			if r == w {
				return true
			}
		}
	}
	return false
}

// graphQuery returns an OData query option with or without its "$".
func graphQuery(q url.Values, name string) (string, bool) {
	if v, ok := q["$"+name]; ok && len(v) > 0 {
		return v[0], true
	}
	if v, ok := q[name]; ok && len(v) > 0 {
		return v[0], true
	}
	return "", false
}

// serveGraph handles /v1.0/{path}.
func (s *Sim) serveGraph(w http.ResponseWriter, r *http.Request, escPath string) {
	path, err := url.PathUnescape(escPath)
	if err != nil {
		path = escPath
	}
	switch {
	case path == "users":
		s.count(KindGraphUsers)
		if r.Method != http.MethodGet {
			s.graphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
			return
		}
		s.graphUsers(w, r)
	case path == "domains":
		s.count(KindGraphDomains)
		if r.Method != http.MethodGet {
			s.graphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
			return
		}
		s.graphDomains(w, r)
	case strings.HasPrefix(path, "applications(appId='") && strings.HasSuffix(path, "')"):
		s.count(KindGraphApp)
		if r.Method != http.MethodGet {
			s.graphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
			return
		}
		s.graphApplication(w, r, strings.TrimSuffix(strings.TrimPrefix(path, "applications(appId='"), "')"))
	default:
		s.count(KindUnknownRequest)
		s.graphError(w, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+strings.SplitN(path, "/", 2)[0]+"'.")
	}
}

// userFields lists the user properties the simulator can return, and which
// ones come back without $select.
func userFields() (all []string, dflt []string) {
	all = []string{"id", "displayName", "givenName", "surname", "userPrincipalName", "mail", "jobTitle", "department",
		"officeLocation", "mobilePhone", "businessPhones", "preferredLanguage", "accountEnabled", "userType", "createdDateTime"}
	dflt = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
		"preferredLanguage", "surname", "userPrincipalName", "id"}
	return all, dflt
}

func (s *Sim) userValue(p *tenant.Person, field string) any {
	switch field {
	case "id":
		return p.ID
	case "displayName":
		return p.Display
	case "givenName":
		return p.Given
	case "surname":
		return p.Surname
	case "userPrincipalName":
		return p.UPN
	case "mail":
		return p.UPN
	case "jobTitle":
		return p.JobTitle
	case "department":
		return p.Department
	case "officeLocation":
		return p.Office
	case "businessPhones":
		return []string{}
	case "preferredLanguage":
		return "en-US"
	case "accountEnabled":
		return p.Enabled
	case "userType":
		return "Member"
	case "createdDateTime":
		return s.start.Add(-400 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	}
	return nil
}

// parseSelect validates $select against known properties.
func parseSelect(sel string, known []string) ([]string, string, bool) {
	var out []string
	for _, f := range strings.Split(sel, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		found := ""
		for _, k := range known {
			if strings.EqualFold(k, f) {
				found = k
			}
		}
		if found == "" {
			return nil, f, false
		}
		out = append(out, found)
	}
	return out, "", true
}

func (s *Sim) graphUsers(w http.ResponseWriter, r *http.Request) {
	roles, ok := s.graphAuth(w, r)
	if !ok {
		return
	}
	if !hasAny(roles, RoleUserReadAll, "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All") {
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	q := r.URL.Query()
	all, fields := userFields()
	sel, hasSel := graphQuery(q, "select")
	if hasSel {
		var bad string
		if fields, bad, ok = parseSelect(sel, all); !ok {
			s.graphError(w, r, http.StatusBadRequest, "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named '"+bad+"' on type 'microsoft.graph.user'.")
			return
		}
	}
	top := 100
	if v, ok := graphQuery(q, "top"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			s.graphError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery", "Invalid page size specified: '"+v+"'. Must be between 1 and 999 inclusive.")
			return
		}
		top = n
	}
	if _, ok := graphQuery(q, "skip"); ok {
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "'$skip' is not supported by the service.")
		return
	}
	offset := 0
	if v, ok := graphQuery(q, "skiptoken"); ok {
		n, valid := s.parseSkipToken(v)
		if !valid {
			s.graphError(w, r, http.StatusBadRequest, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.")
			return
		}
		offset = n
	}
	users := s.w.Users
	end := min(offset+top, len(users))
	value := make([]map[string]any, 0, max(end-offset, 0))
	for i := offset; i < end; i++ {
		m := make(map[string]any, len(fields))
		for _, f := range fields {
			m[f] = s.userValue(&users[i], f)
		}
		value = append(value, m)
	}
	ctx := s.url + "/v1.0/$metadata#users"
	if hasSel {
		ctx += "(" + strings.Join(fields, ",") + ")"
	}
	resp := map[string]any{"@odata.context": ctx, "value": value}
	if end < len(users) {
		nq := url.Values{}
		if hasSel {
			nq.Set("$select", sel)
		}
		nq.Set("$top", strconv.Itoa(top))
		nq.Set("$skiptoken", s.skipToken(end))
		resp["@odata.nextLink"] = s.url + "/v1.0/users?" + nq.Encode()
	}
	writeJSON(w, http.StatusOK, resp)
}

// skipToken encodes a user offset as an opaque page token bound to this tenant.
func (s *Sim) skipToken(offset int) string {
	raw := "RFNwdAIAAQAAAB" + strconv.Itoa(offset) + ":" + strconv.FormatUint(detrand.Hash(uint64(s.cfg.Seed), uint64(offset))%100000, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func (s *Sim) parseSkipToken(tok string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	body, ok := strings.CutPrefix(string(raw), "RFNwdAIAAQAAAB")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.SplitN(body, ":", 2)[0])
	if err != nil || n < 0 || n > len(s.w.Users) || s.skipToken(n) != tok {
		return 0, false
	}
	return n, true
}

func (s *Sim) graphApplication(w http.ResponseWriter, r *http.Request, appID string) {
	roles, ok := s.graphAuth(w, r)
	if !ok {
		return
	}
	if !hasAny(roles, RoleApplicationReadAll, "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All") {
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	t := s.Tenant()
	if !strings.EqualFold(appID, t.ClientID) {
		s.graphError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+appID+"' does not exist or one of its queried reference-property objects are not present.")
		return
	}
	st := s.Snapshot()
	full := map[string]any{
		"id":                     t.AppObjectID,
		"appId":                  t.ClientID,
		"displayName":            t.AppName,
		"createdDateTime":        t.SecretStart.Add(-time.Hour).UTC().Format("2006-01-02T15:04:05Z"),
		"signInAudience":         "AzureADMyOrg",
		"publisherDomain":        t.Domain,
		"requiredResourceAccess": requiredResourceAccess(&st),
		"keyCredentials":         []any{},
		"passwordCredentials": []map[string]any{{
			"customKeyIdentifier": nil,
			"displayName":         t.SecretName,
			"endDateTime":         t.SecretExpiry.UTC().Format("2006-01-02T15:04:05Z"),
			"hint":                t.Secret[:3],
			"keyId":               t.SecretID,
			"secretText":          nil,
			"startDateTime":       t.SecretStart.UTC().Format("2006-01-02T15:04:05Z"),
		}},
	}
	resp := map[string]any{"@odata.context": s.url + "/v1.0/$metadata#applications/$entity"}
	if sel, ok := graphQuery(r.URL.Query(), "select"); ok {
		known := make([]string, 0, len(full))
		for k := range full {
			known = append(known, k)
		}
		fields, bad, ok := parseSelect(sel, known)
		if !ok {
			s.graphError(w, r, http.StatusBadRequest, "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named '"+bad+"' on type 'microsoft.graph.application'.")
			return
		}
		resp["@odata.context"] = s.url + "/v1.0/$metadata#applications(" + strings.Join(fields, ",") + ")/$entity"
		for _, f := range fields {
			resp[f] = full[f]
		}
	} else {
		for k, v := range full {
			resp[k] = v
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// requiredResourceAccess renders the app registration's configured permissions.
func requiredResourceAccess(st *State) []map[string]any {
	var out []map[string]any
	for _, res := range []string{ResourceManagementAPI, ResourceGraph} {
		var access []map[string]string
		for _, role := range st.AppRoles[res] {
			access = append(access, map[string]string{"id": PermissionID(res, role, false), "type": "Role"})
		}
		for _, scope := range st.DelegatedScopes[res] {
			access = append(access, map[string]string{"id": PermissionID(res, scope, true), "type": "Scope"})
		}
		if len(access) > 0 {
			out = append(out, map[string]any{"resourceAppId": resourceAppID(res), "resourceAccess": access})
		}
	}
	if out == nil {
		out = []map[string]any{}
	}
	return out
}
