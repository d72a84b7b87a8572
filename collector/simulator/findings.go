package simulator

import (
	"net/http"
	"slices"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// Rule ids of AuditLight's built-in detection pack (collector/detect/rules),
// used to name the findings a scenario is expected to raise (see auditgen).
const (
	RuleInboxRuleExternal = auditgen.RuleInboxRuleExternal
	RuleMailboxForwarding = auditgen.RuleMailboxForwarding
	RuleHidingRule        = auditgen.RuleHidingRule
	RuleTransportRule     = auditgen.RuleTransportRule
	RulePasswordSpray     = auditgen.RulePasswordSpray
	RuleBruteForceSuccess = auditgen.RuleBruteForceSuccess
	RuleNewCountry        = auditgen.RuleNewCountry
	RuleMFADisabled       = auditgen.RuleMFADisabled
	RuleMFAChanged        = auditgen.RuleMFAChanged
	RulePrivilegedRole    = auditgen.RulePrivilegedRole
	RuleConsentMailFiles  = auditgen.RuleConsentMailFiles
	RuleAppCredentials    = auditgen.RuleAppCredentials
	RuleMailboxDelegation = auditgen.RuleMailboxDelegation
	RuleAnonymousLink     = auditgen.RuleAnonymousLink
	RuleMassDownload      = auditgen.RuleMassDownload
	RuleMassDeletion      = auditgen.RuleMassDeletion
	RuleAuditTampering    = auditgen.RuleAuditTampering
	RuleMicrosoftAlert    = auditgen.RuleMicrosoftAlert
)

// KindExpectedFindings counts GET /_sim/expected-findings requests.
const KindExpectedFindings = "expected-findings"

// ExpectedFinding is a finding a scenario's storyline must raise exactly
// once (see auditgen.ExpectedFinding).
type ExpectedFinding = auditgen.ExpectedFinding

// ExpectedFindings returns the findings the scenario's storyline must raise,
// each exactly once (attack: every row of the pack). Healthy and
// busy-benign expect none of medium severity or higher: it returns nil.
func (s *Sim) ExpectedFindings() []ExpectedFinding {
	return slices.Clone(s.gen.Expected)
}

// expectedJSON is the body of GET /_sim/expected-findings.
type expectedJSON struct {
	TenantID string            `json:"tenantId"`
	Scenario string            `json:"scenario"`
	Count    int               `json:"count"`
	Findings []ExpectedFinding `json:"findings"`
}

func (s *Sim) serveExpectedFindings(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	fs := s.ExpectedFindings()
	if fs == nil {
		fs = []ExpectedFinding{}
	}
	writeJSON(w, http.StatusOK, expectedJSON{TenantID: s.w.Tenant.ID, Scenario: s.cfg.Scenario, Count: len(fs), Findings: fs})
}
