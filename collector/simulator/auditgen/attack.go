package auditgen

import (
	"strconv"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// Attack storyline constants: the addresses the attacker uses.
const (
	AttackSprayIP   = "95.165.12.77"                          // password spray source (RU)
	AttackSuccessIP = "14.161.22.75"                          // successful sign-in from a new country (VN: no simulated user ever travels there)
	AttackBruteIP   = "102.89.34.61"                          // brute force against the admin, then success (NG)
	AttackForwardTo = "archive.collector@proton-mail.example" // the external address the victim's mail is forwarded to
	attackRuleName  = "Sync backup"
	attackOutlook   = "."
	attackTransport = "Compliance copy"
	attackAppName   = "Mail Sync Pro"
	sprayAgent      = "python-requests/2.32.3"
	bruteAgent      = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
	massFileCount   = 60 // downloads / deletions in the mass storyline (the pack's threshold is 50 in 5 minutes)
)

// attackScript places the storyline's records; each step records the
// finding it must raise.
type attackScript struct {
	g      *Generator
	r      detrand.Rng
	victim *tenant.Person // password found by the spray, signs in from VN
	admin  *tenant.Person // brute-forced from NG, then persists tenant-wide
}

// AddAttack injects the attack storyline relative to start (the simulator's
// now at Start). It covers every row of the detection pack
// (detections.md): a spray four hours ago finds a user's password (sign-in
// from a new country), the attacker forwards and hides that mailbox's mail,
// consents a mail-reading app, shares and mass-downloads then deletes
// files; a brute force against the administrator succeeds and the attacker
// turns MFA off, makes the victim Global Administrator, adds app
// credentials, a transport rule, mailbox permissions and tampers with
// auditing; Microsoft raises an alert.
func (g *Generator) AddAttack(start time.Time) {
	users := g.w.Users
	a := &attackScript{g: g, r: detrand.New(detrand.Hash(g.seed, 0xa77ac4)), victim: &users[len(users)/2], admin: &users[0]}
	a.spray(start.Add(-4 * time.Hour).Truncate(time.Second))
	success := start.Add(-3 * time.Hour).Truncate(time.Second)
	a.victimTakeover(success)
	a.victimData(success.Add(30 * time.Minute))
	a.adminTakeover(success.Add(10 * time.Minute))
}

func (a *attackScript) ids() (uint64, uint64) { return a.r.Next(), a.r.Next() }

// add renders nothing itself: it stores a rendered record in content type c.
func (a *attackScript) add(c int, at time.Time, idHi, idLo uint64, rec []byte) {
	a.g.addExtra(c, at, string(detrand.AppendGUID(nil, idHi, idLo)), rec)
}

func (a *attackScript) signIn(t time.Time, u *tenant.Person, ip string, app clientApp, agent string, fail *logonFailure) {
	a.g.addSignIn(&a.r, t, signIn{u: u, ip: ip, app: app, agent: agent, fail: fail})
}

func (a *attackScript) cmdlet(t time.Time, actor, target *tenant.Person, op, objectID, ip string, params [][2]string) {
	idHi, idLo := a.ids()
	if ip != "" {
		ip += ":" + strconv.Itoa(50000+a.r.Intn(9000))
	}
	a.add(1, t, idHi, idLo, a.g.adminCmdlet(nil, &a.r, t, idHi, idLo, actor, target, op, objectID, ip, params))
}

func (a *attackScript) entra(e entraAudit) {
	e.idHi, e.idLo = a.ids()
	a.add(0, e.t, e.idHi, e.idLo, a.g.appendEntraAudit(nil, &a.r, e))
}

// spray: two wrong passwords on up to 40 accounts from one IP in minutes.
func (a *attackScript) spray(at time.Time) {
	users := a.g.w.Users
	failures := []logonFailure{{"50126", "InvalidUserNameOrPassword"}, {"50126", "InvalidUserNameOrPassword"}, {"50053", "IdsLocked"}}
	n := min(len(users), 40)
	for i := 0; i < n; i++ {
		u := &users[(i*7)%len(users)]
		for k := 0; k < 2; k++ {
			f := detrand.Pick(&a.r, failures)
			a.signIn(at.Add(time.Duration(i*2+k)*17*time.Second), u, AttackSprayIP, clientApps()[2], sprayAgent, &f)
		}
	}
	a.g.expect(5, RulePasswordSpray, "password spray", AttackSprayIP)
}

// victimTakeover: the sprayed password works from Viet Nam; the attacker
// forwards the mailbox out and hides the replies.
func (a *attackScript) victimTakeover(success time.Time) {
	v := a.victim
	a.signIn(success, v, AttackSuccessIP, clientApps()[0], userAgents()[0], nil)
	a.g.expect(7, RuleNewCountry, "victim signs in from a new country", v.UPN, "VN")

	ruleAt := success.Add(9 * time.Minute)
	a.cmdlet(ruleAt, v, v, "New-InboxRule", v.Alias+"\\\\"+attackRuleName, AttackSuccessIP, [][2]string{
		{"Name", attackRuleName}, {"ForwardTo", AttackForwardTo}, {"DeleteMessage", "True"}, {"MarkAsRead", "True"}, {"StopProcessingRules", "True"}})
	a.g.expect(1, RuleInboxRuleExternal, "inbox rule forwarding outside (New-InboxRule)", v.UPN, attackRuleName)
	a.g.expect(3, RuleHidingRule, "the same rule deletes the originals", v.UPN, attackRuleName)

	a.cmdlet(ruleAt.Add(2*time.Minute), v, v, "Set-Mailbox", v.Alias, AttackSuccessIP, [][2]string{
		{"Identity", v.UPN}, {"ForwardingSmtpAddress", "smtp:" + AttackForwardTo}, {"DeliverToMailboxAndForward", "False"}})
	a.g.expect(2, RuleMailboxForwarding, "mailbox forwarding outside (Set-Mailbox)", v.Alias)

	// A second rule made in Outlook on the web: UpdateInboxRules.
	t := ruleAt.Add(4 * time.Minute)
	idHi, idLo := a.ids()
	a.add(1, t, idHi, idLo, a.g.outlookRule(nil, &a.r, t, idHi, idLo, v, AttackSuccessIP, attackOutlook,
		forwardAction("invoices.backup@proton-mail.example"), fromCondition("accounts@"+a.g.w.Tenant.Domain)))
	a.g.expect(1, RuleInboxRuleExternal, "inbox rule forwarding outside made in Outlook (UpdateInboxRules)", v.UPN, attackOutlook)

	alertAt := ruleAt.Add(20 * time.Minute)
	idHi, idLo = a.ids()
	a.add(3, alertAt, idHi, idLo, a.g.alertRecord(nil, &a.r, alertAt, idHi, idLo, alert{name: "Suspicious email forwarding activity", severity: "Medium",
		category: "ThreatManagement", user: v.UPN, op: "CreateForwardingRule", workload: "Exchange"}))
	a.g.expect(16, RuleMicrosoftAlert, "Microsoft's alert", "Suspicious email forwarding activity", v.UPN)
}

// victimData: consent to a mail-reading app, an anonymous link, a mass
// download and a mass deletion, all from the attacker's address.
func (a *attackScript) victimData(at time.Time) {
	v := a.victim
	g := a.g
	spID := detrand.GUIDFrom(a.r.Next())
	appID := detrand.GUIDFrom(a.r.Next())
	a.entra(entraAudit{t: at, actor: v, op: "Consent to application.", objectID: spID, ip: AttackSuccessIP, category: "ApplicationManagement",
		mods: []entraMod{
			{"ConsentContext.IsAdminConsent", "False", ""},
			{"ConsentContext.IsAppOnly", "False", ""},
			{"ConsentContext.OnBehalfOfAll", "False", ""},
			{"ConsentContext.Tags", "WindowsAzureActiveDirectoryIntegratedApp", ""},
			{"ConsentAction.Permissions", "[] => [[Id: " + detrand.GUIDFrom(a.r.Next()) + ", ClientId: " + spID + ", PrincipalId: " + v.ID +
				", ResourceId: " + detrand.GUIDFrom(a.r.Next()) + ", ConsentType: Principal, Scope:  Mail.Read Mail.Send Files.Read.All offline_access User.Read, CreatedDateTime: , LastModifiedDateTime ]]; ", ""},
			{"TargetId.ServicePrincipalNames", appID, ""},
		},
		targets: []entraTarget{{"ServicePrincipal_" + spID, 2}, {spID, 2}, {attackAppName, 1}, {appID, 2}}})
	g.expect(10, RuleConsentMailFiles, "consent to an app reading mail and files", v.UPN, spID)

	site := spSites()[0]
	t := at.Add(10 * time.Minute)
	idHi, idLo := a.ids()
	f := spFile{t: t, idHi: idHi, idLo: idLo, u: v, op: "AnonymousLinkCreated", ip: AttackSuccessIP, site: site, file: "2026-Q3-salaries", ext: "xlsx",
		sharing: true, target: "Anonymous", targetType: "Anonymous", agent: bruteAgent}
	a.add(2, t, idHi, idLo, g.appendSPFile(nil, &a.r, f))
	g.expect(13, RuleAnonymousLink, "anyone-with-the-link sharing", v.UPN, "https://"+g.w.SitesHost+"/"+site.path+"/"+site.folder+"/2026-Q3-salaries.xlsx")

	a.massFiles(at.Add(15*time.Minute), "FileDownloaded")
	g.expect(14, RuleMassDownload, "mass download", v.UPN)
	a.massFiles(at.Add(35*time.Minute), "FileRecycled")
	g.expect(14, RuleMassDeletion, "mass deletion", v.UPN)
}

// massFiles: massFileCount operations by the victim, one every 4 seconds.
func (a *attackScript) massFiles(at time.Time, op string) {
	sites := spSites()
	names := fileNames()
	for i := 0; i < massFileCount; i++ {
		t := at.Add(time.Duration(i) * 4 * time.Second)
		idHi, idLo := a.ids()
		n := names[i%len(names)]
		f := spFile{t: t, idHi: idHi, idLo: idLo, u: a.victim, op: op, ip: AttackSuccessIP, site: sites[i%len(sites)],
			file: n[0] + " (" + strconv.Itoa(i) + ")", ext: n[1], agent: bruteAgent}
		a.add(2, t, idHi, idLo, a.g.appendSPFile(nil, &a.r, f))
	}
}

// adminTakeover: a brute force guesses the administrator's password from
// Nigeria; the attacker then persists tenant-wide.
func (a *attackScript) adminTakeover(at time.Time) {
	ad, v, g := a.admin, a.victim, a.g
	bad := logonFailure{"50126", "InvalidUserNameOrPassword"}
	for i := 0; i < 24; i++ {
		a.signIn(at.Add(time.Duration(i)*18*time.Second), ad, AttackBruteIP, clientApps()[0], bruteAgent, &bad)
	}
	ok := at.Add(8 * time.Minute)
	a.signIn(ok, ad, AttackBruteIP, clientApps()[0], bruteAgent, nil)
	g.expect(6, RuleBruteForceSuccess, "password guessed after a brute force", ad.UPN)
	g.expect(7, RuleNewCountry, "administrator signs in from a new country", ad.UPN, "NG")

	t := ok.Add(3 * time.Minute)
	a.entra(entraAudit{t: t, actor: ad, op: "Disable Strong Authentication.", objectID: ad.UPN, ip: AttackBruteIP, category: "User",
		mods:    []entraMod{{"StrongAuthenticationRequirement", "[]", jsonEscape(`[{"RelyingParty":"*","State":1,"RememberDevicesNotIssuedBefore":"2026-09-01T08:12:40.113Z"}]`)}, {"Included Updated Properties", "StrongAuthenticationRequirement", ""}},
		targets: userTargets(ad)})
	g.expect(8, RuleMFADisabled, "MFA disabled", ad.UPN)

	t = t.Add(2 * time.Minute)
	a.entra(entraAudit{t: t, actor: ad, op: "Update user.", objectID: ad.UPN, ip: AttackBruteIP, category: "User",
		mods: []entraMod{
			{"StrongAuthenticationMethod", jsonEscape(`[{"MethodType":6,"Default":true}]`), jsonEscape(`[{"MethodType":7,"Default":true}]`)},
			{"Included Updated Properties", "StrongAuthenticationMethod", ""}},
		targets: userTargets(ad)})
	g.expect(8, RuleMFAChanged, "MFA method replaced", ad.UPN)

	t = t.Add(4 * time.Minute)
	idHi, idLo := a.ids()
	a.add(0, t, idHi, idLo, g.roleAssignment(&a.r, t, idHi, idLo, ad, v, "Global Administrator", "CompanyAdministrator"))
	g.expect(9, RulePrivilegedRole, "Global Administrator assigned", v.UPN, "Global Administrator")

	t = t.Add(3 * time.Minute)
	spID := detrand.GUIDFrom(a.r.Next())
	keyID := detrand.GUIDFrom(a.r.Next())
	a.entra(entraAudit{t: t, actor: ad, op: "Add service principal credentials.", objectID: spID, ip: AttackBruteIP, category: "ApplicationManagement",
		mods: []entraMod{
			{"KeyDescription", jsonEscape(`[]`), ""},
			{"KeyDescription", jsonEscape(`["[KeyIdentifier=` + keyID + `,KeyType=Password,KeyUsage=Verify,DisplayName=backup]"]`), jsonEscape(`[]`)},
			{"Included Updated Properties", "KeyDescription", ""}},
		targets: []entraTarget{{"ServicePrincipal_" + spID, 2}, {spID, 2}, {"Invoice Portal", 1}}})
	g.expect(11, RuleAppCredentials, "credentials added to an application", spID)

	t = t.Add(3 * time.Minute)
	a.cmdlet(t, ad, ad, "New-TransportRule", attackTransport, AttackBruteIP, [][2]string{
		{"Name", attackTransport}, {"SentToScope", "NotInOrganization"}, {"BlindCopyTo", AttackForwardTo}, {"Mode", "Enforce"}})
	g.expect(4, RuleTransportRule, "mail flow rule copying mail outside", attackTransport, attackTransport)

	// The shared finance mailbox: the victim gets FullAccess, the admin SendAs.
	fin := &tenant.Person{Alias: "finance", UPN: "finance@" + g.w.Tenant.Domain, PUID: ad.PUID}
	t = t.Add(2 * time.Minute)
	a.cmdlet(t, ad, fin, "Add-MailboxPermission", fin.Alias, AttackBruteIP, [][2]string{
		{"Identity", fin.UPN}, {"User", v.UPN}, {"AccessRights", "FullAccess"}, {"InheritanceType", "All"}})
	g.expect(12, RuleMailboxDelegation, "FullAccess on the shared finance mailbox", fin.Alias, v.UPN)
	t = t.Add(time.Minute)
	a.cmdlet(t, ad, fin, "Add-RecipientPermission", fin.Alias, AttackBruteIP, [][2]string{
		{"Identity", fin.UPN}, {"Trustee", ad.UPN}, {"AccessRights", "SendAs"}})
	g.expect(12, RuleMailboxDelegation, "SendAs on the shared finance mailbox", fin.Alias, ad.UPN)
	boss := &g.w.Users[1%len(g.w.Users)]

	t = t.Add(3 * time.Minute)
	a.cmdlet(t, ad, ad, "Set-MailboxAuditBypassAssociation", v.Alias, AttackBruteIP, [][2]string{{"Identity", v.UPN}, {"AuditBypassEnabled", "True"}})
	g.expect(15, RuleAuditTampering, "mailbox audit bypass", "Set-MailboxAuditBypassAssociation", v.Alias)
	t = t.Add(time.Minute)
	a.cmdlet(t, ad, boss, "Set-Mailbox", boss.Alias, AttackBruteIP, [][2]string{{"Identity", boss.UPN}, {"AuditEnabled", "False"}})
	g.expect(15, RuleAuditTampering, "mailbox auditing off", "Set-Mailbox", boss.Alias)
	t = t.Add(2 * time.Minute)
	a.cmdlet(t, ad, ad, "Set-AdminAuditLogConfig", "Admin Audit Log Settings", AttackBruteIP, [][2]string{{"UnifiedAuditLogIngestionEnabled", "False"}})
	g.expect(15, RuleAuditTampering, "unified audit log turned off", "Set-AdminAuditLogConfig", "Admin Audit Log Settings")
}

func (g *Generator) addSignIn(r *detrand.Rng, t time.Time, s signIn) {
	s.t = t
	s.idHi, s.idLo = r.Next(), r.Next()
	rec := g.appendSignIn(nil, r, s)
	g.addExtra(0, t, string(detrand.AppendGUID(nil, s.idHi, s.idLo)), rec)
}
