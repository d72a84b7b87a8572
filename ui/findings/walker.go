package findings

import (
	"context"

	"github.com/auditlight/auditlight/collector/walkthrough"
)

// Walker is the "Test my detections" state machine as the walkthrough
// screen drives it (*walkthrough.Machine implements it). It must be safe
// for concurrent use.
type Walker interface {
	// State returns every test's saved progress.
	State(ctx context.Context) (walkthrough.State, error)
	// Acted records that the test action was done now (waiting starts).
	Acted(ctx context.Context, id walkthrough.TestID) (walkthrough.Progress, error)
	// Check looks for the test's records and finding.
	Check(ctx context.Context, id walkthrough.TestID) (walkthrough.Progress, error)
	// CleanedUp records that the admin undid the test action.
	CleanedUp(ctx context.Context, id walkthrough.TestID) (walkthrough.Progress, error)
	// Reset puts the test back to its instructions.
	Reset(ctx context.Context, id walkthrough.TestID) (walkthrough.Progress, error)
}

// DemoAct asks the demo simulator to perform a test's admin action.
type DemoAct func(ctx context.Context, id walkthrough.TestID) error

// actedLabel is the button the admin presses after doing the test action.
func actedLabel(id walkthrough.TestID) string {
	switch id {
	case walkthrough.ForwardingRule:
		return "I created the rule"
	case walkthrough.GlobalAdmin:
		return "I assigned the role"
	}
	return "I did it"
}

// cleanedLabel is the button the admin presses after undoing the action.
func cleanedLabel(id walkthrough.TestID) string {
	switch id {
	case walkthrough.ForwardingRule:
		return "I deleted the test rule"
	case walkthrough.GlobalAdmin:
		return "I removed the role"
	}
	return "I undid it"
}

// stepTitle is the heading of a test's current step.
func stepTitle(p walkthrough.Progress) string {
	switch p.Step {
	case walkthrough.StepWaiting:
		return "Step 2 of 3: waiting for Microsoft's audit record"
	case walkthrough.StepPassed:
		if p.CleanedUp {
			return "Passed — test action undone"
		}
		return "Step 3 of 3: passed — now undo the test"
	}
	return "Step 1 of 3: do the test action"
}
