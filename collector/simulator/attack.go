package simulator

import (
	"strconv"
	"time"
)

// Attack storyline constants: the addresses the attacker uses.
const (
	attackSprayIP   = "95.165.12.77" // password spray source (RU)
	attackSuccessIP = "14.161.22.75" // successful sign-in from a new country (VN: no simulated user ever travels there)
	attackForwardTo = "archive.collector@proton-mail.example"
	attackRuleName  = "Sync backup"
	sprayAgent      = "python-requests/2.32.3"
)

// addAttack injects the attack storyline relative to start (the simulator's
// now at Start): a spray against many users four hours ago, a successful
// sign-in from a new country three hours ago, then an external forwarding
// inbox rule, a Set-Mailbox forward and an alert.
func (g *generator) addAttack(start time.Time) {
	r := newRng(hashOf(g.seed, 0xa77ac4))
	users := g.w.users
	victim := &users[len(users)/2]
	sprayStart := start.Add(-4 * time.Hour).Truncate(time.Second)
	failures := []logonFailure{{"50126", "InvalidUserNameOrPassword"}, {"50126", "InvalidUserNameOrPassword"}, {"50053", "IdsLocked"}}
	n := min(len(users), 40)
	for i := 0; i < n; i++ {
		u := &users[(i*7)%len(users)]
		for a := 0; a < 2; a++ {
			t := sprayStart.Add(time.Duration(i*2+a) * 17 * time.Second)
			f := pick(&r, failures)
			g.addSignIn(&r, t, signIn{u: u, ip: attackSprayIP, app: clientApps()[2], agent: sprayAgent, fail: &f})
		}
	}
	success := start.Add(-3 * time.Hour).Truncate(time.Second)
	g.addSignIn(&r, success, signIn{u: victim, ip: attackSuccessIP, app: clientApps()[0], agent: userAgents()[0]})
	ruleAt := success.Add(9 * time.Minute)
	params := [][2]string{{"Name", attackRuleName}, {"ForwardTo", attackForwardTo}, {"DeleteMessage", "True"}, {"MarkAsRead", "True"}, {"StopProcessingRules", "True"}}
	idHi, idLo := r.next(), r.next()
	rec := g.adminCmdlet(nil, &r, ruleAt, idHi, idLo, victim, victim, "New-InboxRule", victim.Alias+"\\\\"+attackRuleName,
		attackSuccessIP+":"+strconv.Itoa(50412), params)
	g.addExtra(1, ruleAt, string(appendGUID(nil, idHi, idLo)), rec)

	fwdAt := ruleAt.Add(2 * time.Minute)
	params = [][2]string{{"Identity", victim.UPN}, {"ForwardingSmtpAddress", "smtp:" + attackForwardTo}, {"DeliverToMailboxAndForward", "False"}}
	idHi, idLo = r.next(), r.next()
	rec = g.adminCmdlet(nil, &r, fwdAt, idHi, idLo, victim, victim, "Set-Mailbox", victim.Alias, attackSuccessIP+":50433", params)
	g.addExtra(1, fwdAt, string(appendGUID(nil, idHi, idLo)), rec)

	alertAt := ruleAt.Add(20 * time.Minute)
	idHi, idLo = r.next(), r.next()
	rec = g.alertRecord(nil, &r, alertAt, idHi, idLo, alert{name: "Suspicious email forwarding activity", severity: "Medium",
		category: "ThreatManagement", user: victim.UPN, op: "CreateForwardingRule", workload: "Exchange"})
	g.addExtra(3, alertAt, string(appendGUID(nil, idHi, idLo)), rec)
}

func (g *generator) addSignIn(r *rng, t time.Time, s signIn) {
	s.t = t
	s.idHi, s.idLo = r.next(), r.next()
	rec := g.appendSignIn(nil, r, s)
	g.addExtra(0, t, string(appendGUID(nil, s.idHi, s.idLo)), rec)
}
