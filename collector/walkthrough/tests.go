package walkthrough

// TestID names one detection test.
type TestID string

// The two tests of the guide.
const (
	// ForwardingRule: an inbox rule made in Outlook on the web that forwards
	// to an external address (detected by the external forwarding rule).
	ForwardingRule TestID = "forwarding-rule"
	// GlobalAdmin: Global Administrator assigned to a test user (detected by
	// the privileged role rule).
	GlobalAdmin TestID = "global-admin"
)

// Rule ids of the built-in pack that the tests wait for (package detect's
// tests check that these rules exist).
const (
	ruleExternalForwarding = "9082ecc0-43b0-45e1-b9f2-fe5c96955d38"
	rulePrivilegedRole     = "0521ec79-8788-4490-8371-22e6f1c82a55"
)

// Instruction is one thing to do, optionally on a given page.
type Instruction struct {
	Text string `json:"text"`
	Link string `json:"link,omitempty"`
}

// Test describes one detection test.
type Test struct {
	ID    TestID
	Title string
	// RuleID is the rule whose finding passes the test.
	RuleID string
	// Operations are the audit operations the test action is logged as; the
	// waiting step shows how many such records arrived so far.
	Operations []string
	// Instructions are the exact clicks of step 1.
	Instructions []Instruction
	// Cleanup is what to undo once the test passed.
	Cleanup []Instruction
}

// Outlook on the web and admin portal pages the instructions link to.
const (
	linkOutlookRules = "https://outlook.office.com/mail/options/mail/rules"
	linkEntraUsers   = "https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers"
	linkEntraRoles   = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/RolesManagementMenuBlade/~/AllRoles"
)

// Tests returns the tests in the order the guide presents them.
func Tests() []Test {
	return []Test{
		{
			ID:         ForwardingRule,
			Title:      "External forwarding rule",
			RuleID:     ruleExternalForwarding,
			Operations: []string{"New-InboxRule", "Set-InboxRule", "UpdateInboxRules"},
			Instructions: []Instruction{
				{Text: "Sign in to Outlook on the web with a mailbox of your organisation and open Settings → Mail → Rules.", Link: linkOutlookRules},
				{Text: "Click \"+ Add new rule\" and name it \"AuditLight test\"."},
				{Text: "Under \"Add a condition\" choose \"Apply to all messages\"."},
				{Text: "Under \"Add an action\" choose \"Forward to\" and type an address outside your organisation (for example a personal mailbox you own)."},
				{Text: "Click Save, then come back here and press \"I created the rule\"."},
			},
			Cleanup: []Instruction{
				{Text: "Delete the \"AuditLight test\" rule: Outlook on the web → Settings → Mail → Rules → the bin icon next to it.", Link: linkOutlookRules},
				{Text: "Mark the finding resolved in AuditLight."},
			},
		},
		{
			ID:         GlobalAdmin,
			Title:      "Global Administrator assigned",
			RuleID:     rulePrivilegedRole,
			Operations: []string{"Add member to role."},
			Instructions: []Instruction{
				{Text: "Open the Microsoft Entra admin center → Identity → Users and pick a test user (create one if you have none: it needs no licence).", Link: linkEntraUsers},
				{Text: "Open the user, then Assigned roles → \"+ Add assignments\"."},
				{Text: "Select \"Global Administrator\" and click Add (choose \"Active\" if asked), then come back here and press \"I assigned the role\"."},
			},
			Cleanup: []Instruction{
				{Text: "Remove the role again: Entra admin center → Roles & admins → Global Administrator → select the test user → Remove assignments.", Link: linkEntraRoles},
				{Text: "Mark the finding resolved in AuditLight."},
			},
		},
	}
}

// TestByID returns the test with id.
func TestByID(id TestID) (Test, bool) {
	for _, t := range Tests() {
		if t.ID == id {
			return t, true
		}
	}
	return Test{}, false
}
