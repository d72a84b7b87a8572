package finding

import (
	"fmt"
	"strings"
)

// Status is where a finding is in the admin's workflow.
type Status string

// Statuses. A finding starts New; the admin acknowledges it (looking into
// it), resolves it (dealt with) or marks it a false positive (optionally
// with an allow-list entry so the same value no longer raises findings).
const (
	StatusNew           Status = "new"
	StatusAcknowledged  Status = "acknowledged"
	StatusResolved      Status = "resolved"
	StatusFalsePositive Status = "false-positive"
)

// Statuses returns every status in workflow order.
func Statuses() []Status {
	return []Status{StatusNew, StatusAcknowledged, StatusResolved, StatusFalsePositive}
}

// Open reports whether the finding still needs attention (new or
// acknowledged). A repeat of an open finding is merged into it.
func (s Status) Open() bool { return s == StatusNew || s == StatusAcknowledged }

// Label is the status as shown to people ("False positive").
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "New"
	case StatusAcknowledged:
		return "Acknowledged"
	case StatusResolved:
		return "Resolved"
	case StatusFalsePositive:
		return "False positive"
	}
	return string(s)
}

// ParseStatus reads a status; "ack" and "fp" are accepted as short forms.
func ParseStatus(s string) (Status, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "new":
		return StatusNew, nil
	case "acknowledged", "ack":
		return StatusAcknowledged, nil
	case "resolved", "resolve":
		return StatusResolved, nil
	case "false-positive", "false_positive", "falsepositive", "fp":
		return StatusFalsePositive, nil
	}
	return "", fmt.Errorf("unknown status %q (want new, acknowledged, resolved or false-positive)", s)
}
