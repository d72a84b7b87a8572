package auditgen

import "strings"

// Rule ids of AuditLight's built-in detection pack (collector/detect/rules),
// used to name the findings a scenario is expected to raise.
const (
	RuleInboxRuleExternal = "9082ecc0-43b0-45e1-b9f2-fe5c96955d38"
	RuleMailboxForwarding = "3134994f-48f5-48b9-9442-75f414a71a04"
	RuleHidingRule        = "46fdc266-7bee-4afc-bf8b-c23d99043689"
	RuleTransportRule     = "873b00f4-650f-4c69-9c6e-1928dd0fb058"
	RulePasswordSpray     = "664a1672-32d3-402a-b4f3-ed45f04d432e"
	RuleBruteForceSuccess = "3f8bab7f-5306-4a99-9dd0-980ae3157b17"
	RuleNewCountry        = "2866f998-90dd-4a92-b5b2-62c7507251f4"
	RuleMFADisabled       = "a3bcb0b4-ebed-4e4a-a22d-174b7a432102"
	RuleMFAChanged        = "96a04aa5-8efd-41a5-98ae-b470ae1f2997"
	RulePrivilegedRole    = "0521ec79-8788-4490-8371-22e6f1c82a55"
	RuleConsentMailFiles  = "049c1d18-be0f-4f0d-b61d-dba8bf8ef4f2"
	RuleAppCredentials    = "950b35dc-724f-418a-8a32-c757291b77dc"
	RuleMailboxDelegation = "6e718f47-e84c-465b-91a6-0d54845ff2e7"
	RuleAnonymousLink     = "0d6c76aa-5fdc-4850-a8b7-f2b0d5075a37"
	RuleMassDownload      = "e973f306-5129-4e16-9ba2-1149002fa8a2"
	RuleMassDeletion      = "320bca6b-f305-4e82-bc28-5efb8703e349"
	RuleAuditTampering    = "fd49eaf2-d37a-42d5-9a38-ab81b4360a54"
	RuleMicrosoftAlert    = "d84e8bd6-8447-4a78-97d2-0b2e1bd23975"
)

// ExpectedFinding is a finding a scenario's storyline must raise exactly
// once: the rule and the finding key as the rule pack forms it (its key
// fields' values joined by " / ").
type ExpectedFinding struct {
	RuleID string `json:"ruleId"`
	// Row is the detections.md pack row (1..16) the finding proves.
	Row int    `json:"row"`
	Key string `json:"key"`
	// What is a short description of the storyline step.
	What string `json:"what"`
}

func (g *Generator) expect(row int, rule, what string, key ...string) {
	g.Expected = append(g.Expected, ExpectedFinding{RuleID: rule, Row: row, Key: strings.Join(key, " / "), What: what})
}
