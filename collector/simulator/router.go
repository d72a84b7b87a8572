package simulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP dispatches every service on the one listener.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.Now().Format(http.TimeFormat))
	path := r.URL.EscapedPath()
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch {
	case len(seg) >= 2 && seg[0] == "_sim" && seg[1] == "ground-truth":
		s.count(KindGroundTruth)
		s.serveGroundTruth(w, r)
	case len(seg) == 2 && seg[0] == "_sim" && seg[1] == "expected-findings":
		s.count(KindExpectedFindings)
		s.serveExpectedFindings(w, r)
	case len(seg) == 2 && seg[0] == "_sim" && seg[1] == "admin-action":
		s.count(KindAdminAction)
		s.serveAdminAction(w, r)
	case len(seg) >= 4 && seg[0] == "api" && (seg[1] == "v1.0" || seg[1] == "v1") && seg[3] == "activity":
		s.serveActivity(w, r, seg[2], seg[4:])
	case len(seg) >= 2 && seg[0] == "v1.0":
		s.serveGraph(w, r, strings.Join(seg[1:], "/"))
	case len(seg) == 4 && seg[1] == "v2.0" && seg[2] == ".well-known" && seg[3] == "openid-configuration":
		s.count(KindOpenID)
		s.serveOpenID(w, r, seg[0])
	case len(seg) == 4 && seg[1] == "oauth2" && seg[2] == "v2.0" && seg[3] == "token":
		s.count(KindToken)
		s.serveToken(w, r, seg[0])
	default:
		s.count(KindUnknownRequest)
		http.NotFound(w, r)
	}
}

func (s *Sim) count(kind string) {
	s.stats.add(func(st *Stats) { st.Requests[kind]++ })
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding response", http.StatusInternalServerError)
		return
	}
	writeBody(w, status, body)
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// retryAfterSeconds renders a Retry-After header value (whole seconds, >= 1).
func retryAfterSeconds(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return strconv.Itoa(secs)
}
