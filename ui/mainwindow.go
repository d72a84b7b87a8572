package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/auditlight/auditlight/collector/health"
)

// MainOptions configure NewMainWindow.
type MainOptions struct {
	Options
	// Validator holds the input rules for the wizard and rotate dialog.
	Validator Validator
	// OnStatus is called (on the Fyne goroutine) with every presented status,
	// so app can swap the tray icon and rebuild the tray menu.
	OnStatus func(health.Status)
	// Notify sends desktop notifications when the light turns red and when it
	// recovers; nil sends none (app passes fyne.App.SendNotification).
	Notify func(*fyne.Notification)
	// SaveFile asks where to save an export; nil uses Fyne's file-save dialog.
	SaveFile SaveFileFunc
	// OnSetupDone runs after the wizard connected and the admin tapped Finish.
	OnSetupDone func()
}

// MainWindow is the AuditLight window: the setup wizard until a tenant is
// configured, then tabs with the dashboard and the event feed. It starts the
// status presenter and the event-tick listener; call Close on quit.
type MainWindow struct {
	app  fyne.App
	win  fyne.Window
	b    Backend
	opts MainOptions

	Dashboard *Dashboard
	Feed      *EventFeed
	tabs      *container.AppTabs
	wizard    *Wizard
	presenter *Presenter

	unsubStatus, unsubEvents func()
	cancel                   context.CancelFunc
	eventsDone               chan struct{}
}

// NewMainWindow builds the window content, sets it on w and starts the
// background listeners.
func NewMainWindow(a fyne.App, w fyne.Window, b Backend, opts MainOptions) *MainWindow {
	opts.Options.validator = opts.Validator
	m := &MainWindow{app: a, win: w, b: b, opts: opts}
	m.Dashboard = NewDashboard(w, b, DashboardHooks{OpenSetup: m.ShowSetup, Disconnected: func() { m.ShowSetup(StepBefore) }}, opts.Options)
	m.Feed = NewEventFeed(w, b, opts.SaveFile, opts.Options)
	m.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Status", theme.HomeIcon(), m.Dashboard.Content()),
		container.NewTabItemWithIcon("Events", theme.ListIcon(), m.Feed.Content()),
	)
	m.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "Status" {
			m.Dashboard.ReloadChart(false)
		}
	}

	statusCh, unsubStatus := b.SubscribeStatus()
	m.unsubStatus = unsubStatus
	m.presenter = NewPresenter(statusCh, PresenterConfig{
		Apply:    m.Dashboard.SetStatus,
		OnStatus: opts.OnStatus,
		Notify:   opts.Notify,
		Options:  opts.Options,
	})

	eventsCh, unsubEvents := b.SubscribeEvents()
	m.unsubEvents = unsubEvents
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.eventsDone = make(chan struct{})
	go func() {
		defer close(m.eventsDone)
		sum := func(acc, v int) int { return acc + v }
		coalesce(ctx, eventsCh, opts.coalesce(), sum, func(n int) {
			opts.do(func() {
				m.Feed.OnNewEvents(n)
				m.Dashboard.ReloadChart(false)
			})
		})
	}()

	if b.Configured() {
		m.ShowDashboard()
	} else {
		m.ShowSetup("")
	}
	m.Dashboard.ReloadChart(true)
	return m
}

// Content returns what the window currently shows.
func (m *MainWindow) Content() fyne.CanvasObject { return m.win.Content() }

// Wizard returns the setup wizard while it is shown, else nil.
func (m *MainWindow) Wizard() *Wizard { return m.wizard }

// ShowDashboard shows the tabs.
func (m *MainWindow) ShowDashboard() {
	if m.wizard != nil {
		m.wizard.Close()
		m.wizard = nil
	}
	m.win.SetContent(m.tabs)
}

// ShowSetup shows the setup wizard, at the named step when given.
func (m *MainWindow) ShowSetup(step string) {
	if m.wizard != nil {
		m.wizard.Close()
	}
	m.wizard = NewWizard(m.win, m.b, m.opts.Validator, func() {
		m.ShowDashboard()
		if m.opts.OnSetupDone != nil {
			m.opts.OnSetupDone()
		}
	}, m.opts.Options)
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
	if m.wizard != nil && !m.b.Configured() {
		m.wizard.GoToStep(StepConnect)
		return
	}
	m.ShowDashboard()
	m.tabs.SelectIndex(0)
	m.Dashboard.TestConnection()
}

// TogglePause pauses or resumes collection (tray action).
func (m *MainWindow) TogglePause() { m.Dashboard.togglePause() }

// Paused reports whether collection is shown as paused.
func (m *MainWindow) Paused() bool { return m.Dashboard.Paused() }

// Close stops the listeners and background work. Call it on the Fyne
// goroutine before quitting.
func (m *MainWindow) Close() {
	m.cancel()
	m.unsubEvents()
	m.unsubStatus()
	m.presenter.Stop()
	<-m.eventsDone
	m.Dashboard.Close()
	m.Feed.Close()
	if m.wizard != nil {
		m.wizard.Close()
	}
}
