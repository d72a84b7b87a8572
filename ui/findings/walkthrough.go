package findings

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/walkthrough"
)

// Check intervals of a waiting test: Microsoft takes an hour or more, so
// half a minute is plenty; the demo simulator answers within seconds.
const (
	checkEvery     = 30 * time.Second
	demoCheckEvery = 3 * time.Second
)

// Walkthrough is the "Test my detections" screen: one card per test
// (external forwarding rule, Global Administrator) going through the
// instructions, the wait for Microsoft's record, and the pass with the
// reminder to undo the test. The progress is persisted by the Walker, so
// a restart resumes the wait.
type Walkthrough struct {
	walker func() Walker
	demo   DemoAct
	opts   Options

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	cards   []*testCard
	notice  *widget.Label
	content fyne.CanvasObject
}

// NewWalkthrough builds the screen. walker returns the state machine (nil
// before a tenant is connected); demo, when non-nil, adds a button that
// has the demo simulator do the test action. It checks waiting tests in
// the background until Close.
func NewWalkthrough(walker func() Walker, demo DemoAct, o Options) *Walkthrough {
	w := &Walkthrough{walker: walker, demo: demo, opts: o, done: make(chan struct{})}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	w.notice = para("")
	w.notice.Importance = widget.DangerImportance
	w.notice.Hide()
	intro := para("Make sure AuditLight would tell you about a real attack: do two harmless admin actions that " +
		"attackers also do, and watch the findings arrive. Microsoft delivers audit records with a delay " +
		"(usually 60–90 minutes, sometimes hours); you can close this window, AuditLight keeps waiting.")
	if demo != nil {
		intro.SetText(intro.Text + " In the demo tenant the simulator can do each action for you, so a test takes about a minute.")
	}
	box := container.NewVBox(heading("Test my detections"), intro, w.notice)
	for _, t := range walkthrough.Tests() {
		c := newTestCard(w, t)
		w.cards = append(w.cards, c)
		box.Add(c.card)
	}
	w.content = container.NewVScroll(container.NewPadded(box))
	go w.poll()
	return w
}

// Content returns the screen's canvas object.
func (w *Walkthrough) Content() fyne.CanvasObject { return w.content }

// Close stops the background checks.
func (w *Walkthrough) Close() {
	w.cancel()
	<-w.done
}

// Progress returns the progress a test card shows.
func (w *Walkthrough) Progress(id walkthrough.TestID) walkthrough.Progress {
	for _, c := range w.cards {
		if c.test.ID == id {
			return c.p
		}
	}
	return walkthrough.Progress{}
}

// poll checks waiting tests every checkEvery (demoCheckEvery in the demo).
func (w *Walkthrough) poll() {
	defer close(w.done)
	tick := time.NewTicker(checkInterval(w.demo != nil))
	defer tick.Stop()
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-tick.C:
			w.checkWaiting(w.ctx)
		}
	}
}

// checkInterval is how often a waiting test is checked.
func checkInterval(demo bool) time.Duration {
	if demo {
		return demoCheckEvery
	}
	return checkEvery
}

// Refresh loads the saved progress and checks the waiting tests, in the
// background.
func (w *Walkthrough) Refresh() {
	go w.checkWaiting(w.ctx)
}

// checkWaiting runs on a background goroutine.
func (w *Walkthrough) checkWaiting(ctx context.Context) {
	m := w.walker()
	if m == nil {
		w.opts.do(func() { w.showNotice(fmt.Errorf("connect a tenant first: the test needs its audit log")) })
		return
	}
	checkWaiting(ctx, m, w.opts.logger(), func(p walkthrough.Progress) { w.apply(p, nil) }, w.report)
}

// checkWaiting checks every waiting test once (a pass is recorded by the
// machine) and hands each test's progress to show, failures to report.
func checkWaiting(ctx context.Context, m Walker, log *slog.Logger, show func(walkthrough.Progress), report func(error)) {
	st, err := m.State(ctx)
	if err != nil {
		report(fmt.Errorf("loading the detection test: %w", err))
		return
	}
	for _, p := range st.Tests {
		if p.Step == walkthrough.StepWaiting {
			if p, err = m.Check(ctx, p.Test); err != nil {
				report(fmt.Errorf("checking the %s test: %w", p.Test, err))
				continue
			}
			if p.Step == walkthrough.StepPassed {
				log.Info("detection test passed", "test", p.Test, "finding", p.FindingID)
			}
		}
		show(p)
	}
}

// CheckWaitingTests checks the waiting detection tests in the background
// as the Test detections screen does (every 30 s, every 3 s in the demo),
// until ctx ends or stop is called (stop waits for the checks to end).
// MainWindow runs it while its screens are not built (started hidden in
// the tray), so a test passes when its finding arrives rather than when the
// window is next opened.
func CheckWaitingTests(ctx context.Context, walker func() Walker, demo bool, o Options) (stop func()) {
	return checkWaitingEvery(ctx, walker, checkInterval(demo), o)
}

func checkWaitingEvery(ctx context.Context, walker func() Walker, every time.Duration, o Options) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	log := o.logger()
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if m := walker(); m != nil {
					checkWaiting(ctx, m, log, func(walkthrough.Progress) {}, func(err error) { log.Warn("detection test", "err", err) })
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }
}

// run does one machine call in the background and shows its result.
func (w *Walkthrough) run(what string, f func(ctx context.Context, m Walker) (walkthrough.Progress, error)) {
	go func() {
		m := w.walker()
		if m == nil {
			w.opts.do(func() { w.showNotice(fmt.Errorf("connect a tenant first: the test needs its audit log")) })
			return
		}
		p, err := f(w.ctx, m)
		if err != nil {
			w.report(fmt.Errorf("%s: %w", what, err))
			return
		}
		w.apply(p, nil)
	}()
}

// apply shows p on its card (from any goroutine).
func (w *Walkthrough) apply(p walkthrough.Progress, err error) {
	w.opts.do(func() {
		w.showNotice(err)
		for _, c := range w.cards {
			if c.test.ID == p.Test {
				c.set(p)
			}
		}
	})
}

// report logs err and shows it (from any goroutine).
func (w *Walkthrough) report(err error) {
	w.opts.logger().Warn("detection test", "err", err)
	w.opts.do(func() { w.showNotice(err) })
}

func (w *Walkthrough) showNotice(err error) {
	if err == nil {
		if w.notice.Visible() {
			w.notice.Hide()
			w.content.Refresh()
		}
		return
	}
	w.notice.SetText(err.Error())
	w.notice.Show()
	w.content.Refresh()
}

// acted records the admin's action and starts waiting.
func (w *Walkthrough) acted(id walkthrough.TestID) {
	w.run("starting the wait", func(ctx context.Context, m Walker) (walkthrough.Progress, error) {
		return m.Acted(ctx, id)
	})
}

// demoAct has the simulator do the action, then starts waiting.
func (w *Walkthrough) demoAct(id walkthrough.TestID) {
	w.run("asking the demo tenant", func(ctx context.Context, m Walker) (walkthrough.Progress, error) {
		p, err := m.Acted(ctx, id) // first, so the simulator's record counts
		if err != nil {
			return p, err
		}
		return p, w.demo(ctx, id)
	})
}

// compile-time check: the real machine drives the screen.
var _ Walker = (*walkthrough.Machine)(nil)

// testCard is one test's card.
type testCard struct {
	w    *Walkthrough
	test walkthrough.Test
	p    walkthrough.Progress

	card  *widget.Card
	step  *widget.Label
	instr *fyne.Container

	actedBtn, demoBtn *widget.Button
	wait              *widget.Label
	cancelBtn         *widget.Button
	passed            *widget.Label
	cleanup           *fyne.Container
	cleanedBtn        *widget.Button
	againBtn          *widget.Button
}

// newTestCard builds a card at step 1.
func newTestCard(w *Walkthrough, t walkthrough.Test) *testCard {
	c := &testCard{w: w, test: t}
	o := w.opts
	c.step = heading("")
	c.instr = container.NewVBox()
	for i, in := range t.Instructions {
		c.instr.Add(para(fmt.Sprintf("%d. %s", i+1, in.Text)))
		if in.Link != "" {
			c.instr.Add(container.NewPadded(linkRow(in.Link, o)))
		}
	}
	c.actedBtn = widget.NewButtonWithIcon(actedLabel(t.ID), theme.ConfirmIcon(), func() { w.acted(t.ID) })
	c.actedBtn.Importance = widget.HighImportance
	c.demoBtn = widget.NewButtonWithIcon("Let the demo tenant do it", theme.MediaPlayIcon(), func() { w.demoAct(t.ID) })
	if w.demo == nil {
		c.demoBtn.Hide()
	}
	c.wait = para("")
	c.cancelBtn = widget.NewButtonWithIcon("Start over", theme.ContentUndoIcon(), func() { c.reset() })
	c.passed = para("")
	c.passed.Importance = widget.SuccessImportance
	c.cleanup = container.NewVBox()
	for i, in := range t.Cleanup {
		c.cleanup.Add(para(fmt.Sprintf("%d. %s", i+1, in.Text)))
		if in.Link != "" {
			c.cleanup.Add(container.NewPadded(linkRow(in.Link, o)))
		}
	}
	c.cleanedBtn = widget.NewButtonWithIcon(cleanedLabel(t.ID), theme.ConfirmIcon(), func() {
		w.run("confirming the clean-up", func(ctx context.Context, m Walker) (walkthrough.Progress, error) {
			return m.CleanedUp(ctx, t.ID)
		})
	})
	c.againBtn = widget.NewButtonWithIcon("Run the test again", theme.ViewRefreshIcon(), func() { c.reset() })
	c.card = widget.NewCard(t.Title, "", container.NewVBox(
		c.step, c.instr, container.NewHBox(c.actedBtn, c.demoBtn),
		c.wait, c.passed, c.cleanup, container.NewHBox(c.cleanedBtn, c.cancelBtn, c.againBtn),
	))
	c.set(walkthrough.Progress{Test: t.ID, Step: walkthrough.StepInstructions})
	return c
}

func (c *testCard) reset() {
	id := c.test.ID
	c.w.run("starting over", func(ctx context.Context, m Walker) (walkthrough.Progress, error) {
		return m.Reset(ctx, id)
	})
}

// set shows p.
func (c *testCard) set(p walkthrough.Progress) {
	c.p = p
	c.step.SetText(stepTitle(p))
	instructions := p.Step == walkthrough.StepInstructions
	waiting := p.Step == walkthrough.StepWaiting
	passed := p.Step == walkthrough.StepPassed
	setVisible(c.instr, instructions)
	setVisible(c.actedBtn, instructions)
	setVisible(c.demoBtn, instructions && c.w.demo != nil)
	setVisible(c.wait, waiting)
	setVisible(c.cancelBtn, waiting)
	setVisible(c.passed, passed)
	setVisible(c.cleanup, passed && !p.CleanedUp)
	setVisible(c.cleanedBtn, passed && !p.CleanedUp)
	setVisible(c.againBtn, passed)
	if waiting {
		c.wait.SetText(p.WaitText(c.w.opts.now()))
	}
	if passed {
		txt := p.WaitText(c.w.opts.now())
		if p.FindingID != 0 {
			txt += fmt.Sprintf(" It is finding #%d in the Findings tab.", p.FindingID)
		}
		if p.CleanedUp {
			txt += " The test action is undone; mark the finding resolved if you have not."
		} else {
			txt += " Now undo the test:"
		}
		c.passed.SetText(txt)
	}
	c.card.Refresh() // re-layout after the step's parts showed or hid
}
