package auditgen

import (
	"strconv"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// benignNearMissUsers is how many accounts mistype their password on one
// shared network in the tenant's home country (the spray threshold is 10).
const benignNearMissUsers = 9

// AddBusyBenign injects, on each of the last 7 days, activity that looks
// like the attack but is not: near misses every rule of the pack must let
// pass (internal forwarding rules, failures below thresholds, non-privileged
// role changes, downloads and deletions below the mass threshold, travel
// within the home country, system permission grants, consent to a
// sign-in-only app, auditing switched on).
func (g *Generator) AddBusyBenign(start time.Time) {
	users := g.w.Users
	if len(users) < 3 {
		return
	}
	for day := 1; day <= 7; day++ {
		r := detrand.New(detrand.Hash(g.seed, 0xbe9191, uint64(day)))
		base := start.Add(-time.Duration(day) * 24 * time.Hour).Truncate(time.Hour).Add(time.Duration(9+r.Intn(6)) * time.Hour)
		b := &benignDay{attackScript{g: g, r: r, admin: &users[0]}}
		b.mail(base)
		b.signIns(base.Add(20 * time.Minute))
		b.directory(base.Add(40 * time.Minute))
		b.files(base.Add(70 * time.Minute))
	}
}

// benignDay reuses the storyline helpers for one day of near misses.
type benignDay struct{ attackScript }

func (b *benignDay) colleague(not *tenant.Person) *tenant.Person {
	users := b.g.w.Users
	for {
		u := &users[b.r.Intn(len(users))]
		if u != not {
			return u
		}
	}
}

// mail: forwarding and rules that stay inside the tenant, SendAs granted by
// the system to NT AUTHORITY\SELF, a transport rule copying to an internal
// compliance mailbox.
func (b *benignDay) mail(at time.Time) {
	g := b.g
	u := b.g.user(&b.r)
	to := b.colleague(u)
	ip := u.OfficeIP
	b.cmdlet(at, u, u, "New-InboxRule", u.Alias+"\\\\Holiday cover", ip, [][2]string{
		{"Name", "Holiday cover"}, {"ForwardTo", to.UPN}, {"StopProcessingRules", "False"}})
	t := at.Add(3 * time.Minute)
	idHi, idLo := b.ids()
	b.add(1, t, idHi, idLo, g.outlookRule(nil, &b.r, t, idHi, idLo, u, ip, "Invoices to accounts",
		forwardAction(to.UPN), fromCondition("billing@supplier-demo.example")))
	b.cmdlet(at.Add(5*time.Minute), u, u, "New-InboxRule", u.Alias+"\\\\Newsletters", ip, [][2]string{
		{"Name", "Newsletters"}, {"MoveToFolder", "Newsletters"}, {"MarkAsRead", "True"}})
	target := b.colleague(b.admin)
	b.cmdlet(at.Add(7*time.Minute), b.admin, target, "Set-Mailbox", target.Alias, b.admin.OfficeIP, [][2]string{
		{"Identity", target.UPN}, {"ForwardingSmtpAddress", "smtp:" + b.colleague(target).UPN}, {"DeliverToMailboxAndForward", "True"}})
	b.cmdlet(at.Add(9*time.Minute), b.admin, b.admin, "New-TransportRule", "Legal hold copy", b.admin.OfficeIP, [][2]string{
		{"Name", "Legal hold copy"}, {"BlindCopyTo", "compliance@" + g.w.Tenant.Domain}, {"Mode", "Enforce"}})
	sys := &tenant.Person{UPN: systemUser, PUID: systemUser}
	b.cmdlet(at.Add(11*time.Minute), sys, u, "Add-RecipientPermission", u.Alias, "", [][2]string{
		{"Identity", u.UPN}, {"Trustee", "NT AUTHORITY\\\\SELF"}, {"AccessRights", "SendAs"}})
	b.cmdlet(at.Add(12*time.Minute), sys, u, "Add-MailboxPermission", u.Alias, "", [][2]string{
		{"Identity", u.UPN}, {"User", "NT AUTHORITY\\\\SELF"}, {"AccessRights", "FullAccess, ReadPermission"}, {"InheritanceType", "All"}})
	b.cmdlet(at.Add(14*time.Minute), b.admin, b.admin, "Set-AdminAuditLogConfig", "Admin Audit Log Settings", b.admin.OfficeIP,
		[][2]string{{"UnifiedAuditLogIngestionEnabled", "True"}})
	b.cmdlet(at.Add(15*time.Minute), b.admin, target, "Set-Mailbox", target.Alias, b.admin.OfficeIP, [][2]string{
		{"Identity", target.UPN}, {"AuditEnabled", "True"}})
}

// signIns: nine accounts mistype their password on one shared network (the
// spray threshold is ten), one user fails 15 times then succeeds (the brute
// force threshold is 20), and a user signs in from another city of the home
// country.
func (b *benignDay) signIns(at time.Time) {
	users := b.g.w.Users
	hotel := tenant.IPIn(&b.r, b.g.w.Home)
	bad := logonFailure{"50126", "InvalidUserNameOrPassword"}
	for i := 0; i < min(benignNearMissUsers, len(users)); i++ {
		b.signIn(at.Add(time.Duration(i)*40*time.Second), &users[i], hotel, clientApps()[1], userAgents()[1], &bad)
		b.signIn(at.Add(time.Duration(i)*40*time.Second+20*time.Second), &users[i], hotel, clientApps()[1], userAgents()[1], nil)
	}
	u := b.g.user(&b.r)
	t := at.Add(15 * time.Minute)
	for i := 0; i < 15; i++ {
		b.signIn(t.Add(time.Duration(i)*25*time.Second), u, u.HomeIP, clientApps()[2], userAgents()[3], &bad)
	}
	b.signIn(t.Add(8*time.Minute), u, u.HomeIP, clientApps()[2], userAgents()[3], nil)
	trav := b.g.user(&b.r)
	b.signIn(at.Add(30*time.Minute), trav, tenant.IPIn(&b.r, b.g.w.Home), clientApps()[0], userAgents()[3], nil)
}

// directory: non-privileged roles, a sign-in-only app consent, a profile
// update that does not touch MFA, and a failed Global Administrator
// assignment.
func (b *benignDay) directory(at time.Time) {
	g := b.g
	u := b.colleague(b.admin)
	idHi, idLo := b.ids()
	role := detrand.Pick(&b.r, [][2]string{{"Reports Reader", "ReportsReader"}, {"Message Center Reader", "MessageCenterReader"}, {"Helpdesk Administrator", "HelpdeskAdministrator"}})
	b.add(0, at, idHi, idLo, g.roleAssignment(&b.r, at, idHi, idLo, b.admin, u, role[0], role[1]))
	spID := detrand.GUIDFrom(b.r.Next())
	b.entra(entraAudit{t: at.Add(5 * time.Minute), actor: u, op: "Consent to application.", objectID: spID, ip: u.OfficeIP, category: "ApplicationManagement",
		mods: []entraMod{
			{"ConsentContext.IsAdminConsent", "False", ""},
			{"ConsentAction.Permissions", "[] => [[Id: " + detrand.GUIDFrom(b.r.Next()) + ", ClientId: " + spID + ", PrincipalId: " + u.ID +
				", ResourceId: " + detrand.GUIDFrom(b.r.Next()) + ", ConsentType: Principal, Scope:  openid profile email User.Read, CreatedDateTime: , LastModifiedDateTime ]]; ", ""},
		},
		targets: []entraTarget{{"ServicePrincipal_" + spID, 2}, {"Calendly", 1}}})
	b.entra(entraAudit{t: at.Add(8 * time.Minute), actor: b.admin, op: "Update user.", objectID: u.UPN, ip: b.admin.OfficeIP, category: "User",
		mods:    []entraMod{{"MobilePhone", "+44 7700 900" + strconv.Itoa(100+b.r.Intn(800)), ""}, {"Included Updated Properties", "MobilePhone", ""}},
		targets: userTargets(u)})
	b.entra(entraAudit{t: at.Add(10 * time.Minute), actor: u, op: "Add member to role.", objectID: u.UPN, ip: u.OfficeIP, category: "Role", result: "Failure",
		mods:    []entraMod{{"Role.DisplayName", "Global Administrator", ""}, {"Role.WellKnownObjectName", "CompanyAdministrator", ""}},
		targets: userTargets(u)})
}

// files: 40 downloads and 40 deletions in five minutes (the pack's
// threshold is 50), and a link shared with a named guest.
func (b *benignDay) files(at time.Time) {
	g := b.g
	u := g.user(&b.r)
	sites, names := spSites(), fileNames()
	for k, op := range []string{"FileDownloaded", "FileDeleted"} {
		base := at.Add(time.Duration(k) * 30 * time.Minute)
		for i := 0; i < 40; i++ {
			t := base.Add(time.Duration(i) * 7 * time.Second)
			idHi, idLo := b.ids()
			n := names[i%len(names)]
			f := spFile{t: t, idHi: idHi, idLo: idLo, u: u, op: op, ip: u.OfficeIP, site: sites[i%len(sites)],
				file: n[0] + " " + strconv.Itoa(i), ext: n[1], agent: userAgents()[0]}
			b.add(2, t, idHi, idLo, g.appendSPFile(nil, &b.r, f))
		}
	}
	t := at.Add(70 * time.Minute)
	idHi, idLo := b.ids()
	f := spFile{t: t, idHi: idHi, idLo: idLo, u: u, op: "SharingInvitationCreated", ip: u.OfficeIP, site: sites[2], file: "Proposal Northwind", ext: "docx",
		sharing: true, target: "buyer@northwind-partner.example", targetType: "Guest", agent: userAgents()[0]}
	b.add(2, t, idHi, idLo, g.appendSPFile(nil, &b.r, f))
}
