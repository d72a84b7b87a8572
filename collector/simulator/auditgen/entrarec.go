package auditgen

import (
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// entraMod is one ModifiedProperties entry of an Entra directory record;
// values are written as given (JSON-safe, pre-escaped).
type entraMod struct{ name, newValue, oldValue string }

// entraTarget is one Target entry: ID and Microsoft's target type (2 = an
// object id, 1 = a display name, 5 = a UPN).
type entraTarget struct {
	id  string
	typ int
}

// entraAudit holds the variable parts of an Entra directory audit record
// (RecordType 8, Audit.AzureActiveDirectory).
type entraAudit struct {
	t          time.Time
	idHi, idLo uint64
	actor      *tenant.Person
	op         string
	objectID   string
	ip         string
	result     string // "Success" (default) or "Failure"
	category   string // extendedAuditEventCategory: User, Role, Application, ServicePrincipal
	mods       []entraMod
	targets    []entraTarget
}

// appendEntraAudit renders a directory audit record in the shape Microsoft
// logs it (see m365-api.md §2.4): ModifiedProperties as {Name, NewValue,
// OldValue} with JSON-string values, Actor and Target lists.
func (g *Generator) appendEntraAudit(b []byte, r *detrand.Rng, a entraAudit) []byte {
	if a.result == "" {
		a.result = "Success"
	}
	b = g.appendHeader(b, header{t: a.t, idHi: a.idHi, idLo: a.idLo, op: a.op, recordType: 8, resultStatus: a.result,
		userKey: a.actor.PUID + "@" + g.w.Tenant.Domain, userType: 0, workload: "AzureActiveDirectory",
		clientIP: a.ip, objectID: a.objectID, userID: a.actor.UPN})
	b = kn(b, "AzureActiveDirectoryEventType", 1)
	b = append(b, `,"ExtendedProperties":[`...)
	b = nvp(b, true, "additionalDetails", "{}")
	b = nvp(b, false, "extendedAuditEventCategory", a.category)
	b = append(b, `],"ModifiedProperties":[`...)
	for i, m := range a.mods {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Name":"`...)
		b = append(b, m.name...)
		b = append(b, `","NewValue":"`...)
		b = append(b, m.newValue...)
		b = append(b, `","OldValue":"`...)
		b = append(b, m.oldValue...)
		b = append(b, `"}`...)
	}
	b = append(b, `],"Actor":[{"ID":"`...)
	b = append(b, a.actor.UPN...)
	b = append(b, `","Type":5},{"ID":"`...)
	b = append(b, a.actor.ID...)
	b = append(b, `","Type":2}]`...)
	b = kv(b, "ActorContextId", g.tenantID)
	if a.ip != "" {
		b = kv(b, "ActorIpAddress", a.ip)
	}
	b = kguid(b, "InterSystemsId", r)
	b = kguid(b, "IntraSystemId", r)
	b = kv(b, "SupportTicketId", "")
	b = append(b, `,"Target":[`...)
	for i, tg := range a.targets {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"ID":"`...)
		b = append(b, tg.id...)
		b = append(b, `","Type":`...)
		b = append(b, byte('0'+tg.typ))
		b = append(b, '}')
	}
	b = append(b, ']')
	b = kv(b, "TargetContextId", g.tenantID)
	return append(b, '}')
}

// userTargets is the Target list of a record about a user.
func userTargets(u *tenant.Person) []entraTarget {
	return []entraTarget{{"User_" + u.ID, 2}, {u.ID, 2}, {u.UPN, 5}}
}

// spFile is one SharePoint/OneDrive file operation.
type spFile struct {
	t          time.Time
	idHi, idLo uint64
	u          *tenant.Person
	op         string
	ip         string
	site       spSite
	file       string
	ext        string
	sharing    bool   // RecordType 14 (sharing) instead of 6
	target     string // sharing target (TargetUserOrGroupName)
	targetType string
	agent      string
}

// appendSPFile renders a file or sharing record (RecordType 6 or 14).
func (g *Generator) appendSPFile(b []byte, r *detrand.Rng, f spFile) []byte {
	recordType := 6
	if f.sharing {
		recordType = 14
	}
	siteURL := "https://" + g.w.SitesHost + "/" + f.site.path + "/"
	file := f.file + "." + f.ext
	b = g.appendHeader(b, header{t: f.t, idHi: f.idHi, idLo: f.idLo, op: f.op, recordType: recordType, resultStatus: "Succeeded",
		userKey: "i:0h.f|membership|" + lowerASCII(f.u.PUID) + "@live.com", userType: 0, workload: "SharePoint", clientIP: f.ip,
		objectID: siteURL + f.site.folder + "/" + file, userID: f.u.UPN})
	b = kv(b, "CorrelationId", detrand.GUIDFrom(r.Next()))
	b = kv(b, "EventSource", "SharePoint")
	b = kv(b, "ItemType", "File")
	b = kguid(b, "ListId", r)
	b = kguid(b, "ListItemUniqueId", r)
	b = kguid(b, "Site", r)
	b = kv(b, "UserAgent", f.agent)
	b = kguid(b, "WebId", r)
	if f.sharing {
		b = kv(b, "TargetUserOrGroupName", f.target)
		b = kv(b, "TargetUserOrGroupType", f.targetType)
		b = kguid(b, "UniqueSharingId", r)
	}
	b = kv(b, "SourceFileExtension", f.ext)
	b = kv(b, "SiteUrl", siteURL)
	b = kv(b, "SourceFileName", file)
	b = kv(b, "SourceRelativeUrl", f.site.folder)
	return append(b, '}')
}

// outlookRule renders an inbox rule made in Outlook as the mailbox audit
// logs it: UpdateInboxRules (RecordType 2) with OperationProperties
// RuleName, RuleActions (a JSON text), RuleCondition and RuleOperation.
func (g *Generator) outlookRule(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64, u *tenant.Person, ip, name, actions, condition string) []byte {
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "UpdateInboxRules", recordType: 2, resultStatus: "Succeeded",
		userKey: u.PUID, userType: 0, workload: "Exchange", clientIP: ip, objectID: "", userID: u.UPN})
	b = g.exchangeCommon(b, r, u, ip)
	b = append(b, `,"OperationProperties":[`...)
	b = nvp(b, true, "RuleActions", actions)
	b = nvp(b, false, "RuleCondition", condition)
	b = nvp(b, false, "RuleName", name)
	b = nvp(b, false, "RuleOperation", "AddMailboxRule")
	b = nvp(b, false, "RuleProvider", "RuleOrganizer")
	b = nvp(b, false, "RuleState", "Enabled")
	return append(b, `]}`...)
}

// forwardAction is the RuleActions text of an Outlook rule forwarding to
// addr, JSON-escaped for embedding in a record.
func forwardAction(addr string) string {
	return jsonEscape(`[{"ActionType":"ForwardToRecipientsAction","Recipients":["SMTP:` + addr + `"],"Flags":0}]`)
}

// fromCondition is the RuleCondition text of an Outlook rule on a sender.
func fromCondition(sender string) string {
	return jsonEscape(`{"ConditionType":"AndCondition","SubConditions":[{"ConditionType":"FromRecipientsCondition","Recipients":["` + sender + `"]}]}`)
}
