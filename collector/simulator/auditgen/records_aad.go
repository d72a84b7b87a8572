package auditgen

import (
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// clientApp is a first-party client application signing users in.
type clientApp struct{ id, resource string }

func clientApps() []clientApp {
	return []clientApp{
		{"4765445b-32c6-49b0-83e6-1d93765276ca", "00000003-0000-0000-c000-000000000000"}, // OfficeHome -> Graph
		{"1fec8e78-bce4-4aaf-ab1b-5451cc387264", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"}, // Teams
		{"27922004-5251-4030-b22d-91ecd9a37ea4", "00000002-0000-0ff1-ce00-000000000000"}, // Outlook mobile -> Exchange
		{"d3590ed6-52b3-4102-aeff-aad2292ab01c", "00000003-0000-0ff1-ce00-000000000000"}, // Microsoft Office -> SharePoint
		{"ab9b8c07-8f02-4f72-87fa-80105867a763", "00000003-0000-0ff1-ce00-000000000000"}, // OneDrive sync
	}
}

// logonFailure is one AADSTS failure seen in sign-in records.
type logonFailure struct{ number, name string }

func logonFailures() []logonFailure {
	return []logonFailure{
		{"50126", "InvalidUserNameOrPassword"},
		{"50126", "InvalidUserNameOrPassword"},
		{"50074", "UserStrongAuthClientAuthNRequired"},
		{"50140", "KmsiInterrupt"},
		{"50055", "InvalidPasswordExpiredPassword"},
		{"53003", "BlockedByConditionalAccess"},
		{"50053", "IdsLocked"},
	}
}

// signIn holds the variable parts of an STS logon record.
type signIn struct {
	t          time.Time
	idHi, idLo uint64
	u          *tenant.Person
	ip         string
	app        clientApp
	agent      string
	fail       *logonFailure
}

func (g *Generator) aadRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	if r.Chance(0.03) {
		return g.directoryRecord(b, r, t, idHi, idLo)
	}
	s := signIn{t: t, idHi: idHi, idLo: idLo, u: u, ip: g.ClientIP(r, u), app: detrand.Pick(r, clientApps()), agent: detrand.Pick(r, userAgents())}
	if r.Chance(0.12) {
		f := detrand.Pick(r, logonFailures())
		s.fail = &f
	}
	return g.appendSignIn(b, r, s)
}

func (g *Generator) appendSignIn(b []byte, r *detrand.Rng, s signIn) []byte {
	op, detail := "UserLoggedIn", "Success"
	if s.fail != nil {
		op = "UserLoginFailed"
		if s.fail.number == "50074" {
			detail = "Redirect"
		}
	}
	b = g.appendHeader(b, header{t: s.t, idHi: s.idHi, idLo: s.idLo, op: op, recordType: 15, resultStatus: "Success",
		userKey: s.u.ID, userType: 0, workload: "AzureActiveDirectory", clientIP: s.ip, objectID: s.app.resource, userID: s.u.UPN})
	b = kn(b, "AzureActiveDirectoryEventType", 1)
	b = append(b, `,"ExtendedProperties":[`...)
	b = nvp(b, true, "ResultStatusDetail", detail)
	b = nvp(b, false, "UserAgent", s.agent)
	b = nvp(b, false, "RequestType", detrand.Pick(r, []string{"OAuth2:Authorize", "OAuth2:Token", "Login:login", "Login:reprocess"}))
	b = append(b, `],"ModifiedProperties":[],"Actor":[{"ID":"`...)
	b = append(b, s.u.ID...)
	b = append(b, `","Type":0},{"ID":"`...)
	b = append(b, s.u.UPN...)
	b = append(b, `","Type":5}]`...)
	b = kv(b, "ActorContextId", g.tenantID)
	b = kv(b, "ActorIpAddress", s.ip)
	b = kguid(b, "InterSystemsId", r)
	b = kguid(b, "IntraSystemId", r)
	b = kv(b, "SupportTicketId", "")
	b = append(b, `,"Target":[{"ID":"`...)
	b = append(b, s.app.resource...)
	b = append(b, `","Type":0}]`...)
	b = kv(b, "TargetContextId", g.tenantID)
	b = kv(b, "ApplicationId", s.app.id)
	b = append(b, `,"DeviceProperties":[`...)
	b = nvp(b, true, "OS", detrand.Pick(r, []string{"Windows10", "MacOs", "Ios", "Android"}))
	b = nvp(b, false, "BrowserType", detrand.Pick(r, []string{"Chrome", "Edge", "Safari", "Rich Client"}))
	managed := "False"
	if s.ip == s.u.OfficeIP {
		managed = "True"
	}
	b = nvp(b, false, "IsCompliant", managed)
	b = nvp(b, false, "IsCompliantAndManaged", managed)
	b = append(b, ']')
	if s.fail != nil {
		b = kv(b, "ErrorNumber", s.fail.number)
		b = kv(b, "LogonError", s.fail.name)
	} else {
		b = kv(b, "ErrorNumber", "0")
	}
	return append(b, '}')
}

// directoryRecord renders an Entra directory audit event (RecordType 8).
func (g *Generator) directoryRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	admin := &g.w.Users[0]
	target := g.user(r)
	op := detrand.Pick(r, []string{"Update user.", "Add member to group.", "Reset user password.", "Update group."})
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: op, recordType: 8, resultStatus: "Success",
		userKey: admin.PUID + "@" + g.w.Tenant.Domain, userType: 0, workload: "AzureActiveDirectory",
		objectID: target.UPN, userID: admin.UPN})
	b = kn(b, "AzureActiveDirectoryEventType", 1)
	b = append(b, `,"ExtendedProperties":[`...)
	b = nvp(b, true, "additionalDetails", "{}")
	b = nvp(b, false, "extendedAuditEventCategory", "User")
	b = append(b, `],"ModifiedProperties":[{"Name":"Included Updated Properties","NewValue":"JobTitle","OldValue":""}],"Actor":[{"ID":"`...)
	b = append(b, admin.UPN...)
	b = append(b, `","Type":5},{"ID":"`...)
	b = append(b, admin.ID...)
	b = append(b, `","Type":2}]`...)
	b = kv(b, "ActorContextId", g.tenantID)
	b = kguid(b, "InterSystemsId", r)
	b = kguid(b, "IntraSystemId", r)
	b = kv(b, "SupportTicketId", "")
	return append(g.userTarget(b, target), '}')
}

// userTarget appends an Entra record's Target (the user by object id and by
// UPN) and TargetContextId (the tenant).
func (g *Generator) userTarget(b []byte, target *tenant.Person) []byte {
	b = append(b, `,"Target":[{"ID":"User_`...)
	b = append(b, target.ID...)
	b = append(b, `","Type":2},{"ID":"`...)
	b = append(b, target.UPN...)
	b = append(b, `","Type":5}]`...)
	return kv(b, "TargetContextId", g.tenantID)
}
