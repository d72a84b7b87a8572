package finding

import "time"

// Filter selects findings. The zero value selects every finding, newest
// (by LastSeen) first.
type Filter struct {
	// Statuses keeps findings in any of these statuses; empty = all.
	Statuses []Status
	// MinSeverity keeps findings at or above this severity.
	MinSeverity Severity
	// Since keeps findings whose LastSeen is at or after Since (zero = no bound).
	Since time.Time
	// RuleID keeps one rule's findings; empty = all rules.
	RuleID string
	// Key keeps findings about this key (case-insensitive); empty = all.
	Key string
	// Limit caps the rows returned; 0 = no cap.
	Limit int
}

// Summary counts findings for the dashboard badge, the tray line and the
// CLI exit code.
type Summary struct {
	New          int       // findings in StatusNew
	NewHigh      int       // new findings of High or Critical severity
	Open         int       // new or acknowledged
	Highest      Severity  // highest severity among new findings (Informational when none)
	LastDetected time.Time // DetectedAt of the newest new finding (zero when none)
}
