package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// Admin actions the simulator performs on request, for the "Test my
// detections" walkthrough in demo mode (the admin's part of the test).
const (
	// AdminActionForwardingRule creates an inbox rule that forwards to an
	// external address, as Outlook on the web logs it (New-InboxRule).
	AdminActionForwardingRule = "forwarding-rule"
	// AdminActionGlobalAdmin assigns Global Administrator to a test user
	// (Entra "Add member to role.").
	AdminActionGlobalAdmin = "global-admin"
)

// KindAdminAction counts POST /_sim/admin-action requests.
const KindAdminAction = "admin-action"

// maxAdminDelay caps the requested delay.
const maxAdminDelay = time.Hour

// AdminAction performs a test action: its audit record is created delay
// after the simulator's now and published in a blob of its own, made
// available (contentCreated) onDemandLatency (2 s) after the record, outside
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
		for i := range s.gen.w.Users {
			if u := &s.gen.w.Users[i]; strings.EqualFold(u.UPN, user) || strings.EqualFold(u.Alias, user) {
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
	r := detrand.New(detrand.Hash(s.gen.seed, 0xad3170, n))
	at := s.Now().Add(delay).Truncate(time.Second)
	idHi, idLo := r.Next(), r.Next()
	id := string(detrand.AppendGUID(nil, idHi, idLo))
	g := s.gen
	admin := &g.w.Users[0]
	var c int
	var rec []byte
	switch action {
	case AdminActionForwardingRule:
		c = 1
		if who != nil {
			admin = who
		}
		params := [][2]string{{"Name", "AuditLight test"}, {"ForwardTo", admin.Alias + ".test@outlook-demo.example"},
			{"StopProcessingRules", "False"}}
		rec = g.adminCmdlet(nil, &r, at, idHi, idLo, admin, admin, "New-InboxRule", admin.Alias+"\\\\AuditLight test",
			admin.OfficeIP+":50522", params)
	case AdminActionGlobalAdmin:
		c = 0
		target := &g.w.Users[len(g.w.Users)-1]
		if who != nil {
			target = who
		}
		rec = g.roleAssignment(&r, at, idHi, idLo, admin, target, "Global Administrator", "CompanyAdministrator")
	default:
		return "", fmt.Errorf("unknown admin action %q (want %s or %s)", action, AdminActionForwardingRule, AdminActionGlobalAdmin)
	}
	// Filled before it is listed: a listed blob always holds its record.
	k := g.tl.od.reserve()
	g.addExtraAt(c, k, id, rec)
	created := at.Add(onDemandLatency)
	g.tl.od.publish(c, k, created)
	s.log.Info("admin action scheduled", "action", action, "record", id, "at", at, "available", created)
	return id, nil
}

// roleAssignment renders "Add member to role." as Entra logs it.
func (g *generator) roleAssignment(r *detrand.Rng, t time.Time, idHi, idLo uint64, admin, target *tenant.Person, role, wellKnown string) []byte {
	b := g.appendHeader(nil, header{t: t, idHi: idHi, idLo: idLo, op: "Add member to role.", recordType: 8, resultStatus: "Success",
		userKey: admin.PUID + "@" + g.w.Tenant.Domain, userType: 0, workload: "AzureActiveDirectory",
		objectID: target.UPN, userID: admin.UPN})
	b = kn(b, "AzureActiveDirectoryEventType", 1)
	mods, _ := json.Marshal([]map[string]string{
		{"Name": "Role.ObjectID", "NewValue": "62e90394-69f5-4237-9190-012177145e10", "OldValue": ""},
		{"Name": "Role.DisplayName", "NewValue": role, "OldValue": ""},
		{"Name": "Role.TemplateId", "NewValue": "62e90394-69f5-4237-9190-012177145e10", "OldValue": ""},
		{"Name": "Role.WellKnownObjectName", "NewValue": wellKnown, "OldValue": ""},
	})
	b = append(b, `,"ModifiedProperties":`...)
	b = append(b, mods...)
	b = append(b, `,"Actor":[{"ID":"`...)
	b = append(b, admin.UPN...)
	b = append(b, `","Type":5}]`...)
	b = kv(b, "ActorContextId", g.tenantID)
	b = kguid(b, "InterSystemsId", r)
	b = append(b, `,"Target":[{"ID":"User_`...)
	b = append(b, target.ID...)
	b = append(b, `","Type":2},{"ID":"`...)
	b = append(b, target.UPN...)
	b = append(b, `","Type":5}]`...)
	b = kv(b, "TargetContextId", g.tenantID)
	return append(b, '}')
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
