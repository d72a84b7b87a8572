package simulator

import (
	"net/http"
	"strconv"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// aadError writes an Entra ID error in the real JSON shape.
func (s *Sim) aadError(w http.ResponseWriter, r *http.Request, status int, class string, code int, desc string) {
	now := s.Now()
	ts := now.Format("2006-01-02 15:04:05Z")
	trace := detrand.GUIDFrom(detrand.Hash(uint64(s.cfg.Seed), 0x7ace, s.seq.Add(1)))
	corr := r.Header.Get("client-request-id")
	if !isGUID(corr) {
		corr = detrand.GUIDFrom(detrand.Hash(uint64(s.cfg.Seed), 0xc022, s.seq.Add(1)))
	}
	s.log.Debug("entra error", "code", code, "status", status, "path", r.URL.Path)
	writeJSON(w, status, map[string]any{
		"error":             class,
		"error_description": desc + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + corr + "\r\nTimestamp: " + ts,
		"error_codes":       []int{code},
		"timestamp":         ts,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         s.url + "/error?code=" + strconv.Itoa(code),
	})
}
