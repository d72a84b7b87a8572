package ui

import (
	"context"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/internal/numfmt"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/setup"
)

// DashboardHooks are navigation callbacks the dashboard cannot do itself.
type DashboardHooks struct {
	// OpenSetup shows the setup wizard at the named step ("" = where it was).
	OpenSetup func(step string)
	// Disconnected runs after a successful Disconnect.
	Disconnected func()
	// OpenFindings shows the Findings view (the Tenant safety line's button).
	OpenFindings func()
}

// chartRefreshEvery limits how often new events reload the activity chart.
const chartRefreshEvery = time.Minute

// Dashboard shows the status light with the reason and fix, per-workload
// numbers, the activity chart, the secret-expiry countdown, and the
// test-connection, pause, rotate and disconnect controls.
type Dashboard struct {
	win   fyne.Window
	b     Backend
	hooks DashboardHooks
	opts  Options

	status    health.Status
	hasStatus bool
	paused    bool

	light        *StatusLight
	reason, fix  *widget.Label
	action       *widget.Button
	lastPoll     *widget.Label
	resolved     *widget.Label // the last problem that went away by itself, e.g. a re-enabled subscription
	totals       *widget.Label
	backfill     *widget.ProgressBar
	backfillText *widget.Label
	backfillBox  *fyne.Container
	workloads    *workloadGrid
	expiry       *widget.Label
	expiryLevel  ExpiryLevel
	reminder     *widget.Label
	pauseBtn     *widget.Button
	testBtn      *widget.Button
	checks       *setup.ChecksPanel
	checksCard   *widget.Card
	chart        *ActivityChart
	safety       *safetyLine // tenant safety: a separate answer from the light
	chartLoaded  time.Time
	chartLoading bool
	content      fyne.CanvasObject
	testing      bool

	rotateDialog     *uikit.Modal
	rotateForm       *setup.RotateForm
	lastMessage      *uikit.Modal
	disconnectDialog *uikit.Modal
	disconnectChoice *widget.RadioGroup
	ctx              context.Context
	cancel           context.CancelFunc
}

// NewDashboard builds the dashboard. Feed it statuses with SetStatus (the
// Presenter does) and call Close when the window goes away.
func NewDashboard(w fyne.Window, b Backend, hooks DashboardHooks, opts Options) *Dashboard {
	d := &Dashboard{win: w, b: b, hooks: hooks, opts: opts}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.light = NewStatusLight(health.NotConfigured)
	d.reason = uikit.Para("")
	d.fix = uikit.Message()
	d.action = widget.NewButton("", d.runAction)
	d.action.Importance = widget.HighImportance
	d.action.Hide()
	d.lastPoll = widget.NewLabel("")
	d.resolved = uikit.Message()
	d.totals = widget.NewLabel("")
	d.backfill = widget.NewProgressBar()
	d.backfill.Max = 100
	d.backfillText = widget.NewLabel("")
	d.backfillBox = container.NewVBox(uikit.Heading("Backfill (last 7 days)"), d.backfill, d.backfillText)
	d.backfillBox.Hide()
	d.workloads = newWorkloadGrid()
	d.expiry = widget.NewLabel("")
	d.reminder = uikit.Message()
	d.pauseBtn = widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), d.togglePause)
	d.testBtn = widget.NewButtonWithIcon("Test connection", theme.ViewRefreshIcon(), d.TestConnection)
	rotate := widget.NewButtonWithIcon("Rotate secret", theme.AccountIcon(), d.ShowRotateSecret)
	disconnect := widget.NewButtonWithIcon("Disconnect", theme.LogoutIcon(), d.ShowDisconnect)
	disconnect.Importance = widget.DangerImportance
	d.checks = setup.NewChecksPanel(func(step string) {
		if hooks.OpenSetup != nil {
			hooks.OpenSetup(step)
		}
	})
	d.checksCard = widget.NewCard("Test connection", "", d.checks.Content())
	d.checksCard.Hide()
	d.chart = NewActivityChart()
	d.safety = newSafetyLine(hooks.OpenFindings)

	// room for a one-line reason, a two-line fix and the action button, so
	// Pause (which adds a fix and Resume) does not move the toolbar
	reserved := 3*uikit.LineHeight() + uikit.ButtonHeight() + 3*theme.Padding()
	statusBox := uikit.MinHeight(reserved, container.NewBorder(nil, nil, container.NewCenter(d.light), nil,
		container.NewVBox(d.reason, d.fix, container.NewHBox(d.action))))
	row := []fyne.CanvasObject{d.testBtn, d.pauseBtn}
	if li, ok := b.(LoginItem); ok {
		row = append(row, d.loginCheck(li))
	}
	controls := container.NewHBox(append(row, layout.NewSpacer(), rotate, disconnect)...)
	secretBox := container.NewVBox(d.expiry, d.reminder)
	d.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		statusBox,
		d.safety.content,
		container.NewHBox(d.lastPoll, layout.NewSpacer(), d.totals),
		d.resolved,
		controls,
		d.checksCard,
		widget.NewSeparator(),
		secretBox,
		widget.NewSeparator(),
		uikit.Heading("Workloads"),
		d.workloads.content,
		d.backfillBox,
		widget.NewSeparator(),
		uikit.Heading("Records per hour, last 7 days"),
		d.chart,
	)))
	d.refreshExpiry()
	d.render()
	return d
}

// Content returns the dashboard's canvas object.
func (d *Dashboard) Content() fyne.CanvasObject { return d.content }

// Close cancels background work started by the dashboard.
func (d *Dashboard) Close() { d.cancel() }

// Status returns the status shown.
func (d *Dashboard) Status() health.Status { return d.status }

// SetStatus shows a new health snapshot. Call it on the Fyne goroutine.
func (d *Dashboard) SetStatus(s health.Status) {
	backfillDone := d.hasStatus && d.status.Backfilling && !s.Backfilling
	d.noteResolved(d.status, s)
	d.status, d.hasStatus = s, true
	if backfillDone { // the chart's minute limit would hide the last hours of backfill
		d.ReloadChart(true)
	}
	d.paused = s.Paused
	d.hideContradictedChecks()
	d.render()
	d.refreshExpiry()
}

// noteResolved keeps a line about a problem that went away (a disabled
// subscription re-enabled, throttling over, an error retried), so it is not
// visible only in the log. It stays until the next problem.
func (d *Dashboard) noteResolved(prev, next health.Status) {
	d.showResolved(resolvedFor(prev, next, d.opts.now()))
}

// showResolved applies a change of the "Resolved at …" line.
func (d *Dashboard) showResolved(l resolvedLine) {
	switch {
	case l.set:
		uikit.SetMessage(d.resolved, l.text, widget.SuccessImportance)
	case l.clear:
		uikit.SetMessage(d.resolved, "", widget.MediumImportance)
	}
}

// resolvedLine is a change of the dashboard's "Resolved at …" line: set it
// to text, clear it, or (neither) keep it.
type resolvedLine struct {
	text       string
	set, clear bool
}

// resolvedFor is the change of the "Resolved at …" line when next replaces
// prev at time at: set when a problem turned green, cleared by a new
// problem. MainWindow uses it too while its screens are not built.
func resolvedFor(prev, next health.Status, at time.Time) resolvedLine {
	wasProblem := prev.State == health.ActionNeeded || (prev.State == health.Degraded && !prev.Paused)
	switch {
	case wasProblem && next.State == health.Healthy && prev.Reason != "":
		return resolvedLine{text: fmt.Sprintf("Resolved at %s: %s", at.Local().Format("15:04"), uikit.DisplayText(prev.Reason)), set: true}
	case next.State == health.ActionNeeded || next.State == health.Degraded || next.State == health.NotConfigured:
		return resolvedLine{clear: true}
	}
	return resolvedLine{}
}

// hideContradictedChecks hides a finished test-connection panel that the
// status now contradicts: all passed under a red light, or failed under a
// green one. A stale panel must not argue with the light.
func (d *Dashboard) hideContradictedChecks() {
	if d.testing || !d.checksCard.Visible() || !d.checks.Done() {
		return
	}
	ok := d.checks.Report().OK
	if (ok && d.status.State == health.ActionNeeded) || (!ok && d.status.State == health.Healthy) {
		d.checksCard.Hide()
	}
}

func (d *Dashboard) render() {
	s := d.status
	d.light.SetStateLabel(s.State, statusTitle(s, d.paused || s.Paused))
	reason := s.Reason
	if reason == "" && !d.hasStatus {
		reason = "Waiting for the collector's first status…"
	}
	setLabel(d.reason, uikit.DisplayText(reason))
	fix := ""
	if showsFix(s) {
		fix = s.Fix
	}
	imp := widget.WarningImportance
	if s.State == health.ActionNeeded {
		imp = widget.DangerImportance
	}
	uikit.SetMessage(d.fix, fix, imp)
	if label := actionLabel(s.Action); label != "" {
		if d.action.Text != label {
			d.action.SetText(label)
		}
		d.action.Show()
	} else {
		d.action.Hide()
	}

	now := d.opts.now()
	setLabel(d.lastPoll, "Last successful poll: "+uikit.FormatAgo(now, s.LastPoll))
	setLabel(d.totals, numfmt.Count(s.TotalRecords)+" records stored")
	if s.Backfilling {
		// the bar truncates its own percent text: give it the rounded
		// value the text below shows, so they never read 16 % and 17 %
		d.backfill.SetValue(math.Round(s.Backfill))
		var recs int64
		for _, w := range s.Workloads {
			recs += w.BackfillRecords
		}
		setLabel(d.backfillText, fmt.Sprintf("%.0f%% — %s records so far", s.Backfill, numfmt.Count(recs)))
		d.backfillBox.Show()
	} else {
		d.backfillBox.Hide()
	}
	if d.workloads.set(s.Workloads, now) && d.content != nil {
		// rows were added: re-lay out the page so the chart moves down
		// instead of being drawn over by the new rows
		d.content.Refresh()
	}
	if d.paused {
		setButton(d.pauseBtn, "Resume", theme.MediaPlayIcon())
	} else {
		setButton(d.pauseBtn, "Pause", theme.MediaPauseIcon())
	}
	if d.canPause() {
		d.pauseBtn.Enable()
	} else {
		d.pauseBtn.Disable()
	}
}

// setLabel sets a label's text only when it changes: a refresh re-shapes
// the text on the Fyne goroutine, and during a backfill the dashboard gets
// a status four times a second.
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// setButton is setLabel for a button's text and icon.
func setButton(b *widget.Button, text string, icon fyne.Resource) {
	if b.Text != text || b.Icon == nil || b.Icon.Name() != icon.Name() {
		b.Text, b.Icon = text, icon
		b.Refresh()
	}
}

// canPause reports whether Pause/Resume has a collector to act on: a paused
// dashboard can always resume; otherwise the status must say one runs (a
// "Paused" headline over a collector that never started would hide why).
func (d *Dashboard) canPause() bool {
	return d.paused || (d.hasStatus && d.status.Collecting())
}

// refreshExpiry updates the secret countdown from the status or Backend.
func (d *Dashboard) refreshExpiry() {
	exp := d.status.SecretExpiry
	if exp.IsZero() {
		exp = d.b.SecretExpiry()
	}
	text, level := ExpiryCountdown(d.opts.now(), exp)
	d.expiryLevel = level
	d.expiry.SetText(text)
	d.expiry.Importance = expiryImportance(level)
	d.expiry.Refresh()
	uikit.SetMessage(d.reminder, d.b.ReminderText(), expiryImportance(level))
}

func expiryImportance(l ExpiryLevel) widget.Importance {
	switch l {
	case ExpirySoon:
		return widget.WarningImportance
	case ExpiryExpired:
		return widget.DangerImportance
	case ExpiryOK:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

// runAction performs the status's one-button fix.
func (d *Dashboard) runAction() {
	switch d.status.Action {
	case health.ActionSetup:
		if d.hooks.OpenSetup != nil {
			d.hooks.OpenSetup("")
		}
	case health.ActionTestConnection:
		d.TestConnection()
	case health.ActionRotateSecret:
		d.ShowRotateSecret()
	case health.ActionOpenPurview:
		if err := uikit.OpenURL(setup.PurviewAuditURL); err != nil {
			d.opts.logger().Warn("opening Purview", "err", err)
			d.lastMessage = uikit.ShowURL(d.opts.Gate, d.win.Canvas(), setup.PurviewAuditURL, err)
		}
	case health.ActionRetryNow:
		d.b.RetryNow()
	case health.ActionResume:
		d.paused = false
		d.b.Resume()
		d.render()
	}
}

// togglePause pauses or resumes collection.
func (d *Dashboard) togglePause() {
	if !d.canPause() {
		return
	}
	d.paused = !d.paused
	if d.paused {
		d.b.Pause()
	} else {
		d.b.Resume()
	}
	d.render()
}

// Paused reports whether the dashboard shows collection as paused.
func (d *Dashboard) Paused() bool { return d.paused }

// TestConnection runs the checks with the stored settings (empty secret) and
// shows them in a panel, without blocking the window.
func (d *Dashboard) TestConnection() {
	if d.testing {
		return
	}
	d.testing = true
	d.testBtn.Disable()
	d.checks.Reset()
	d.checksCard.Show()
	draft := d.b.LoadDraft()
	do := d.opts.do
	go func() {
		rep := d.b.TestConnection(d.ctx, draft, "", func(r setup.CheckResult) {
			do(func() { d.checks.Update(r) })
		})
		do(func() {
			d.checks.Finish(rep)
			d.testing = false
			d.testBtn.Enable()
		})
	}()
}

// ReloadChart reloads the activity chart in the background unless it was
// loaded less than a minute ago (force skips that limit).
func (d *Dashboard) ReloadChart(force bool) {
	now := d.opts.now()
	if d.chartLoading || (!force && now.Sub(d.chartLoaded) < chartRefreshEvery) {
		return
	}
	d.chartLoading = true
	until := now.Truncate(time.Hour).Add(time.Hour)
	since := until.Add(-chartHours * time.Hour)
	do := d.opts.do
	go func() {
		counts, err := d.b.HourlyCounts(d.ctx, since, until)
		do(func() {
			d.chartLoading = false
			if err != nil {
				d.opts.logger().Warn("loading hourly counts", "err", err)
				return
			}
			d.chartLoaded = now
			d.chart.SetData(counts, since)
		})
	}()
}

// LoginItem is implemented by backends that can start AuditLight when the
// user logs in (Windows Run key, macOS LaunchAgent, XDG autostart).
type LoginItem interface {
	StartAtLogin() (bool, error)
	SetStartAtLogin(on bool) error
}

// loginCheck is the "Start at login" option (off by default). A failure
// to change it is shown and the box returns to the real state.
func (d *Dashboard) loginCheck(li LoginItem) *widget.Check {
	on, err := li.StartAtLogin()
	if err != nil {
		d.opts.logger().Warn("reading the start-at-login setting", "err", err)
	}
	check := widget.NewCheck("Start at login", nil)
	check.SetChecked(on)
	check.OnChanged = func(want bool) {
		if err := li.SetStartAtLogin(want); err != nil {
			uikit.ShowMessage(d.win, "Start at login", "Could not change the setting: "+err.Error())
			if now, _ := li.StartAtLogin(); now != want {
				check.SetChecked(now)
			}
		}
	}
	return check
}
