package walkthrough

import (
	"fmt"
	"time"
)

// Step is where a test is.
type Step int

// Steps of a test.
const (
	// StepInstructions: showing the exact clicks; nothing done yet.
	StepInstructions Step = iota + 1
	// StepWaiting: the admin did the action; waiting for Microsoft's record
	// and the finding.
	StepWaiting
	// StepPassed: the finding appeared; remind the admin to undo the action.
	StepPassed
)

// String names the step.
func (s Step) String() string {
	switch s {
	case StepInstructions:
		return "instructions"
	case StepWaiting:
		return "waiting"
	case StepPassed:
		return "passed"
	}
	return fmt.Sprintf("step(%d)", int(s))
}

// Typical delays of the Unified Audit Log (Microsoft: usually 60–90 minutes
// for Exchange, SharePoint and Entra, sometimes several hours).
const (
	TypicalDelayMin = 60 * time.Minute
	TypicalDelayMax = 90 * time.Minute
)

// Progress is the persisted state of one test.
type Progress struct {
	Test TestID `json:"test"`
	Step Step   `json:"step"`
	// ActedAt is when the admin said they did the test action (or when the
	// simulator did it in demo mode).
	ActedAt time.Time `json:"actedAt,omitzero"`
	// RecordsSeen counts records of the test's operations stored since
	// ActedAt (what AuditLight has seen so far); NewestRecord is the newest
	// one's CreationTime.
	RecordsSeen  int64     `json:"recordsSeen"`
	NewestRecord time.Time `json:"newestRecord,omitzero"`
	LastChecked  time.Time `json:"lastChecked,omitzero"`
	// FindingID and PassedAt are set when the finding appeared.
	FindingID int64     `json:"findingId,omitempty"`
	PassedAt  time.Time `json:"passedAt,omitzero"`
	// CleanedUp is set when the admin confirmed undoing the test action.
	CleanedUp bool `json:"cleanedUp,omitempty"`
}

// Waited is how long the test has been waiting at now (0 unless waiting).
func (p Progress) Waited(now time.Time) time.Duration {
	if p.Step != StepWaiting || p.ActedAt.IsZero() || now.Before(p.ActedAt) {
		return 0
	}
	return now.Sub(p.ActedAt)
}

// WaitText explains the wait in plain words at now.
func (p Progress) WaitText(now time.Time) string {
	switch p.Step {
	case StepInstructions:
		return "Not started: follow the steps, then confirm."
	case StepPassed:
		return fmt.Sprintf("Passed: AuditLight raised the finding %s after the test action.", roundDuration(p.PassedAt.Sub(p.ActedAt)))
	}
	w := p.Waited(now)
	seen := "No matching audit record has arrived yet."
	if p.RecordsSeen > 0 {
		seen = fmt.Sprintf("%d matching audit record(s) arrived so far, the newest from %s.",
			p.RecordsSeen, p.NewestRecord.Local().Format("15:04"))
	}
	delay := "Microsoft usually delivers the audit record 60–90 minutes after the action, sometimes several hours later."
	if w > 4*time.Hour {
		delay = "This is taking longer than usual; Microsoft sometimes needs several hours. Check that the action was saved, and keep AuditLight running."
	}
	return fmt.Sprintf("Waiting for %s. %s %s", roundDuration(w), delay, seen)
}

// roundDuration prints a duration in whole minutes (or hours and minutes);
// under a minute (the demo tenant) in seconds, never "0 min".
func roundDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d < time.Minute-time.Second/2 {
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	}
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// State is the whole walkthrough: one Progress per test, in Tests() order.
type State struct {
	Tests []Progress `json:"tests"`
}

// Get returns the progress of test id (a fresh StepInstructions one when
// the test was never started).
func (s State) Get(id TestID) Progress {
	for _, p := range s.Tests {
		if p.Test == id {
			return p
		}
	}
	return Progress{Test: id, Step: StepInstructions}
}

// with returns s with p replacing the progress of p.Test.
func (s State) with(p Progress) State {
	out := State{Tests: make([]Progress, 0, len(Tests()))}
	for _, t := range Tests() {
		if t.ID == p.Test {
			out.Tests = append(out.Tests, p)
		} else {
			out.Tests = append(out.Tests, s.Get(t.ID))
		}
	}
	return out
}
