package detect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// Rule ids of the pack, by the row of detections.md they implement.
const (
	ruleInboxForward   = "9082ecc0-43b0-45e1-b9f2-fe5c96955d38"
	ruleMailboxForward = "3134994f-48f5-48b9-9442-75f414a71a04"
	ruleHiding         = "46fdc266-7bee-4afc-bf8b-c23d99043689"
	ruleTransport      = "873b00f4-650f-4c69-9c6e-1928dd0fb058"
	ruleSpray          = "664a1672-32d3-402a-b4f3-ed45f04d432e"
	ruleBruteSuccess   = "3f8bab7f-5306-4a99-9dd0-980ae3157b17"
	ruleNewCountry     = "2866f998-90dd-4a92-b5b2-62c7507251f4"
	ruleMFADisabled    = "a3bcb0b4-ebed-4e4a-a22d-174b7a432102"
	ruleMFAChanged     = "96a04aa5-8efd-41a5-98ae-b470ae1f2997"
	rulePrivRole       = "0521ec79-8788-4490-8371-22e6f1c82a55"
	ruleConsent        = "049c1d18-be0f-4f0d-b61d-dba8bf8ef4f2"
	ruleAppCreds       = "950b35dc-724f-418a-8a32-c757291b77dc"
	ruleDelegation     = "6e718f47-e84c-465b-91a6-0d54845ff2e7"
	ruleAnonLink       = "0d6c76aa-5fdc-4850-a8b7-f2b0d5075a37"
	ruleMassDownload   = "e973f306-5129-4e16-9ba2-1149002fa8a2"
	ruleMassDelete     = "320bca6b-f305-4e82-bc28-5efb8703e349"
	ruleAuditTamper    = "fd49eaf2-d37a-42d5-9a38-ab81b4360a54"
	ruleMSAlert        = "d84e8bd6-8447-4a78-97d2-0b2e1bd23975"
)

func TestPackLoadsCompletely(t *testing.T) {
	rules, errs := LoadRules(BuiltinRules(), "")
	for _, e := range errs {
		t.Errorf("built-in rule does not load: %v", e)
	}
	byID := map[string]*Rule{}
	for _, r := range rules {
		byID[r.ID] = r
		if r.Title == "" || r.Description == "" || r.Status == "" {
			t.Errorf("%s: missing title/description/status", r.ID)
		}
		if !r.generates() {
			continue
		}
		if r.Meta.What == "" || r.Meta.Why == "" || len(r.Meta.Steps) == 0 || len(r.References) == 0 || len(r.FalsePositives) == 0 {
			t.Errorf("%s (%s): a finding-raising rule needs what/why/steps/references/falsepositives", r.ID, r.Title)
		}
		for _, s := range r.Meta.Steps {
			if s.Link != "" && !strings.HasPrefix(s.Link, "https://") {
				t.Errorf("%s: step link %q is not https", r.Title, s.Link)
			}
		}
	}
	for _, id := range []string{ruleInboxForward, ruleMailboxForward, ruleHiding, ruleTransport, ruleSpray, ruleBruteSuccess,
		ruleNewCountry, ruleMFADisabled, ruleMFAChanged, rulePrivRole, ruleConsent, ruleAppCreds, ruleDelegation, ruleAnonLink,
		ruleMassDownload, ruleMassDelete, ruleAuditTamper, ruleMSAlert} {
		r, ok := byID[id]
		if !ok {
			t.Errorf("pack rule %s missing", id)
			continue
		}
		if !r.generates() {
			t.Errorf("pack rule %s (%s) raises no findings", id, r.Title)
		}
	}
	// Only records of the pack's operations are decoded: no rule may match "any operation".
	for _, r := range rules {
		if r.Kind == SingleEvent && r.ops == nil {
			t.Errorf("%s is not limited to operations: every record would be decoded", r.Title)
		}
	}
}

func TestSingleEventRules(t *testing.T) {
	inbox := sample(t, "C-") // New-InboxRule forwarding externally (+ DeleteMessage)
	setMbx := sample(t, "D-")
	alert := sample(t, "F-")
	at := t0
	tests := []struct {
		name string
		raw  []byte
		rule string
		want int
	}{
		{"inbox rule to external (Microsoft sample)", rec(inbox, nil), ruleInboxForward, 1},
		{"inbox rule to an internal address", rec(inbox, map[string]any{"Parameters": params("Name", "to boss", "ForwardTo", "boss@"+tenantDomain)}), ruleInboxForward, 0},
		{"inbox rule to a sub-domain of ours", rec(inbox, map[string]any{"Parameters": params("Name", "x", "RedirectTo", "a@mail.northwind.example")}), ruleInboxForward, 0},
		{"inbox rule that failed", rec(inbox, map[string]any{"ResultStatus": "False"}), ruleInboxForward, 0},
		{"Outlook-made rule (UpdateInboxRules, OperationProperties)", rec(exo("u1", "UpdateInboxRules", at, nil), map[string]any{"RecordType": 2,
			"OperationProperties": params("RuleName", "x", "RuleActions", `[{"ActionType":"Forward","Recipients":["SMTP:thief@evil.example"]}]`)}), ruleInboxForward, 1},
		{"Outlook-made internal rule", rec(exo("u2", "UpdateInboxRules", at, nil), map[string]any{"RecordType": 2,
			"OperationProperties": params("RuleName", "x", "RuleActions", `[{"ActionType":"Forward","Recipients":["SMTP:ana@northwind.example"]}]`)}), ruleInboxForward, 0},
		{"Set-Mailbox forwarding external (Microsoft sample)", rec(setMbx, nil), ruleMailboxForward, 1},
		{"Set-Mailbox forwarding internal", rec(setMbx, map[string]any{"Parameters": params("ForwardingSmtpAddress", "smtp:ana@"+tenantDomain)}), ruleMailboxForward, 0},
		{"hiding rule: delete (Microsoft sample)", rec(inbox, nil), ruleHiding, 1},
		{"hiding rule: move to RSS Feeds", rec(exo("h1", "New-InboxRule", at, params("Name", ".", "MoveToFolder", "RSS Feeds")), nil), ruleHiding, 1},
		{"ordinary rule: move to Newsletters", rec(exo("h2", "New-InboxRule", at, params("Name", "News", "MoveToFolder", "Newsletters")), nil), ruleHiding, 0},
		{"transport rule BCC external", rec(exo("t1", "New-TransportRule", at, params("Name", "copy", "BlindCopyTo", "x@evil.example")), nil), ruleTransport, 1},
		{"transport rule BCC internal", rec(exo("t2", "New-TransportRule", at, params("Name", "copy", "BlindCopyTo", "legal@"+tenantDomain)), nil), ruleTransport, 0},
		{"MFA disabled", rec(aad("m1", "Disable Strong Authentication.", at, nil), nil), ruleMFADisabled, 1},
		{"MFA method added", rec(aad("m2", "Update user.", at, modified("StrongAuthenticationMethod", `[{"MethodType":6,"Default":true}]`, "Included Updated Properties", "StrongAuthenticationMethod")), nil), ruleMFAChanged, 1},
		{"user's job title updated", rec(aad("m3", "Update user.", at, modified("JobTitle", `["Buyer"]`, "Included Updated Properties", "JobTitle")), nil), ruleMFAChanged, 0},
		{"Global Administrator assigned", rec(aad("r1", "Add member to role.", at, modified("Role.DisplayName", "Global Administrator", "Role.WellKnownObjectName", "CompanyAdministrator")), nil), rulePrivRole, 1},
		{"Company Administrator (old name) as a JSON string", rec(aad("r2", "Add member to role.", at, modified("Role.DisplayName", `["Company Administrator"]`)), nil), rulePrivRole, 1},
		{"non-privileged role assigned", rec(aad("r3", "Add member to role.", at, modified("Role.DisplayName", "Message Center Reader", "Role.WellKnownObjectName", "MessageCenterReader")), nil), rulePrivRole, 0},
		{"consent with Mail.Read", rec(aad("c1", "Consent to application.", at, modified("ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", "[] => [[Scope: Mail.Read offline_access User.Read]]")), nil), ruleConsent, 1},
		{"consent with User.Read only", rec(aad("c2", "Consent to application.", at, modified("ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", "[] => [[Scope: User.Read openid profile]]")), nil), ruleConsent, 0},
		{"service principal credentials added", rec(aad("a1", "Add service principal credentials.", at, nil), nil), ruleAppCreds, 1},
		{"service principal added (no credentials)", rec(aad("a2", "Add service principal.", at, nil), nil), ruleAppCreds, 0},
		{"FullAccess granted", rec(exo("d1", "Add-MailboxPermission", at, params("Identity", "ceo", "User", "jonas.berg", "AccessRights", "FullAccess")), nil), ruleDelegation, 1},
		{"FullAccess by Microsoft's system account", rec(exo("d2", "Add-MailboxPermission", at, params("Identity", "ceo", "User", `NT AUTHORITY\SYSTEM (Microsoft.Exchange.ServiceHost)`, "AccessRights", "FullAccess")), nil), ruleDelegation, 0},
		{"send on behalf granted", rec(exo("d3", "Set-Mailbox", at, params("Identity", "ceo", "GrantSendOnBehalfTo", "jonas.berg")), nil), ruleDelegation, 1},
		{"Set-Mailbox without delegation", rec(exo("d4", "Set-Mailbox", at, params("Identity", "ceo", "HiddenFromAddressListsEnabled", "False")), nil), ruleDelegation, 0},
		{"anonymous link", rec(map[string]any{"Id": "s1", "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "AnonymousLinkCreated", "RecordType": 14, "Workload": "OneDrive", "UserId": "ana@" + tenantDomain, "ObjectId": "https://x/y.docx"}, nil), ruleAnonLink, 1},
		{"company-only link", rec(map[string]any{"Id": "s2", "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "CompanyLinkCreated", "RecordType": 14, "Workload": "OneDrive", "UserId": "ana@" + tenantDomain}, nil), ruleAnonLink, 0},
		{"audit log turned off", rec(exo("x1", "Set-AdminAuditLogConfig", at, params("UnifiedAuditLogIngestionEnabled", "False")), nil), ruleAuditTamper, 1},
		{"audit log turned on", rec(exo("x2", "Set-AdminAuditLogConfig", at, params("UnifiedAuditLogIngestionEnabled", "True")), nil), ruleAuditTamper, 0},
		{"mailbox audit bypass", rec(exo("x3", "Set-MailboxAuditBypassAssociation", at, params("Identity", "svc", "AuditBypassEnabled", "True")), nil), ruleAuditTamper, 1},
		{"mailbox auditing disabled", rec(exo("x4", "Set-Mailbox", at, params("Identity", "ceo", "AuditEnabled", "False")), nil), ruleAuditTamper, 1},
		{"Microsoft alert (sample)", rec(alert, nil), ruleMSAlert, 1},
		{"alert updated (not a new alert)", rec(alert, map[string]any{"Operation": "AlertUpdated"}), ruleMSAlert, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			h.process(false, tt.raw)
			if got := len(h.byRule(tt.rule)); got != tt.want {
				t.Fatalf("%d findings of the rule, want %d (all: %+v)", got, tt.want, h.findings())
			}
		})
	}
}

func TestFindingTextsAndSeverity(t *testing.T) {
	h := newHarness(t, "")
	h.process(false, rec(sample(t, "C-"), nil), rec(sample(t, "F-"), nil))
	fw := h.byRule(ruleInboxForward)[0]
	if !strings.Contains(fw.What, "archive.collector@proton-mail.example") || !strings.Contains(fw.What, "Sync backup") {
		t.Errorf("what = %q", fw.What)
	}
	if fw.Key != "jonas.berg@northwind-lab.onmicrosoft.com / Sync backup" || fw.Severity != finding.High {
		t.Errorf("key %q severity %v", fw.Key, fw.Severity)
	}
	if len(fw.AllowValues) != 1 || fw.AllowValues[0] != "proton-mail.example" || fw.AllowKind != "forwarding domain" {
		t.Errorf("allow %q %v", fw.AllowKind, fw.AllowValues)
	}
	if len(fw.Steps) < 3 || !strings.Contains(fw.Steps[2].Text, "Remove-InboxRule -Mailbox jonas.berg@northwind-lab.onmicrosoft.com") {
		t.Errorf("steps %+v", fw.Steps)
	}
	al := h.byRule(ruleMSAlert)[0]
	if al.Severity != finding.Medium || !strings.Contains(al.What, "Suspicious email forwarding activity") || !strings.Contains(al.Key, "jonas.berg") {
		t.Errorf("alert %v %q key %q", al.Severity, al.What, al.Key)
	}
	h2 := newHarness(t, "")
	h2.process(false, rec(sample(t, "F-"), map[string]any{"Severity": "High", "Id": "hi-1"}))
	if got := h2.byRule(ruleMSAlert)[0].Severity; got != finding.High {
		t.Errorf("alert severity not passed through: %v", got)
	}
}

func TestCorrelations(t *testing.T) {
	spray := func(n int, ip string, gap time.Duration) [][]byte {
		var out [][]byte
		for i := range n {
			out = append(out, signIn(fmt.Sprintf("sp-%s-%d", ip, i), user(i), ip, t0.Add(time.Duration(i)*gap), "50126"))
		}
		return out
	}
	brute := func(n int, u string, then bool) [][]byte {
		var out [][]byte
		for i := range n {
			out = append(out, signIn(fmt.Sprintf("bf-%d", i), u, "95.1.1.1", t0.Add(time.Duration(i)*20*time.Second), "50126"))
		}
		if then {
			out = append(out, signIn("bf-ok", u, "95.1.1.1", t0.Add(time.Duration(n)*20*time.Second+time.Minute), ""))
		}
		return out
	}
	files := func(op string, n int, gap time.Duration) [][]byte {
		var out [][]byte
		for i := range n {
			out = append(out, rec(map[string]any{"Id": fmt.Sprintf("f-%d", i), "CreationTime": t0.Add(time.Duration(i) * gap).Format("2006-01-02T15:04:05"),
				"Operation": op, "RecordType": 6, "Workload": "SharePoint", "UserId": "ana@" + tenantDomain, "ClientIP": "81.2.3.4",
				"ObjectId": fmt.Sprintf("https://x/f%d.docx", i)}, nil))
		}
		return out
	}
	tests := []struct {
		name string
		raws [][]byte
		rule string
		want int
	}{
		{"spray: 12 users from one IP in 6 min", spray(12, "95.165.12.77", 30*time.Second), ruleSpray, 1},
		{"spray below threshold: 9 users", spray(9, "95.165.12.77", 30*time.Second), ruleSpray, 0},
		{"12 users, but spread over 2 hours", spray(12, "95.165.12.77", 10*time.Minute), ruleSpray, 0},
		{"brute force then success", brute(25, user(1), true), ruleBruteSuccess, 1},
		{"brute force without success", brute(25, user(1), false), ruleBruteSuccess, 0},
		{"19 failures then success", brute(19, user(1), true), ruleBruteSuccess, 0},
		{"mass download: 60 in 4 min", files("FileDownloaded", 60, 4*time.Second), ruleMassDownload, 1},
		{"downloads below threshold: 40 in 4 min", files("FileDownloaded", 40, 6*time.Second), ruleMassDownload, 0},
		{"mass deletion: 55 in 2 min", files("FileDeleted", 55, 2*time.Second), ruleMassDelete, 1},
		{"deletions spread over the day", files("FileRecycled", 60, 10*time.Minute), ruleMassDelete, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			h.process(false, tt.raws...)
			got := h.byRule(tt.rule)
			if len(got) != tt.want {
				t.Fatalf("%d findings, want %d: %+v", len(got), tt.want, h.findings())
			}
			if tt.want == 1 && got[0].EvidenceCount < 10 {
				t.Errorf("evidence %d records", got[0].EvidenceCount)
			}
			// Every other finding must be of the intended kind only.
			for _, f := range h.findings() {
				if f.RuleID != tt.rule && f.Severity >= finding.Medium {
					t.Errorf("unexpected finding %s: %s", f.RuleTitle, f.What)
				}
			}
		})
	}
}

// TestCommonRecordsAreNotDecoded guards the evaluation speed: sign-ins and
// downloads (a fifth of a tenant's records) are judged on the store's columns.
func TestCommonRecordsAreNotDecoded(t *testing.T) {
	rules, _ := LoadRules(BuiltinRules(), "")
	plan(rules)
	light := map[string]bool{
		"e0a2b310-9e26-4ec5-ad61-dc5d62a1295c": true, // successful sign-in (feeds brute force)
		ruleNewCountry:                         true,
		"009b1d0d-9f88-4687-b4ec-e1aa2a9606f4": true,  // file downloaded (feeds mass download)
		"ada0f483-b889-4580-9eda-74c91cd5a028": true,  // file deleted
		ruleInboxForward:                       false, // needs the forwarding parameters
	}
	for _, r := range rules {
		want, ok := light[r.ID]
		if !ok {
			continue
		}
		if got := !r.matchFull && !r.textFull && !r.signalFull; got != want {
			t.Errorf("%s: light=%v, want %v (match %v text %v signal %v)", r.Title, got, want, r.matchFull, r.textFull, r.signalFull)
		}
	}
}
