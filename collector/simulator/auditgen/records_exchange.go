package auditgen

import (
	"strconv"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

func subjects() []string {
	return []string{"Quarterly numbers", "Re: Invoice 4471", "Meeting notes", "Contract draft v3", "Lunch on Friday?",
		"Fwd: Shipping update", "Budget review", "Re: Customer escalation", "Holiday schedule", "Weekly report"}
}

func (g *Generator) exchangeRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	switch x := r.Intn(1000); {
	case x < 420:
		return g.mailItemsAccessed(b, r, t, idHi, idLo, u)
	case x < 680:
		return g.mailboxItemOp(b, r, t, idHi, idLo, u, "Send", "\\\\Sent Items")
	case x < 850:
		return g.mailboxItemOp(b, r, t, idHi, idLo, u, "MoveToDeletedItems", "\\\\Inbox")
	case x < 910:
		return g.mailboxItemOp(b, r, t, idHi, idLo, u, "SoftDelete", "\\\\Deleted Items")
	case x < 940:
		rule := detrand.Pick(r, []string{"Newsletters", "Move invoices", "Project X", "Receipts"})
		params := [][2]string{{"Name", rule}, {"MoveToFolder", rule}, {"StopProcessingRules", "True"}}
		if r.Chance(0.04) { // a near miss: forwarding to a colleague stays inside the tenant
			params = [][2]string{{"Name", "fwd"}, {"ForwardTo", g.user(r).UPN}, {"StopProcessingRules", "False"}}
		}
		return g.adminCmdlet(b, r, t, idHi, idLo, u, u, "New-InboxRule", u.Alias+"\\\\"+params[0][1], withPort(r, g.ClientIP(r, u)), params)
	case x < 960:
		target := g.user(r)
		params := [][2]string{{"Identity", target.UPN}, {"HiddenFromAddressListsEnabled", "False"}}
		if r.Chance(0.05) {
			// A near miss: a leaver's mail forwarded to their manager, inside the tenant.
			params = [][2]string{{"Identity", target.UPN}, {"ForwardingSmtpAddress", "smtp:" + g.w.Users[0].UPN}, {"DeliverToMailboxAndForward", "True"}}
		}
		return g.adminCmdlet(b, r, t, idHi, idLo, &g.w.Users[0], target, "Set-Mailbox", target.Alias, withPort(r, g.w.Users[0].OfficeIP), params)
	case x < 975:
		target := g.user(r)
		delegate := g.user(r)
		if !r.Chance(0.06) {
			// Most permission records are Microsoft's own: the mailbox's
			// NT AUTHORITY\SELF grant logged by the system (a near miss).
			params := [][2]string{{"Identity", target.UPN}, {"User", "NT AUTHORITY\\\\SELF"}, {"AccessRights", "FullAccess, ReadPermission"}, {"InheritanceType", "All"}}
			sys := &tenant.Person{UPN: systemUser, PUID: systemUser}
			return g.adminCmdlet(b, r, t, idHi, idLo, sys, target, "Add-MailboxPermission", target.Alias, "", params)
		}
		params := [][2]string{{"Identity", target.UPN}, {"User", delegate.UPN}, {"AccessRights", "FullAccess"}, {"InheritanceType", "All"}}
		return g.adminCmdlet(b, r, t, idHi, idLo, &g.w.Users[0], target, "Add-MailboxPermission", target.Alias, withPort(r, g.w.Users[0].OfficeIP), params)
	default:
		return g.systemCmdlet(b, r, t, idHi, idLo, u)
	}
}

// systemUser is how Exchange names the datacenter's own actions (JSON-escaped).
const systemUser = "NT AUTHORITY\\\\SYSTEM (Microsoft.Exchange.ServiceHost)"

func (g *Generator) exchangeCommon(b []byte, r *detrand.Rng, u *tenant.Person, ip string) []byte {
	b = kv(b, "AppId", "00000002-0000-0ff1-ce00-000000000000")
	b = kv(b, "ClientAppId", "")
	b = kv(b, "ClientIPAddress", ip)
	b = kv(b, "ClientInfoString", detrand.Pick(r, []string{"Client=OWA;Action=ViaProxy", "Client=MSExchangeRPC", "Client=REST;Client=RESTSystem;;", "Client=OutlookService;Outlook-iOS/2.0;"}))
	b = kb(b, "ExternalAccess", false)
	b = kn(b, "InternalLogonType", 0)
	b = kn(b, "LogonType", 0)
	b = kv(b, "LogonUserSid", "S-1-5-21-"+u.PUID[4:12])
	b = kguid(b, "MailboxGuid", r)
	b = kv(b, "MailboxOwnerSid", "S-1-5-21-"+u.PUID[4:12])
	b = kv(b, "MailboxOwnerUPN", u.UPN)
	b = kv(b, "OrganizationName", g.w.Tenant.Domain)
	return kv(b, "OriginatingServer", exchangeServer(r))
}

func (g *Generator) mailItemsAccessed(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64, u *tenant.Person) []byte {
	ip := g.ClientIP(r, u)
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "MailItemsAccessed", recordType: 50, resultStatus: "Succeeded",
		userKey: u.PUID, userType: 0, workload: "Exchange", clientIP: ip, userID: u.UPN})
	b = g.exchangeCommon(b, r, u, ip)
	n := 1 + r.Intn(4)
	b = kn(b, "OperationCount", int64(n))
	b = append(b, `,"OperationProperties":[`...)
	b = nvp(b, true, "MailAccessType", detrand.Pick(r, []string{"Bind", "Sync"}))
	b = nvp(b, false, "IsThrottled", "False")
	b = append(b, `],"Folders":[{"Id":"LgAAAAD`...)
	b = detrand.AppendUpperHex(b, r.Next(), 16)
	b = append(b, `AQ","Path":"\\Inbox","FolderItems":[`...)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"InternetMessageId":"<`...)
		b = detrand.AppendUpperHex(b, r.Next(), 12)
		b = append(b, '@')
		b = append(b, g.w.Tenant.Domain...)
		b = append(b, `>","SizeInBytes":`...)
		b = strconv.AppendInt(b, int64(2000+r.Intn(80000)), 10)
		b = append(b, '}')
	}
	return append(b, `]}]}`...)
}

func (g *Generator) mailboxItemOp(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64, u *tenant.Person, op, folder string) []byte {
	ip := g.ClientIP(r, u)
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: op, recordType: 2, resultStatus: "Succeeded",
		userKey: u.PUID, userType: 0, workload: "Exchange", clientIP: ip, userID: u.UPN})
	b = g.exchangeCommon(b, r, u, ip)
	item := `{"Id":"RgAAAAD` + string(detrand.AppendUpperHex(nil, r.Next(), 16)) + `BwA","InternetMessageId":"<` +
		string(detrand.AppendUpperHex(nil, r.Next(), 12)) + "@" + g.w.Tenant.Domain + `>","ParentFolder":{"Id":"LgAAAAD` +
		string(detrand.AppendUpperHex(nil, r.Next(), 16)) + `AQ","Path":"` + folder + `"},"SizeInBytes":` +
		strconv.Itoa(3000+r.Intn(90000)) + `,"Subject":"` + detrand.Pick(r, subjects()) + `"}`
	if op == "Send" {
		b = kraw(b, "Item", item)
	} else {
		b = kraw(b, "AffectedItems", "["+item+"]")
		b = kraw(b, "Folder", `{"Id":"LgAAAAD`+string(detrand.AppendUpperHex(nil, r.Next(), 16))+`AQ","Path":"`+folder+`"}`)
	}
	return append(b, '}')
}

// adminCmdlet renders an Exchange admin audit record (RecordType 1).
func (g *Generator) adminCmdlet(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64, actor, target *tenant.Person, op, objectID, ip string, params [][2]string) []byte {
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: op, recordType: 1, resultStatus: "True",
		userKey: actor.PUID, userType: 0, workload: "Exchange", clientIP: ip, objectID: objectID, userID: actor.UPN})
	b = kv(b, "AppId", "00000002-0000-0ff1-ce00-000000000000")
	b = kv(b, "ClientAppId", "")
	b = kb(b, "ExternalAccess", false)
	b = kv(b, "OrganizationName", g.w.Tenant.Domain)
	b = kv(b, "OriginatingServer", exchangeServer(r))
	b = append(b, `,"Parameters":[`...)
	for i, p := range params {
		b = nvp(b, i == 0, p[0], p[1])
	}
	b = append(b, ']')
	b = kguid(b, "SessionId", r)
	b = kguid(b, "RequestId", r)
	return append(b, '}')
}

// systemCmdlet renders a datacenter-side cmdlet (UserType 3, ExternalAccess true).
func (g *Generator) systemCmdlet(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64, u *tenant.Person) []byte {
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "Set-Mailbox", recordType: 1, resultStatus: "True",
		userKey: "NT AUTHORITY\\\\SYSTEM (Microsoft.Exchange.ServiceHost)", userType: 3, workload: "Exchange",
		objectID: "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/" + g.w.Tenant.Domain + "/" + u.Alias,
		userID:   "NT AUTHORITY\\\\SYSTEM (Microsoft.Exchange.ServiceHost)"})
	b = kb(b, "ExternalAccess", true)
	b = kv(b, "OrganizationName", g.w.Tenant.Domain)
	b = kv(b, "OriginatingServer", exchangeServer(r))
	b = append(b, `,"Parameters":[`...)
	b = nvp(b, true, "Identity", u.UPN)
	b = nvp(b, false, "RetentionPolicy", "Default MRM Policy")
	return append(b, `]}`...)
}
