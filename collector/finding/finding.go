package finding

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Finding is what a detection rule found: one rule on one key (a user, an IP
// address, an inbox rule's name) over a span of time, with the audit records
// that prove it. Repeats of the same rule on the same key within the rule's
// window are merged into one finding (Count goes up, LastSeen moves); a
// repeat that comes within the window of two findings makes them one.
type Finding struct {
	ID        int64    // stable identifier (the CLI's ID argument)
	RuleID    string   // the Sigma rule id
	RuleTitle string   // the rule's title
	Key       string   // what the finding is about: user, IP address or rule name
	Severity  Severity // the rule's level (Microsoft's severity for passed-through alerts)
	Status    Status
	// FirstSeen and LastSeen are the CreationTime of the oldest and newest
	// evidence record (when it happened, not when AuditLight learnt of it).
	FirstSeen, LastSeen time.Time
	DetectedAt          time.Time // when AuditLight raised the finding
	UpdatedAt           time.Time // last merge or status change
	Count               int       // how many records matched: its distinct evidence records (a finding stored before round 9 counted matches until it next grew)
	// Evidence holds audit record Ids (the feed's Event.ID), oldest first.
	// Queries that list findings leave it empty; Get fills it (capped at
	// MaxEvidence; EvidenceCount is the full number).
	Evidence      []string
	EvidenceCount int
	What          string // plain words: what happened
	Why           string // plain words: why it matters
	Steps         []Step // what to do, in order
	// AllowKind names what an allow-list entry for this finding would cover
	// ("forwarding domain", "IP address"); empty when the rule has none.
	AllowKind string
	// AllowValues are the values the admin may mark as fine (for example
	// the external domains an inbox rule forwards to).
	AllowValues []string
	Backfill    bool   // raised while catching up on the first 7-day backfill
	Note        string // the admin's note from the last status change
}

// MaxEvidence caps how many evidence record Ids Get returns.
const MaxEvidence = 500

// Step is one thing the admin should do, optionally with the exact portal
// page to do it on.
type Step struct {
	Text string `json:"text"`
	Link string `json:"link,omitempty"`
}

// Title is the one-line summary used by notifications and lists:
// "Password spray: 203.0.113.7".
func (f Finding) Title() string {
	if f.Key == "" {
		return f.RuleTitle
	}
	return f.RuleTitle + ": " + f.Key
}

// Match is one firing of a rule, before it is merged into a finding. The
// detection engine produces it; the store turns it into a new finding or a
// repeat of an open one.
type Match struct {
	RuleID, RuleTitle   string
	Key                 string
	Severity            Severity
	FirstSeen, LastSeen time.Time // CreationTime span of the evidence
	Evidence            []string  // record Ids; never empty
	What, Why           string
	Steps               []Step
	AllowKind           string
	AllowValues         []string
	// Window is the rule's de-duplication window: a match whose time span
	// comes within Window of an open finding of the same rule and key is
	// merged into it.
	Window   time.Duration
	Backfill bool
}

// Validate reports a match that cannot be stored.
func (m Match) Validate() error {
	switch {
	case m.RuleID == "":
		return errors.New("match without a rule id")
	case len(m.Evidence) == 0:
		return fmt.Errorf("match of rule %s without evidence", m.RuleID)
	case m.FirstSeen.IsZero() || m.LastSeen.Before(m.FirstSeen):
		return fmt.Errorf("match of rule %s with an invalid time span", m.RuleID)
	}
	return nil
}

// Entry is an allow-list entry: Value (a forwarding domain, an IP address, a
// user) is fine for RuleID (or for every rule when RuleID is empty). A match
// whose AllowValues are all allowed raises no finding.
type Entry struct {
	RuleID    string    `json:"ruleId,omitempty"`
	Value     string    `json:"value"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"createdAt"` // set by the store
}

// NormalizeValue is how allow-list values and AllowValues are compared:
// trimmed and lower-cased.
func NormalizeValue(v string) string { return strings.ToLower(strings.TrimSpace(v)) }
