// Package health is the status model shared by the collector, the CLI and the
// GUI: five states, each with a plain-English reason and the fix, plus the
// per-workload numbers the dashboard shows. Evaluate computes a Status from
// data freshness and the latest errors; Broadcaster delivers it to
// subscribers without anyone polling the store.
package health

import (
	"fmt"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/numfmt"
)

// State is the colour of the status light.
type State int

// The five states of the status light.
const (
	NotConfigured  State = iota // grey: no tenant configured yet
	WaitingForData              // blue: subscribed, no blob yet (normal for up to 12 h)
	Healthy                     // green: polled recently and data is fresh
	Degraded                    // amber: transient errors, throttling, lag, a failing content type, a gap
	ActionNeeded                // red: only the admin can fix it
)

var stateNames = [...]string{"not configured", "waiting for first data", "healthy", "degraded", "action needed"}
var stateColours = [...]string{"grey", "blue", "green", "amber", "red"}

// String returns the state's name as shown to the user.
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "unknown"
	}
	return stateNames[s]
}

// Colour returns the light's colour name: grey, blue, green, amber or red.
func (s State) Colour() string {
	if s < 0 || int(s) >= len(stateColours) {
		return "grey"
	}
	return stateColours[s]
}

// MarshalText renders the state by name in JSON.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state written by MarshalText (a saved status).
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if n == string(b) {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status state %q", b)
}

// Action is the one button that fixes the current problem, if any.
type Action string

// Actions the GUI can offer next to the reason.
const (
	ActionNone           Action = ""
	ActionSetup          Action = "setup"           // open the setup wizard
	ActionTestConnection Action = "test-connection" // run the test connection
	ActionRotateSecret   Action = "rotate-secret"   // open the rotate-secret flow
	ActionOpenPurview    Action = "open-purview"    // open the Purview audit page
	ActionRetryNow       Action = "retry-now"       // retry immediately
	ActionResume         Action = "resume"          // collection is paused
)

// Workload is the per-content-type picture.
type Workload struct {
	ContentType     string        `json:"contentType"`
	Name            string        `json:"name"` // "Exchange", "SharePoint / OneDrive", ...
	Subscribed      bool          `json:"subscribed"`
	LastRecord      time.Time     `json:"lastRecord"`  // newest record CreationTime stored
	LastContent     time.Time     `json:"lastContent"` // newest blob contentCreated stored
	Lag             time.Duration `json:"lag"`         // now - cursor (how far behind the API we are)
	Records24h      int64         `json:"records24h"`
	BackfillPercent float64       `json:"backfillPercent"` // 0..100
	BackfillRecords int64         `json:"backfillRecords"`
	Backfilling     bool          `json:"backfilling"`
	ErrorKind       fault.Kind    `json:"-"`
	Error           string        `json:"error,omitempty"` // plain reason when this type is failing
}

// Gap is a time range of content that expired before it could be fetched.
type Gap struct {
	ContentType string    `json:"contentType"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Reason      string    `json:"reason"`
	// AtLimit marks content at Microsoft's 7-day limit when the first
	// backfill began (within LimitGrace of its start): it expired, or
	// Microsoft refused to list it, seconds after the collector first asked.
	// It is reported (status --json, diagnostics) but is not a fault of
	// collection, so it does not turn the light amber.
	AtLimit bool `json:"atLimit,omitempty"`
}

// LimitGrace is how far past the first backfill's start (Microsoft's 7-day
// limit) a gap counts as AtLimit.
const LimitGrace = 5 * time.Minute

// faultGaps are the gaps that are a fault of collection (not AtLimit).
func faultGaps(gaps []Gap) []Gap {
	var out []Gap
	for _, g := range gaps {
		if !g.AtLimit {
			out = append(out, g)
		}
	}
	return out
}

// Status is one snapshot of the collector's health.
type Status struct {
	State        State         `json:"state"`
	Colour       string        `json:"colour"`
	Reason       string        `json:"reason"` // one plain sentence
	Fix          string        `json:"fix,omitempty"`
	Action       Action        `json:"action,omitempty"`
	Kind         fault.Kind    `json:"-"`
	KindName     string        `json:"kind,omitempty"`
	Paused       bool          `json:"paused"`
	LastPoll     time.Time     `json:"lastPoll"`     // last fully successful poll of every content type
	SubscribedAt time.Time     `json:"subscribedAt"` // first successful subscription
	Backfill     float64       `json:"backfillPercent"`
	Backfilling  bool          `json:"backfilling"`
	TotalRecords int64         `json:"totalRecords"`
	DeadLetters  int           `json:"deadLetters"`
	Gaps         []Gap         `json:"gaps,omitempty"`
	Workloads    []Workload    `json:"workloads"`
	SecretExpiry time.Time     `json:"secretExpiry,omitempty"`
	ClockSkew    time.Duration `json:"clockSkew"`
	At           time.Time     `json:"at"`
	// NotRunningSince is set when no collector runs: by Reassess, the time
	// of the last status a collector saved; by the app, when its collector
	// could not start or stopped on an error.
	NotRunningSince time.Time `json:"notRunningSince,omitzero"`
	// StoreUpgrade is set while a one-time upgrade of the event store runs.
	StoreUpgrade *StoreUpgrade `json:"storeUpgrade,omitempty"`
}

// StoreUpgrade is how far a one-time upgrade of the event store has got: a
// new version's schema, applied before collection starts (tens of seconds
// for a million records). Done of Total records are copied, then the step
// is Finishing (its indexes are built).
type StoreUpgrade struct {
	Done      int64 `json:"done"`
	Total     int64 `json:"total"`
	Finishing bool  `json:"finishing"`
}

// reason is the sentence the status light shows while the upgrade runs,
// its progress first (the tray menu shows two lines of it).
func (u StoreUpgrade) reason() string {
	const after = "; collection starts after it."
	switch {
	case u.Finishing:
		return "Upgrading the event store: all " + numfmt.Count(u.Total) + " records copied, rebuilding its indexes" + after
	case u.Total <= 0:
		return "Upgrading the event store, once for this version of AuditLight" + after
	}
	return fmt.Sprintf("Upgrading the event store: %d %% (%s of %s records), once for this version of AuditLight%s",
		u.Done*100/u.Total, numfmt.Count(u.Done), numfmt.Count(u.Total), after)
}

// Collecting reports whether a collector runs for a configured tenant, so
// that Pause has something to pause (paused counts: Resume applies).
func (s Status) Collecting() bool {
	return s.State != NotConfigured && s.NotRunningSince.IsZero()
}
