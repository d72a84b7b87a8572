package walkthrough

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// Persister loads and saves the walkthrough state (a JSON document).
// *store.Store's Meta/SetMeta back it in the app.
type Persister interface {
	// Load returns the saved document; ok is false when nothing was saved.
	Load(ctx context.Context) (doc []byte, ok bool, err error)
	// Save replaces the saved document.
	Save(ctx context.Context, doc []byte) error
}

// Observer answers what AuditLight has seen since the test action.
type Observer interface {
	// Findings returns findings matching f (the store's Findings).
	Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error)
	// RecordsSince counts stored records of any of operations created at or
	// after since, and the newest one's CreationTime.
	RecordsSince(ctx context.Context, operations []string, since time.Time) (n int64, newest time.Time, err error)
}

// Slack is how long before the admin's confirmation a record may have been
// created and still count for the test (they confirm after saving the rule,
// and clocks differ).
const Slack = 15 * time.Minute

// Machine runs the walkthrough. It is safe for concurrent use.
type Machine struct {
	mu    sync.Mutex
	store Persister
	obs   Observer
	clock func() time.Time
}

// New returns a Machine; clock nil = time.Now.
func New(p Persister, o Observer, clock func() time.Time) *Machine {
	if clock == nil {
		clock = time.Now
	}
	return &Machine{store: p, obs: o, clock: clock}
}

// State returns the saved state (every test at StepInstructions when nothing
// was saved).
func (m *Machine) State(ctx context.Context) (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.load(ctx)
}

func (m *Machine) load(ctx context.Context) (State, error) {
	doc, ok, err := m.store.Load(ctx)
	if err != nil {
		return State{}, fmt.Errorf("loading the detection test: %w", err)
	}
	var s State
	if ok {
		if err := json.Unmarshal(doc, &s); err != nil {
			return State{}, fmt.Errorf("reading the saved detection test: %w", err)
		}
	}
	for _, t := range Tests() { // normalise: every test present, in order
		s = s.with(s.Get(t.ID))
	}
	return s, nil
}

func (m *Machine) save(ctx context.Context, s State) error {
	doc, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding the detection test: %w", err)
	}
	if err := m.store.Save(ctx, doc); err != nil {
		return fmt.Errorf("saving the detection test: %w", err)
	}
	return nil
}

// update applies f to the progress of id under the lock and saves the result.
func (m *Machine) update(ctx context.Context, id TestID, f func(Progress) (Progress, error)) (Progress, error) {
	if _, ok := TestByID(id); !ok {
		return Progress{}, fmt.Errorf("unknown detection test %q (want %s or %s)", id, ForwardingRule, GlobalAdmin)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.load(ctx)
	if err != nil {
		return Progress{}, err
	}
	p, err := f(s.Get(id))
	if err != nil {
		return Progress{}, err
	}
	if err := m.save(ctx, s.with(p)); err != nil {
		return Progress{}, err
	}
	return p, nil
}

// Acted records that the admin (or the demo simulator) did the test action
// now: the test moves to StepWaiting. Acting again restarts the wait.
func (m *Machine) Acted(ctx context.Context, id TestID) (Progress, error) {
	return m.update(ctx, id, func(Progress) (Progress, error) {
		return Progress{Test: id, Step: StepWaiting, ActedAt: m.clock().UTC()}, nil
	})
}

// Check looks at what arrived since the action: it updates the records seen
// so far and passes the test when the rule's finding appeared. A test that
// is not waiting is returned unchanged.
func (m *Machine) Check(ctx context.Context, id TestID) (Progress, error) {
	t, _ := TestByID(id)
	return m.update(ctx, id, func(p Progress) (Progress, error) {
		if p.Step != StepWaiting {
			return p, nil
		}
		since := p.ActedAt.Add(-Slack)
		n, newest, err := m.obs.RecordsSince(ctx, t.Operations, since)
		if err != nil {
			return p, fmt.Errorf("checking the detection test: %w", err)
		}
		p.RecordsSeen, p.NewestRecord, p.LastChecked = n, newest, m.clock().UTC()
		fs, err := m.obs.Findings(ctx, finding.Filter{RuleID: t.RuleID, Since: since})
		if err != nil {
			return p, fmt.Errorf("checking the detection test: %w", err)
		}
		for _, f := range fs {
			if f.Status == finding.StatusFalsePositive {
				continue
			}
			if p.FindingID == 0 || f.ID < p.FindingID { // the oldest matching finding
				p.FindingID = f.ID
			}
		}
		if p.FindingID != 0 {
			p.Step, p.PassedAt = StepPassed, m.clock().UTC()
		}
		return p, nil
	})
}

// CleanedUp records that the admin undid the test action.
func (m *Machine) CleanedUp(ctx context.Context, id TestID) (Progress, error) {
	return m.update(ctx, id, func(p Progress) (Progress, error) {
		if p.Step != StepPassed {
			return p, fmt.Errorf("the %s test has not passed yet", id)
		}
		p.CleanedUp = true
		return p, nil
	})
}

// Reset puts the test back to its instructions.
func (m *Machine) Reset(ctx context.Context, id TestID) (Progress, error) {
	return m.update(ctx, id, func(Progress) (Progress, error) {
		return Progress{Test: id, Step: StepInstructions}, nil
	})
}
