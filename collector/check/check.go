// Package check is the one-click test connection: ordered checks from the
// typed inputs to a working content listing, each reporting pass, warning or
// failure with a one-line reason and, when something is wrong, the fix and
// the setup-wizard step to go back to. The wizard, the dashboard and
// `auditlight check` all run it.
package check

import (
	"fmt"
	"strings"
)

// Status is the outcome of one check.
type Status int

// Check outcomes.
const (
	Pending Status = iota
	Running
	Pass
	Warn
	Fail
	Skip
)

// String returns the outcome as printed by `auditlight check`.
func (s Status) String() string {
	switch s {
	case Pending:
		return "pending"
	case Running:
		return "running"
	case Pass:
		return "pass"
	case Warn:
		return "warning"
	case Fail:
		return "FAIL"
	case Skip:
		return "skipped"
	}
	return "unknown"
}

// MarshalText renders the status by name in JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(strings.ToLower(s.String())), nil }

// Wizard steps a failed check points back to.
const (
	StepBefore      = "before"      // licence, Global Admin, audit logging in Purview
	StepRegister    = "register"    // the app registration
	StepIDs         = "ids"         // tenant and client IDs
	StepPermissions = "permissions" // API permissions and admin consent
	StepSecret      = "secret"      // client secret value and expiry
	StepCloud       = "cloud"       // Commercial / GCC / GCC High / DoD
)

// Check ids, in the order they run.
const (
	IDInputs        = "inputs"
	IDToken         = "token"
	IDPermissions   = "permissions"
	IDGraph         = "graph"
	IDSubscriptions = "subscriptions"
	IDAuditLog      = "audit-logging"
	IDContent       = "content"
	IDClock         = "clock"
	IDSecretExpiry  = "secret-expiry"
)

var titles = map[string]string{
	IDInputs:        "Tenant, client ID and secret look right",
	IDToken:         "Sign in to Entra ID (Management API token)",
	IDPermissions:   "Management API application permissions",
	IDGraph:         "Microsoft Graph (User.Read.All)",
	IDSubscriptions: "Management API subscriptions",
	IDAuditLog:      "Unified Audit Logging is on",
	IDContent:       "Audit content can be listed",
	IDClock:         "Computer clock",
	IDSecretExpiry:  "Client secret expiry",
}

// Order is the order in which checks run.
func Order() []string {
	return []string{IDInputs, IDToken, IDPermissions, IDGraph, IDSubscriptions, IDAuditLog, IDContent, IDClock, IDSecretExpiry}
}

// Title returns the check's human title.
func Title(id string) string { return titles[id] }

// Result is one check's outcome.
type Result struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	Reason string `json:"reason"`
	Fix    string `json:"fix,omitempty"`
	Step   string `json:"step,omitempty"` // wizard step to go back to
	// Waitable marks a failure only time fixes: audit logging was just
	// switched on and Microsoft has not started serving it (24–72 h).
	Waitable bool `json:"waitable,omitempty"`
}

// Report is the whole test connection.
type Report struct {
	Results  []Result `json:"results"`
	TenantID string   `json:"tenantId,omitempty"` // the tenant GUID from the token
	OK       bool     `json:"ok"`                 // no check failed
}

// Failed returns the first failed check, if any.
func (r Report) Failed() (Result, bool) {
	for _, res := range r.Results {
		if res.Status == Fail {
			return res, true
		}
	}
	return Result{}, false
}

// Get returns the result of the check with the given id.
func (r Report) Get(id string) (Result, bool) {
	for _, res := range r.Results {
		if res.ID == id {
			return res, true
		}
	}
	return Result{}, false
}

// Text renders the report as plain text to copy into a ticket or e-mail.
func (r Report) Text() string {
	var b strings.Builder
	b.WriteString("AuditLight test connection\n")
	for _, res := range r.Results {
		fmt.Fprintf(&b, "[%s] %s: %s\n", res.Status, res.Title, res.Reason)
		if res.Fix != "" && (res.Status == Fail || res.Status == Warn) {
			fmt.Fprintf(&b, "    Fix: %s\n", res.Fix)
		}
	}
	if r.OK {
		b.WriteString("Result: connected\n")
	} else {
		b.WriteString("Result: not connected\n")
	}
	return b.String()
}
