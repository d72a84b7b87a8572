package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/walkthrough"
)

const testDetectionsUsage = `test-detections                  show both tests and what has arrived so far
       auditlight test-detections show TEST        the exact steps of a test (TEST: forwarding-rule or global-admin)
       auditlight test-detections done TEST        you did the test action: start waiting for Microsoft's record
       auditlight test-detections cleaned TEST     you undid the test action after it passed
       auditlight test-detections reset TEST       start the test over`

// runTestDetections is the guide's "Test my detections" on the command line;
// the window drives the same persisted state (package walkthrough).
func runTestDetections(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "test-detections", testDetectionsUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	action, id := "status", walkthrough.TestID("")
	switch fs.NArg() {
	case 0:
	case 2:
		action, id = fs.Arg(0), walkthrough.TestID(fs.Arg(1))
		if _, ok := walkthrough.TestByID(id); !ok {
			return fmt.Errorf("unknown test %q: use %s or %s", id, walkthrough.ForwardingRule, walkthrough.GlobalAdmin)
		}
	default:
		return fmt.Errorf("usage: auditlight %s", testDetectionsUsage)
	}
	s, err := e.openProfileStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	m := newWalkthrough(s, time.Now)
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	now := time.Now()
	switch action {
	case "status":
		st, err := m.State(ctx)
		if err != nil {
			return err
		}
		for i, p := range st.Tests {
			if p.Step == walkthrough.StepWaiting {
				if p, err = m.Check(ctx, p.Test); err != nil {
					return err
				}
			}
			if i > 0 {
				fmt.Fprintln(w)
			}
			printTest(w, p, now, false)
		}
		return nil
	case "show":
		st, err := m.State(ctx)
		if err != nil {
			return err
		}
		printTest(w, st.Get(id), now, true)
		return nil
	case "done":
		p, err := m.Acted(ctx, id)
		if err != nil {
			return err
		}
		printTest(w, p, now, false)
		fmt.Fprintln(w, "\nKeep AuditLight collecting (the window, or `auditlight collect`); run `auditlight test-detections` to see the progress.")
		return nil
	case "cleaned":
		p, err := m.CleanedUp(ctx, id)
		if err != nil {
			return err
		}
		printTest(w, p, now, false)
		return nil
	case "reset":
		p, err := m.Reset(ctx, id)
		if err != nil {
			return err
		}
		printTest(w, p, now, true)
		return nil
	}
	return fmt.Errorf("unknown action %q: use show, done, cleaned or reset", action)
}

// printTest writes one test's state; steps adds the exact instructions.
func printTest(w io.Writer, p walkthrough.Progress, now time.Time, steps bool) {
	t, _ := walkthrough.TestByID(p.Test)
	fmt.Fprintf(w, "%s (%s): %s\n  %s\n", t.Title, t.ID, strings.ToUpper(p.Step.String()), p.WaitText(now))
	if p.Step == walkthrough.StepInstructions || steps {
		for i, in := range t.Instructions {
			fmt.Fprintf(w, "  %d. %s\n", i+1, in.Text)
			if in.Link != "" {
				fmt.Fprintf(w, "     %s\n", in.Link)
			}
		}
		if p.Step == walkthrough.StepInstructions {
			fmt.Fprintf(w, "  Then run: auditlight test-detections done %s\n", t.ID)
		}
	}
	if p.Step == walkthrough.StepPassed {
		fmt.Fprintf(w, "  Finding #%d (auditlight findings show %d).\n", p.FindingID, p.FindingID)
		if !p.CleanedUp {
			fmt.Fprintln(w, "  Now undo the test:")
			for _, c := range t.Cleanup {
				fmt.Fprintf(w, "   - %s\n", c.Text)
				if c.Link != "" {
					fmt.Fprintf(w, "     %s\n", c.Link)
				}
			}
			fmt.Fprintf(w, "  Then run: auditlight test-detections cleaned %s\n", t.ID)
		}
	}
}
