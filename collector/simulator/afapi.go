package simulator

import (
	"net/http"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/accesstoken"
)

// afError writes a Management Activity API error object.
func afError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// statusRecorder remembers the status a handler wrote, for Stats.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// apiCall is one authenticated Management API request.
type apiCall struct {
	tenant    string   // tenant GUID from the URL
	roles     []string // roles in the token
	publisher string   // PublisherIdentifier value ("" when absent)
	now       time.Time
	st        State // snapshot taken after authentication
}

func (c *apiCall) hasRole(role string) bool {
	for _, r := range c.roles {
		if r == role {
			return true
		}
	}
	return false
}

// permissionError is the AF10001 answer (HTTP 401) listing the roles found.
func permissionError(w http.ResponseWriter, roles []string, want string) {
	afError(w, http.StatusUnauthorized, "AF10001", "The permission set ("+strings.Join(roles, ",")+") sent in the request did not include the expected permission "+want+".")
}

// queryParam returns a query parameter matched case-insensitively by name.
func queryParam(r *http.Request, name string) (string, bool) {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

// serveActivity handles {root}/api/v1.0/{tenant}/activity/feed/... .
func (s *Sim) serveActivity(w http.ResponseWriter, r *http.Request, tenant string, rest []string) {
	kind, method := activityKind(rest)
	pub, hasPub := queryParam(r, "PublisherIdentifier")
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		s.stats.add(func(st *Stats) {
			st.Requests[kind]++
			st.ManagementRequests++
			if !hasPub {
				st.MissingPublisherIdentifier++
			}
			st.Status[rec.status]++
		})
	}()
	if kind == KindUnknownRequest {
		afError(rec, http.StatusNotFound, "AF20001", "No HTTP resource was found that matches the request URI.")
		return
	}
	if r.Method != method {
		rec.Header().Set("Allow", method)
		afError(rec, http.StatusMethodNotAllowed, "AF20001", "The requested resource does not support http method '"+r.Method+"'.")
		return
	}
	call, ok := s.authorizeAPI(rec, r, tenant)
	if !ok {
		return
	}
	call.publisher = pub
	if !s.admit(rec, r, call) {
		return
	}
	switch kind {
	case KindSubscriptions:
		s.listSubscriptions(rec, call)
	case KindStart:
		s.startSubscription(rec, r, call)
	case KindStop:
		s.stopSubscription(rec, r, call)
	case KindContent:
		s.listContent(rec, r, call)
	case KindBlob:
		s.serveBlob(rec, r, call, rest[2])
	}
}

func activityKind(rest []string) (string, string) {
	if len(rest) == 3 && rest[0] == "feed" && rest[1] == "subscriptions" {
		switch rest[2] {
		case "list":
			return KindSubscriptions, http.MethodGet
		case "start":
			return KindStart, http.MethodPost
		case "stop":
			return KindStop, http.MethodPost
		case "content":
			return KindContent, http.MethodGet
		}
	}
	if len(rest) == 3 && rest[0] == "feed" && rest[1] == "audit" && rest[2] != "" {
		return KindBlob, http.MethodGet
	}
	return KindUnknownRequest, ""
}

// authorizeAPI applies the tenant and token rules of every Management API call.
func (s *Sim) authorizeAPI(w http.ResponseWriter, r *http.Request, tenant string) (*apiCall, bool) {
	if !isGUID(tenant) {
		afError(w, http.StatusBadRequest, "AF20013", "The tenant ID passed in the URL ("+tenant+") is not a valid GUID.")
		return nil, false
	}
	now := s.Now()
	tok, ok := accesstoken.Bearer(r.Header.Get("Authorization"))
	var claims accesstoken.Claims
	var err error
	if ok {
		claims, err = s.signer.Verify(tok, now, audienceManagement)
	}
	if !ok || err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.TrimPrefix(s.url, "https://")+`", error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"Message": "Authorization has been denied for this request."})
		return nil, false
	}
	if !strings.EqualFold(claims.Tid, tenant) {
		afError(w, http.StatusBadRequest, "AF20010", "The tenant ID passed in the URL ("+tenant+") does not match the tenant ID passed in the access token ("+claims.Tid+").")
		return nil, false
	}
	call := &apiCall{tenant: claims.Tid, roles: claims.Roles, now: now}
	if !call.hasRole(RoleActivityFeedRead) {
		permissionError(w, claims.Roles, RoleActivityFeedRead)
		return nil, false
	}
	s.mu.Lock()
	call.st = s.state.clone()
	s.mu.Unlock()
	return call, true
}
