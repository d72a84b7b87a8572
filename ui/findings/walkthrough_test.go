package findings

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/walkthrough"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// wtWorld is the store behind a real walkthrough.Machine: saved state,
// audit records by operation, findings, and the clock.
type wtWorld struct {
	mu       sync.Mutex
	doc      []byte
	ops      map[string][]time.Time
	findings []finding.Finding
	now      time.Time
}

func (w *wtWorld) Load(ctx context.Context) ([]byte, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.doc), w.doc != nil, nil
}

func (w *wtWorld) Save(ctx context.Context, doc []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.doc = slices.Clone(doc)
	return nil
}

func (w *wtWorld) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []finding.Finding
	for _, x := range w.findings {
		if (f.RuleID == "" || x.RuleID == f.RuleID) && !x.LastSeen.Before(f.Since) {
			out = append(out, x)
		}
	}
	return out, nil
}

func (w *wtWorld) RecordsSince(ctx context.Context, ops []string, since time.Time) (int64, time.Time, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var n int64
	var newest time.Time
	for _, op := range ops {
		for _, t := range w.ops[op] {
			if !t.Before(since) {
				n++
				if t.After(newest) {
					newest = t
				}
			}
		}
	}
	return n, newest, nil
}

func (w *wtWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *wtWorld) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func (w *wtWorld) record(op string, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ops == nil {
		w.ops = map[string][]time.Time{}
	}
	w.ops[op] = append(w.ops[op], at)
}

func (w *wtWorld) raise(f finding.Finding) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.findings = append(w.findings, f)
}

func newTestWalkthrough(t *testing.T, world *wtWorld, demo DemoAct) (*Walkthrough, *uitest.Queue, *walkthrough.Machine) {
	t.Helper()
	test.NewTempApp(t)
	q := uitest.NewQueue()
	m := walkthrough.New(world, world, world.clock)
	wt := NewWalkthrough(func() Walker { return m }, demo, Options{Gate: q.Gate(), Clock: world.clock})
	w := test.NewTempWindow(t, wt.Content())
	w.Resize(fyne.NewSize(900, 900))
	t.Cleanup(wt.Close)
	return wt, q, m
}

func cardOf(wt *Walkthrough, id walkthrough.TestID) *testCard {
	for _, c := range wt.cards {
		if c.test.ID == id {
			return c
		}
	}
	return nil
}

// The forwarding-rule test walks the three steps: the exact clicks with the
// Outlook link, the wait with Microsoft's delay and what arrived, then the
// pass with the reminder to delete the rule.
func TestWalkthroughForwardingRuleSteps(t *testing.T) {
	world := &wtWorld{now: testNow}
	wt, q, _ := newTestWalkthrough(t, world, nil)
	c := cardOf(wt, walkthrough.ForwardingRule)

	// step 1
	if !strings.HasPrefix(c.step.Text, "Step 1 of 3") || !c.actedBtn.Visible() || c.actedBtn.Text != "I created the rule" {
		t.Fatalf("step 1: %q, button %q visible=%v", c.step.Text, c.actedBtn.Text, c.actedBtn.Visible())
	}
	if c.demoBtn.Visible() {
		t.Error("the demo button shows outside the demo")
	}
	link := findHyperlink(c.instr)
	addr := findEntry(c.instr)
	if link == nil || addr == nil || addr.Text != "https://outlook.office.com/mail/options/mail/rules" {
		t.Fatalf("step 1 lacks the Outlook rules link")
	}
	link.OnTapped() // no OpenURL: the address to copy appears
	if !addr.Visible() {
		t.Error("the Outlook address is not shown when no browser opens")
	}

	// step 2: the admin confirms; nothing arrived yet
	test.Tap(c.actedBtn)
	q.Until(t, "waiting", func() bool { return c.p.Step == walkthrough.StepWaiting })
	if !strings.Contains(c.wait.Text, "60–90 minutes") || !strings.Contains(c.wait.Text, "No matching audit record") {
		t.Errorf("waiting text = %q", c.wait.Text)
	}
	if c.instr.Visible() || c.actedBtn.Visible() || !c.cancelBtn.Visible() {
		t.Error("step 2 still shows step 1's controls")
	}

	// 70 minutes later the record arrives, but no finding yet
	world.advance(70 * time.Minute)
	world.record("UpdateInboxRules", testNow.Add(2*time.Minute))
	wt.Refresh()
	q.Until(t, "record seen", func() bool { return c.p.RecordsSeen == 1 })
	if !strings.Contains(c.wait.Text, "1 matching audit record") || !strings.Contains(c.wait.Text, "Waiting for 1 h 10 min") {
		t.Errorf("waiting text after the record = %q", c.wait.Text)
	}

	// step 3: the finding appears
	world.raise(finding.Finding{ID: 42, RuleID: walkthrough.Tests()[0].RuleID, Status: finding.StatusNew,
		FirstSeen: testNow.Add(2 * time.Minute), LastSeen: testNow.Add(2 * time.Minute)})
	wt.Refresh()
	q.Until(t, "passed", func() bool { return c.p.Step == walkthrough.StepPassed })
	if !strings.HasPrefix(c.step.Text, "Step 3 of 3") || !strings.Contains(c.passed.Text, "finding #42") {
		t.Errorf("passed: step %q text %q", c.step.Text, c.passed.Text)
	}
	if !c.cleanup.Visible() || !c.cleanedBtn.Visible() || c.cleanedBtn.Text != "I deleted the test rule" {
		t.Fatal("the pass does not remind the admin to delete the test rule")
	}
	test.Tap(c.cleanedBtn)
	q.Until(t, "cleaned up", func() bool { return c.p.CleanedUp })
	if c.cleanup.Visible() || !strings.Contains(c.passed.Text, "undone") {
		t.Errorf("after clean-up: reminder visible=%v text %q", c.cleanup.Visible(), c.passed.Text)
	}
}

// The wait survives a restart: a new screen over the same saved state
// resumes at step 2.
func TestWalkthroughResumesAfterRestart(t *testing.T) {
	world := &wtWorld{now: testNow}
	_, _, m := newTestWalkthrough(t, world, nil)
	if _, err := m.Acted(context.Background(), walkthrough.GlobalAdmin); err != nil {
		t.Fatal(err)
	}
	world.advance(5 * time.Hour)
	wt2, q2, _ := newTestWalkthrough(t, world, nil)
	wt2.Refresh()
	c := cardOf(wt2, walkthrough.GlobalAdmin)
	q2.Until(t, "resumed", func() bool { return c.p.Step == walkthrough.StepWaiting })
	if !strings.Contains(c.wait.Text, "longer than usual") {
		t.Errorf("a 5-hour wait says %q", c.wait.Text)
	}
	if other := cardOf(wt2, walkthrough.ForwardingRule); other.p.Step != walkthrough.StepInstructions {
		t.Errorf("the other test moved to %v", other.p.Step)
	}
}

// In the demo the simulator does the action: the test waits right away and
// the demo hook was asked for the right test; a failing simulator is shown.
func TestWalkthroughDemoAct(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		test    walkthrough.TestID
		wantErr string
	}{
		{"forwarding rule", nil, walkthrough.ForwardingRule, ""},
		{"global admin", nil, walkthrough.GlobalAdmin, ""},
		{"simulator down", errors.New("connection refused"), walkthrough.GlobalAdmin, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			world := &wtWorld{now: testNow}
			var mu sync.Mutex
			var asked []walkthrough.TestID
			wt, q, _ := newTestWalkthrough(t, world, func(ctx context.Context, id walkthrough.TestID) error {
				mu.Lock()
				defer mu.Unlock()
				asked = append(asked, id)
				return tt.err
			})
			c := cardOf(wt, tt.test)
			if !c.demoBtn.Visible() {
				t.Fatal("no demo button in the demo")
			}
			test.Tap(c.demoBtn)
			if tt.wantErr != "" {
				q.Until(t, "error", func() bool { return wt.notice.Visible() })
				if !strings.Contains(wt.notice.Text, tt.wantErr) {
					t.Errorf("notice = %q", wt.notice.Text)
				}
			} else {
				q.Until(t, "waiting", func() bool { return c.p.Step == walkthrough.StepWaiting })
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(asked, []walkthrough.TestID{tt.test}) {
				t.Errorf("simulator asked for %v", asked)
			}
		})
	}
}

// Before a tenant is connected the screen says so instead of failing.
func TestWalkthroughWithoutTenant(t *testing.T) {
	test.NewTempApp(t)
	q := uitest.NewQueue()
	wt := NewWalkthrough(func() Walker { return nil }, nil, Options{Gate: q.Gate(), Clock: func() time.Time { return testNow }})
	t.Cleanup(wt.Close)
	test.Tap(cardOf(wt, walkthrough.ForwardingRule).actedBtn)
	q.Until(t, "notice", func() bool { return wt.notice.Visible() })
	if !strings.Contains(wt.notice.Text, "connect a tenant first") {
		t.Errorf("notice = %q", wt.notice.Text)
	}
}

// While the Test detections screen is not built (the app started hidden in
// the tray), a waiting test still passes when its finding arrives, not when
// the window is next opened; stop ends the checks.
func TestWaitingTestsAreCheckedWithoutTheScreen(t *testing.T) {
	world := &wtWorld{now: testNow}
	m := walkthrough.New(world, world, world.clock)
	ctx := context.Background()
	if _, err := m.Acted(ctx, walkthrough.ForwardingRule); err != nil {
		t.Fatal(err)
	}
	fr, _ := walkthrough.TestByID(walkthrough.ForwardingRule)
	world.advance(80 * time.Minute)
	world.record("UpdateInboxRules", testNow.Add(time.Minute))
	world.raise(finding.Finding{ID: 7, RuleID: fr.RuleID, FirstSeen: world.clock(), LastSeen: world.clock(), Status: finding.StatusNew})
	stop := checkWaitingEvery(ctx, func() Walker { return m }, time.Millisecond, Options{})
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := m.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(st.Tests, func(p walkthrough.Progress) bool { return p.Test == walkthrough.ForwardingRule })
		if i >= 0 && st.Tests[i].Step == walkthrough.StepPassed {
			if p := st.Tests[i]; p.FindingID != 7 || !p.PassedAt.Equal(world.clock()) {
				t.Errorf("passed with finding %d at %v, want 7 at %v", p.FindingID, p.PassedAt, world.clock())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the waiting test was not checked")
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	stop() // twice is fine (MainWindow stops on build and on Close)
}
