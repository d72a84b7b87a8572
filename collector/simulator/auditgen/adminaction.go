package auditgen

import (
	"encoding/json"
	"fmt"
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

// AdminAction renders the record of admin action n (a sequence number that
// keeps every action's Id distinct) at time at, on user who (nil = the
// default), and publishes it in an on-demand blob of its own created
// OnDemandLatency later. It returns the record's Id and that contentCreated.
func (g *Generator) AdminAction(action string, who *tenant.Person, n uint64, at time.Time) (string, time.Time, error) {
	r := detrand.New(detrand.Hash(g.seed, 0xad3170, n))
	idHi, idLo := r.Next(), r.Next()
	id := string(detrand.AppendGUID(nil, idHi, idLo))
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
		return "", time.Time{}, fmt.Errorf("unknown admin action %q (want %s or %s)", action, AdminActionForwardingRule, AdminActionGlobalAdmin)
	}
	// Filled before it is listed: a listed blob always holds its record.
	k := g.tl.od.reserve()
	g.addExtraAt(c, k, id, rec)
	created := at.Add(OnDemandLatency)
	g.tl.od.publish(c, k, created)
	return id, created, nil
}

// roleAssignment renders "Add member to role." as Entra logs it.
func (g *Generator) roleAssignment(r *detrand.Rng, t time.Time, idHi, idLo uint64, admin, target *tenant.Person, role, wellKnown string) []byte {
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
	return append(g.userTarget(b, target), '}')
}
