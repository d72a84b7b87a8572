package findings

import "github.com/auditlight/auditlight/collector/finding"

// Scope is the list's status filter.
type Scope string

// Scopes offered above the list.
const (
	ScopeNew  Scope = "New"  // only findings nobody has looked at
	ScopeOpen Scope = "Open" // new or acknowledged (the default)
	ScopeAll  Scope = "All"  // every finding, resolved and false positives too
)

// scopes lists the scopes in the order the filter shows them.
func scopes() []Scope { return []Scope{ScopeNew, ScopeOpen, ScopeAll} }

// filter is the query for a scope.
func (s Scope) filter() finding.Filter {
	switch s {
	case ScopeNew:
		return finding.Filter{Statuses: []finding.Status{finding.StatusNew}}
	case ScopeOpen:
		return finding.Filter{Statuses: []finding.Status{finding.StatusNew, finding.StatusAcknowledged}}
	}
	return finding.Filter{}
}

// emptyText is what the list says when the scope has no finding.
func (s Scope) emptyText() string {
	switch s {
	case ScopeNew:
		return "No new findings."
	case ScopeOpen:
		return "No open findings: nothing needs your attention."
	}
	return "No findings yet. AuditLight checks every audit record as it arrives."
}
