package auditgen

import (
	"strconv"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

func (g *Generator) generalRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	switch x := r.Intn(100); {
	case x < 78:
		return g.teamsRecord(b, r, t, idHi, idLo)
	case x < 94:
		return g.tiMailRecord(b, r, t, idHi, idLo)
	case x < 95: // Microsoft's alerts: a handful a week, none above Low in a healthy tenant
		return g.alertRecord(b, r, t, idHi, idLo, alert{name: detrand.Pick(r, []string{"Email reported by user as malware or phish", "Unusual volume of file deletion", "Creation of forwarding/redirect rule"}),
			severity: detrand.Pick(r, []string{"Low", "Informational"}), category: "ThreatManagement", user: g.user(r).UPN, op: "", workload: "Exchange"})
	default:
		return g.powerBIRecord(b, r, t, idHi, idLo)
	}
}

func (g *Generator) teamsRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	op := detrand.Pick(r, []string{"MessageSent", "MessageSent", "MessageSent", "TeamsSessionStarted", "ChatCreated", "MemberAdded", "MeetingParticipantDetail"})
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: op, recordType: 25, resultStatus: "Succeeded",
		userKey: u.ID, userType: 0, workload: "MicrosoftTeams", clientIP: g.ClientIP(r, u), userID: u.UPN})
	team := detrand.Pick(r, []string{"All Company", "Sales Team", "Finance", "Project Falcon"})
	b = kv(b, "ChatThreadId", "19:"+string(detrand.AppendUpperHex(nil, r.Next(), 16))+"@thread.v2")
	b = kv(b, "CommunicationType", detrand.Pick(r, []string{"Team", "GroupChat", "OneOnOne"}))
	b = kv(b, "TeamName", team)
	b = kguid(b, "TeamGuid", r)
	b = kv(b, "ChannelName", detrand.Pick(r, []string{"General", "Announcements", "Planning"}))
	if op == "MemberAdded" {
		m := g.user(r)
		b = kraw(b, "Members", `[{"DisplayName":"`+m.Display+`","Role":1,"UPN":"`+m.UPN+`"}]`)
	}
	return append(b, '}')
}

func (g *Generator) tiMailRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	nmid := detrand.GUIDFrom(r.Next())
	verdict := detrand.Pick(r, []string{"Phish", "Spam", "Malware", "Phish"})
	policy, action, loc := "Phish", "MoveToJmf", "JunkFolder"
	switch verdict {
	case "Malware":
		policy, action, loc = "Malware", "Quarantine", "Quarantine"
	case "Spam":
		policy, action, loc = "Spam", "MoveToJmf", "JunkFolder"
	default:
		if r.Chance(0.5) {
			policy, action, loc = "HighConfidencePhish", "Quarantine", "Quarantine"
		}
	}
	sender := detrand.Pick(r, []string{"invoice-portal.example", "secure-docs.example", "parcel-track.example", "m365-alerts.example"})
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "TIMailData", recordType: 28,
		userKey: "ThreatIntel", userType: 4, workload: "ThreatIntelligence", objectID: nmid, userID: "ThreatIntel"})
	if verdict == "Malware" {
		b = kraw(b, "AttachmentData", `[{"FileName":"Invoice_`+strconv.Itoa(1000+r.Intn(9000))+`.xlsm","FileType":"xlsm","FileVerdict":1,"MalwareFamily":"TrojanDownloader:O97M/Donoff","SHA256":"`+
			string(detrand.AppendUpperHex(detrand.AppendUpperHex(detrand.AppendUpperHex(detrand.AppendUpperHex(nil, r.Next(), 16), r.Next(), 16), r.Next(), 16), r.Next(), 16))+`"}]`)
	} else {
		b = kraw(b, "AttachmentData", "[]")
	}
	b = kraw(b, "AuthDetails", `[{"Name":"SPF","Value":"Fail"},{"Name":"DKIM","Value":"None"},{"Name":"DMARC","Value":"Fail"},{"Name":"Comp Auth","Value":"fail"}]`)
	delivery := "Blocked"
	if loc == "JunkFolder" {
		delivery = "DeliveredAsSpam"
	}
	b = kv(b, "DeliveryAction", delivery)
	b = kv(b, "DetectionMethod", detrand.Pick(r, []string{"Spoof DMARC", "URL malicious reputation", "Advanced filter", "File detonation"}))
	b = kv(b, "DetectionType", "Inline")
	b = kv(b, "Directionality", "Inbound")
	b = kv(b, "EventDeepLink", "https://security.microsoft.com/?hash=/threatexplorer?messageParams="+nmid)
	b = kv(b, "InternetMessageId", "<"+string(detrand.AppendUpperHex(nil, r.Next(), 10))+"@mail."+sender+">")
	b = kv(b, "LatestDeliveryLocation", loc)
	b = ktime(b, "MessageTime", t.Add(-2*time.Second))
	b = kv(b, "NetworkMessageId", nmid)
	b = kv(b, "OriginalDeliveryLocation", loc)
	b = kv(b, "P1Sender", "bounce@"+sender)
	b = kv(b, "P2Sender", "accounts@"+sender)
	b = kv(b, "PhishConfidenceLevel", detrand.Pick(r, []string{"High", "Normal"}))
	b = kv(b, "Policy", policy)
	b = kv(b, "PolicyAction", action)
	b = kraw(b, "Recipients", `["`+u.UPN+`"]`)
	b = kv(b, "SenderIp", "198.51.100."+strconv.Itoa(1+r.Intn(254)))
	b = kv(b, "Subject", detrand.Pick(r, []string{"Overdue invoice - action required", "Your parcel could not be delivered", "Password expires today", "Shared document: Q3 payment"}))
	b = kraw(b, "SystemOverrides", "[]")
	b = kraw(b, "ThreatsAndDetectionTech", `["`+verdict+`: [Spoof DMARC, URL malicious reputation]"]`)
	b = kv(b, "Verdict", verdict)
	return append(b, '}')
}

// alert is the content of a Security & Compliance AlertTriggered record.
type alert struct {
	name, severity, category, user, op, workload string
}

func (g *Generator) alertRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64, a alert) []byte {
	alertID := detrand.GUIDFrom(r.Next())
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "AlertTriggered", recordType: 40, resultStatus: "Succeeded",
		userKey: "SecurityComplianceAlerts", userType: 4, workload: "SecurityComplianceCenter", objectID: alertID, userID: "SecurityComplianceAlerts"})
	b = kv(b, "AlertId", alertID)
	b = kraw(b, "AlertLinks", "[]")
	b = kv(b, "AlertType", "System")
	b = kv(b, "Category", a.category)
	b = kv(b, "Comments", "New alert")
	op := a.op
	if op == "" {
		op = "AlertPolicyMatch"
	}
	data := `{"f3u":"` + a.user + `","op":"` + op + `","wl":"` + a.workload + `","tid":"` + g.tenantID + `","an":"` + a.name + `","sev":"` + a.severity + `"}`
	b = kv(b, "Data", jsonEscape(data))
	b = kv(b, "Name", a.name)
	b = kguid(b, "PolicyId", r)
	b = kv(b, "Severity", a.severity)
	b = kv(b, "Source", "Office 365 Security & Compliance")
	b = kv(b, "Status", "Active")
	return append(b, '}')
}

func (g *Generator) powerBIRecord(b []byte, r *detrand.Rng, t time.Time, idHi, idLo uint64) []byte {
	u := g.user(r)
	b = g.appendHeader(b, header{t: t, idHi: idHi, idLo: idLo, op: "ViewReport", recordType: 20,
		userKey: u.PUID, userType: 0, workload: "PowerBI", clientIP: g.ClientIP(r, u), userID: u.UPN})
	b = kv(b, "Activity", "ViewReport")
	b = kv(b, "ItemName", detrand.Pick(r, []string{"Sales dashboard", "Finance KPIs", "Support backlog"}))
	b = kv(b, "WorkSpaceName", "Management")
	b = kguid(b, "ReportId", r)
	b = kv(b, "DistributionMethod", "Workspace")
	return append(b, '}')
}
