package ui

import (
	"context"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/walkthrough"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/findings"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/setup"
)

// MainOptions configure NewMainWindow.
type MainOptions struct {
	Options
	// Validator holds the input rules for the wizard and rotate dialog.
	Validator setup.Validator
	// OnStatus is called (on the Fyne goroutine) with every presented status,
	// so app can swap the tray icon and rebuild the tray menu.
	OnStatus func(health.Status)
	// Notify sends desktop notifications when the light turns red and when it
	// recovers; nil sends none (app passes fyne.App.SendNotification).
	Notify func(*fyne.Notification)
	// SaveFile asks where to save an export; nil uses Fyne's file-save dialog.
	SaveFile events.SaveFileFunc
	// OnSetupDone runs after the wizard connected and the admin tapped Finish.
	OnSetupDone func()
	// OnFindings is called (on the Fyne goroutine) with every findings
	// summary and whether open findings of medium or higher severity exist,
	// so app can badge the tray icon and add the tray line.
	OnFindings func(s finding.Summary, openMedium bool)
	// OpenURL opens portal links from the Findings view and the detection
	// test; nil shows the address to copy (app passes fyne.App.OpenURL).
	OpenURL func(*url.URL) error
	// DemoAct, when set (--demo), lets the detection test ask the simulator
	// to perform the admin's test action.
	DemoAct func(ctx context.Context, test walkthrough.TestID) error
	// OnTabShown, when set, is called (on the Fyne goroutine) with a tab's
	// title each time the admin or the app selects it (app's opt-in
	// responsiveness probe, scripts/clicks.sh).
	OnTabShown func(tab string)
}

// MainWindow is the AuditLight window: the setup wizard until a tenant is
// configured, then tabs with the dashboard and the event feed. It starts the
// status presenter and the event-tick listener; call Close on quit.
//
// Started hidden in the tray (a VisibilityWindow not shown yet, e.g. at
// login), it builds no screen until the window is first shown: laying out
// widgets loads Fyne's fonts and renderers, the larger part of what a
// hidden tray app would hold (issue 12). Meanwhile the tray still gets
// every status and findings summary, and waiting detection tests are still
// checked.
type MainWindow struct {
	app  fyne.App
	win  fyne.Window
	b    Backend
	opts MainOptions

	// The screens; nil until built (see built).
	Dashboard *Dashboard
	Feed      *events.Feed
	tabs      *uikit.Tabs
	wizard    *setup.Wizard
	presenter *Presenter
	// Findings is the Findings tab; SelfTest the "Test my detections" tab.
	Findings    *findings.View
	SelfTest    *findings.Walkthrough
	findingsTab *container.TabItem
	eventsTab   *container.TabItem
	summary     finding.Summary
	hasSummary  bool
	ctx         context.Context
	// hidden: the window is in the tray; the feed and chart wait for it to
	// be shown (stale says new events arrived meanwhile).
	hidden, stale bool
	// built: the screens exist. Until then the latest status is held, with
	// the "Resolved at …" line its predecessors imply.
	built        bool
	held         health.Status
	hasHeld      bool
	heldResolved resolvedLine
	// stopChecks ends the detection-test checks run while the screens are
	// not built (the Test detections screen checks once built).
	stopChecks func()

	unsubStatus, unsubEvents func()
	cancel                   context.CancelFunc
	eventsDone               chan struct{}
}

// NewMainWindow builds the window content, sets it on w and starts the
// background listeners. When w is a VisibilityWindow that is not shown,
// the content is built when it is first shown (or a method needs it).
func NewMainWindow(a fyne.App, w fyne.Window, b Backend, opts MainOptions) *MainWindow {
	opts.Options.validator = opts.Validator
	m := &MainWindow{app: a, win: w, b: b, opts: opts, stopChecks: func() {}}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel, m.ctx = cancel, ctx
	vw, _ := w.(*VisibilityWindow)
	m.hidden = vw != nil && !vw.Visible()

	statusCh, unsubStatus := b.SubscribeStatus()
	m.unsubStatus = unsubStatus
	m.presenter = NewPresenter(statusCh, PresenterConfig{
		Apply:    m.applyStatus,
		OnStatus: opts.OnStatus,
		Notify:   opts.Notify,
		Options:  opts.Options,
	})

	eventsCh, unsubEvents := b.SubscribeEvents()
	m.unsubEvents = unsubEvents
	m.eventsDone = make(chan struct{})
	go func() {
		defer close(m.eventsDone)
		sum := func(acc, v int) int { return acc + v }
		coalesce(ctx, eventsCh, opts.coalesce(), sum, func(n int) {
			opts.do(func() {
				m.ReloadFindings() // detections run as records are committed; the tray shows them
				if m.hidden || !m.built {
					m.stale = true
					return
				}
				m.Feed.OnNewEvents(n)
				m.Dashboard.ReloadChart(false)
			})
		})
	}()
	if vw != nil {
		vw.OnVisibilityChanged(m.setVisible)
	}

	if m.hidden { // started in the tray: nothing to draw until shown
		m.stopChecks = findings.CheckWaitingTests(ctx, walkerOf(b), opts.DemoAct != nil,
			findings.Options{Clock: opts.Clock, Logger: opts.Logger})
	} else {
		m.build()
		m.Dashboard.ReloadChart(true)
	}
	m.ReloadFindings()
	return m
}

// build makes the screens once and shows the dashboard (or the wizard
// before setup) with the held status and findings summary.
func (m *MainWindow) build() {
	if m.built {
		return
	}
	m.built = true
	m.stopChecks()
	opts, w, b := m.opts, m.win, m.b
	m.Dashboard = NewDashboard(w, b, DashboardHooks{OpenSetup: m.ShowSetup, Disconnected: func() { m.ShowSetup(setup.StepBefore) },
		OpenFindings: m.ShowFindings}, opts.Options)
	m.Feed = events.NewFeed(w, b, opts.SaveFile, opts.eventsOptions())
	fo := findings.Options{Clock: opts.Clock, Logger: opts.Logger, Gate: opts.Gate, OpenURL: opts.OpenURL,
		Evidence: evidenceLoader(b), OnChanged: m.ReloadFindings, ShowInFeed: m.ShowFindingInEvents}
	m.Findings = findings.NewView(w, b, fo)
	m.SelfTest = findings.NewWalkthrough(walkerOf(b), opts.DemoAct, fo)
	m.findingsTab = container.NewTabItemWithIcon("Findings", theme.WarningIcon(), m.Findings.Content())
	m.eventsTab = container.NewTabItemWithIcon("Events", theme.ListIcon(), m.Feed.Content())
	selfTestTab := container.NewTabItemWithIcon("Test detections", theme.MediaPlayIcon(), m.SelfTest.Content())
	m.tabs = uikit.NewTabs(
		container.NewTabItemWithIcon("Status", theme.HomeIcon(), m.Dashboard.Content()),
		m.findingsTab,
		m.eventsTab,
		selfTestTab,
	)
	m.Feed.SetOnScreen(false) // the Status tab is shown first
	m.tabs.OnSelected = func(t *container.TabItem) {
		m.Feed.SetOnScreen(t == m.eventsTab)
		switch t {
		case m.findingsTab:
			m.Findings.Reload()
		case selfTestTab:
			m.SelfTest.Refresh()
		}
		if t.Text == "Status" {
			m.Dashboard.ReloadChart(false)
		}
		if opts.OnTabShown != nil {
			opts.OnTabShown(t.Text)
		}
	}
	if m.hasHeld {
		m.Dashboard.SetStatus(m.held)
		if m.heldResolved.set {
			m.Dashboard.showResolved(m.heldResolved)
		}
	}
	if m.hasSummary {
		m.Dashboard.SetFindingSummary(m.summary)
	}
	if b.Configured() {
		m.ShowDashboard()
	} else {
		m.ShowSetup("")
	}
	if m.hidden {
		m.Feed.Release()
	}
}

// applyStatus shows a presented status on the dashboard, or holds it
// while the screens are not built.
func (m *MainWindow) applyStatus(s health.Status) {
	if m.built {
		m.Dashboard.SetStatus(s)
		return
	}
	if l := resolvedFor(m.held, s, m.opts.now()); l.set || l.clear {
		m.heldResolved = l
	}
	m.held, m.hasHeld = s, true
}

// setVisible follows the window into and out of the tray: hidden, the
// feed lets go of its rows; shown again, the feed and chart catch up.
func (m *MainWindow) setVisible(visible bool) {
	m.hidden = !visible
	if !m.built {
		if visible { // the new feed loads its first page itself
			m.build()
			m.Dashboard.ReloadChart(true)
			m.stale = false
		}
		return
	}
	if !visible {
		m.Feed.Release()
		return
	}
	if m.stale || m.Feed.Released() {
		m.Feed.Reload()
		m.Dashboard.ReloadChart(true)
	}
	m.stale = false
}

// Content returns what the window currently shows.
func (m *MainWindow) Content() fyne.CanvasObject { return m.win.Content() }

// Built reports whether the screens exist (see MainWindow).
func (m *MainWindow) Built() bool { return m.built }

// Wizard returns the setup wizard while it is shown, else nil.
func (m *MainWindow) Wizard() *setup.Wizard { return m.wizard }

// ShowDashboard shows the tabs.
func (m *MainWindow) ShowDashboard() {
	m.build()
	if m.wizard != nil {
		m.wizard.Close()
		m.wizard = nil
	}
	m.win.SetContent(m.tabs.Content())
}

// ShowSetup shows the setup wizard, at the named step when given.
func (m *MainWindow) ShowSetup(step string) {
	m.build()
	if m.wizard != nil {
		m.wizard.Close()
	}
	m.wizard = setup.NewWizard(m.win, m.b, m.opts.Validator, func() {
		m.ShowDashboard()
		if m.opts.OnSetupDone != nil {
			m.opts.OnSetupDone()
		}
	}, m.opts.Options.setupOptions())
	if m.b.Configured() {
		m.wizard.SetOnCancel(m.ShowDashboard)
	}
	if step != "" {
		m.wizard.GoToStep(step)
	}
	m.win.SetContent(m.wizard.Content())
}

// TestConnection runs the test (tray action): on the dashboard for a
// connected tenant, or at the wizard's last step while setup is shown.
func (m *MainWindow) TestConnection() {
	m.build()
	if m.wizard != nil && !m.b.Configured() {
		m.wizard.GoToStep(setup.StepConnect)
		return
	}
	m.ShowDashboard()
	m.tabs.SelectIndex(0)
	m.Dashboard.TestConnection()
}

// TogglePause pauses or resumes collection (tray action).
func (m *MainWindow) TogglePause() {
	m.build()
	m.Dashboard.togglePause()
}

// Paused reports whether collection is shown as paused.
func (m *MainWindow) Paused() bool {
	if !m.built {
		return m.held.Paused
	}
	return m.Dashboard.Paused()
}

// Close stops the listeners and background work. Call it on the Fyne
// goroutine before quitting.
func (m *MainWindow) Close() {
	m.cancel()
	m.unsubEvents()
	m.unsubStatus()
	m.presenter.Stop()
	<-m.eventsDone
	m.stopChecks()
	if !m.built {
		return
	}
	m.Dashboard.Close()
	m.Feed.Close()
	m.Findings.Close()
	m.SelfTest.Close()
	if m.wizard != nil {
		m.wizard.Close()
	}
}
