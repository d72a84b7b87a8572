package setup

import (
	"fmt"
	"strings"
)

// CheckStatus is the state of one connection check.
type CheckStatus int

// Check states, in the order a check moves through them.
const (
	CheckPending CheckStatus = iota
	CheckRunning
	CheckPass
	CheckWarn
	CheckFail
	CheckSkip
)

var checkStatusNames = [...]string{"pending", "running", "pass", "warn", "fail", "skip"}

// String returns the status name ("pass", "fail", ...).
func (s CheckStatus) String() string {
	if s < 0 || int(s) >= len(checkStatusNames) {
		return "unknown"
	}
	return checkStatusNames[s]
}

// CheckResult is the outcome of one connection check.
type CheckResult struct {
	ID     string // stable identifier, e.g. "token", "audit-enabled"
	Title  string // "Sign in to Microsoft Entra ID"
	Status CheckStatus
	Reason string // plain-English explanation
	Fix    string // what the admin should do, "" when nothing
	Step   string // wizard step that fixes it (see the Step* constants), "" when none
	// Waitable marks a failure only time fixes (audit logging just switched
	// on): the wizard then offers "Save and keep trying".
	Waitable bool
}

// CheckReport is the result of a whole test connection.
type CheckReport struct {
	Results  []CheckResult
	OK       bool
	TenantID string // tenant GUID from the token, when sign-in worked
}

// Text renders the report as plain text that an admin can paste into an
// e-mail or a support ticket. It never contains a secret.
func (r CheckReport) Text() string {
	var b strings.Builder
	verdict := "FAILED"
	if r.OK {
		verdict = "OK"
	}
	fmt.Fprintf(&b, "AuditLight test connection: %s\n", verdict)
	if r.TenantID != "" {
		fmt.Fprintf(&b, "Tenant ID: %s\n", r.TenantID)
	}
	for _, c := range r.Results {
		fmt.Fprintf(&b, "[%s] %s", strings.ToUpper(c.Status.String()), c.Title)
		if c.Reason != "" {
			fmt.Fprintf(&b, " — %s", c.Reason)
		}
		b.WriteByte('\n')
		if c.Fix != "" && (c.Status == CheckFail || c.Status == CheckWarn) {
			fmt.Fprintf(&b, "    Fix: %s\n", c.Fix)
		}
	}
	return b.String()
}

// upsertResult replaces the result with the same ID or appends it.
func upsertResult(rs []CheckResult, r CheckResult) []CheckResult {
	for i := range rs {
		if rs[i].ID == r.ID {
			rs[i] = r
			return rs
		}
	}
	return append(rs, r)
}
