package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// Admin actions the simulator performs on request (see auditgen).
const (
	AdminActionForwardingRule = auditgen.AdminActionForwardingRule
	AdminActionGlobalAdmin    = auditgen.AdminActionGlobalAdmin
)

// KindAdminAction counts POST /_sim/admin-action requests.
const KindAdminAction = "admin-action"

// maxAdminDelay caps the requested delay.
const maxAdminDelay = time.Hour

// AdminAction performs a test action: its audit record is created delay
// after the simulator's now and published in a blob of its own, made
// available (contentCreated) auditgen.OnDemandLatency (2 s) after the record, outside
// the fixed Config.BlobInterval timeline: it is listed by any window whose
// [start, end) holds that contentCreated, fetched like any blob and kept for
// 7 days. It returns the record's Id.
func (s *Sim) AdminAction(action string, delay time.Duration) (string, error) {
	return s.AdminActionFor(action, "", delay)
}

// AdminActionFor is AdminAction on a chosen user (UPN or alias; "" = the
// default): the mailbox that gets the forwarding rule, or the user made
// Global Administrator.
func (s *Sim) AdminActionFor(action, user string, delay time.Duration) (string, error) {
	var who *tenant.Person
	if user != "" {
		for i := range s.w.Users {
			if u := &s.w.Users[i]; strings.EqualFold(u.UPN, user) || strings.EqualFold(u.Alias, user) {
				who = u
			}
		}
		if who == nil {
			return "", fmt.Errorf("unknown user %q", user)
		}
	}
	if delay < 0 || delay > maxAdminDelay {
		return "", fmt.Errorf("delay %v out of range (0 to %v)", delay, maxAdminDelay)
	}
	n := s.adminSeq.Add(1)
	at := s.Now().Add(delay).Truncate(time.Second)
	id, created, err := s.gen.AdminAction(action, who, n, at)
	if err != nil {
		return "", err
	}
	s.log.Info("admin action scheduled", "action", action, "record", id, "at", at, "available", created)
	return id, nil
}

// serveAdminAction handles POST /_sim/admin-action
// {"action":"forwarding-rule"|"global-admin","user":"optional UPN","delaySeconds":30}
// ("delay" is accepted for delaySeconds).
func (s *Sim) serveAdminAction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use POST"})
		return
	}
	var req struct {
		Action       string  `json:"action"`
		User         string  `json:"user"`
		DelaySeconds float64 `json:"delaySeconds"`
		Delay        float64 `json:"delay"` // seconds; an alias of delaySeconds
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be JSON: {\"action\":\"forwarding-rule\",\"delaySeconds\":30}"})
		return
	}
	if req.DelaySeconds == 0 {
		req.DelaySeconds = req.Delay
	}
	id, err := s.AdminActionFor(req.Action, req.User, time.Duration(req.DelaySeconds*float64(time.Second)))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"action": req.Action, "recordId": id})
}
