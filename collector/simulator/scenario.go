package simulator

import (
	"fmt"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// Scenario names accepted in Config.Scenario.
const (
	ScenarioHealthy              = "healthy"
	ScenarioAuditOff             = "audit-off"
	ScenarioNoConsent            = "no-consent"
	ScenarioDelegatedOnly        = "delegated-only"
	ScenarioNoDLPPermission      = "no-dlp-permission"
	ScenarioNoGraphPermission    = "no-graph-permission"
	ScenarioSubscriptionDisabled = "subscription-disabled"
	ScenarioThrottled            = "throttled"
	ScenarioFlaky                = "flaky"
	ScenarioFirstDay             = "first-day"
	ScenarioExpiredSecret        = "expired-secret"
	ScenarioAttack               = "attack"
	ScenarioSkewedClock          = "skewed-clock"
	ScenarioBusyBenign           = "busy-benign"
)

type scenarioDef struct {
	name  string
	desc  string
	apply func(st *State, now time.Time)
}

func scenarioDefs() []scenarioDef {
	return []scenarioDef{
		{ScenarioHealthy, "Audit logging on, all application permissions consented, a seven-day backlog, no faults.", nil},
		{ScenarioAuditOff, "Unified audit logging is off: starting a subscription fails with the DataServiceException error.", func(st *State, _ time.Time) {
			st.AuditEnabled = false
		}},
		{ScenarioNoConsent, "Permissions were added but admin consent was never granted: tokens carry no roles at all.", func(st *State, _ time.Time) {
			st.AdminConsent = false
		}},
		{ScenarioDelegatedOnly, "Management API and Graph permissions were added as Delegated instead of Application (Application.Read.All is an application role).", func(st *State, _ time.Time) {
			st.AppRoles = map[string][]string{ResourceGraph: {RoleApplicationReadAll}}
			st.DelegatedScopes = map[string][]string{
				ResourceManagementAPI: {RoleActivityFeedRead, RoleActivityFeedReadDlp, RoleServiceHealthRead},
				ResourceGraph:         {RoleUserReadAll},
			}
		}},
		{ScenarioNoDLPPermission, "ActivityFeed.ReadDlp is missing: DLP.All is refused with AF10001, the other content types work.", func(st *State, _ time.Time) {
			st.AppRoles[ResourceManagementAPI] = []string{RoleActivityFeedRead, RoleServiceHealthRead}
		}},
		{ScenarioNoGraphPermission, "No Microsoft Graph application permissions: user names and secret expiry cannot be read.", func(st *State, _ time.Time) {
			delete(st.AppRoles, ResourceGraph)
		}},
		{ScenarioSubscriptionDisabled, "The Audit.Exchange subscription was disabled by an administrator (AF20023 until restarted).", func(st *State, now time.Time) {
			for _, ct := range auditgen.ContentTypeNames() {
				s := st.sub(ct)
				s.Status = SubEnabled
				s.FirstStart = now.Add(-30 * 24 * time.Hour)
				s.LastStart = s.FirstStart
			}
			st.sub("Audit.Exchange").Status = SubDisabled
		}},
		{ScenarioThrottled, "A small request budget (120/min) and occasional 403 AF429 answers.", func(st *State, _ time.Time) {
			st.Faults.RequestsPerMinute = 120
			st.Faults.RateAF429 = 0.05
		}},
		{ScenarioFlaky, "429s with Retry-After, 500/503s, truncated bodies, slow answers, 60-second tokens, replayed records and late blobs.", func(st *State, _ time.Time) {
			st.Faults.Rate429 = 0.05
			st.Faults.Rate500 = 0.03
			st.Faults.Rate503 = 0.03
			st.Faults.TruncateRate = 0.03
			st.Faults.SlowRate = 0.05
			st.Faults.SlowDelay = 300 * time.Millisecond
			st.Faults.TokenLifetime = 60 * time.Second
			st.Faults.ReplayRate = 0.1
			st.Faults.LateBlobRate = 0.05
		}},
		{ScenarioFirstDay, "Subscriptions were started 20 minutes ago: no content is listed until 12 hours after the first start.", func(st *State, now time.Time) {
			for _, ct := range auditgen.ContentTypeNames() {
				s := st.sub(ct)
				s.Status = SubEnabled
				s.FirstStart = now.Add(-20 * time.Minute)
				s.LastStart = s.FirstStart
			}
			st.Faults.FirstDataDelay = 12 * time.Hour
		}},
		{ScenarioExpiredSecret, "The client secret has expired (AADSTS7000222).", func(st *State, _ time.Time) {
			st.SecretExpired = true
		}},
		{ScenarioAttack, "Healthy tenant plus, in the last hours, an attack touching every detection rule: a password spray, a sign-in from a new country, external forwarding and hiding rules, a brute-forced admin who turns MFA off, assigns Global Administrator, consents an app, adds app credentials, a transport rule, mailbox permissions, turns auditing off, and mass file download and deletion.", nil},
		{ScenarioBusyBenign, "Healthy tenant with, every day, near misses of every detection: internal forwarding rules, sign-in failures below thresholds, travel within the home country, non-privileged roles, sign-in-only app consent, downloads and deletions below the mass threshold.", nil},
		{ScenarioSkewedClock, "The service clock (Date header and time rules) runs 10 minutes ahead of the local clock.", func(st *State, _ time.Time) {
			st.Faults.ClockSkew = 10 * time.Minute
		}},
	}
}

// Scenarios returns the scenario names in a stable order; Describe gives a
// one-line description of each.
func Scenarios() []string {
	defs := scenarioDefs()
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.name
	}
	return out
}

// Describe returns the one-line description of a scenario, or "" when unknown.
func Describe(name string) string {
	for _, d := range scenarioDefs() {
		if d.name == name {
			return d.desc
		}
	}
	return ""
}

func lookupScenario(name string) (scenarioDef, error) {
	for _, d := range scenarioDefs() {
		if d.name == name {
			return d, nil
		}
	}
	return scenarioDef{}, fmt.Errorf("unknown scenario %q (known: %v)", name, Scenarios())
}

// healthyState is the baseline every scenario modifies.
func healthyState() State {
	return State{
		AuditEnabled: true,
		AppRoles: map[string][]string{
			ResourceManagementAPI: {RoleActivityFeedRead, RoleActivityFeedReadDlp, RoleServiceHealthRead},
			ResourceGraph:         {RoleUserReadAll, RoleApplicationReadAll},
		},
		DelegatedScopes: map[string][]string{},
		AdminConsent:    true,
		Subscriptions:   map[string]*Subscription{},
	}
}
