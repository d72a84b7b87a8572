package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uitest"
	"github.com/auditlight/auditlight/ui/setup"
)

var dashNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func newTestDashboard(t *testing.T, b *fakeBackend, hooks DashboardHooks) (*Dashboard, *uitest.Queue, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	q := uitest.NewQueue()
	w := test.NewTempWindow(t, nil)
	d := NewDashboard(w, b, hooks, Options{Gate: q.Gate(), Clock: func() time.Time { return dashNow }, validator: testValidator()})
	w.SetContent(d.Content())
	w.Resize(fyne.NewSize(1000, 800))
	t.Cleanup(d.Close)
	return d, q, w
}

func TestDashboardRendersEachState(t *testing.T) {
	tests := []struct {
		name       string
		status     health.Status
		wantColour fyne.ThemeColorName
		wantTitle  string
		wantButton string // "" = no action button
		wantFix    bool
		tapped     func(t *testing.T, b *fakeBackend, d *Dashboard, setup []string)
	}{
		{"grey", health.Status{State: health.NotConfigured, Reason: "AuditLight is not connected to a tenant yet.", Action: health.ActionSetup},
			theme.ColorNameDisabled, "Not set up", "Open setup", false,
			func(t *testing.T, _ *fakeBackend, _ *Dashboard, setup []string) {
				if len(setup) != 1 {
					t.Errorf("Open setup called %d times", len(setup))
				}
			}},
		{"blue", health.Status{State: health.WaitingForData, Reason: "Subscribed; Microsoft has not published any audit data yet (normal for up to 12 hours)."},
			theme.ColorNamePrimary, "Waiting for first data", "", false, nil},
		{"green", health.Status{State: health.Healthy, Reason: "Polled 2 minutes ago; newest record 40 minutes old.", Fix: "not shown when green"},
			theme.ColorNameSuccess, "Collecting", "", false, nil},
		{"amber", health.Status{State: health.Degraded, Reason: "Microsoft is throttling requests.", Fix: "Nothing to do; AuditLight retries.", Action: health.ActionRetryNow},
			theme.ColorNameWarning, "Collecting with problems", "Retry now", true,
			func(t *testing.T, b *fakeBackend, _ *Dashboard, _ []string) {
				if b.retries != 1 {
					t.Errorf("RetryNow called %d times", b.retries)
				}
			}},
		{"red secret", health.Status{State: health.ActionNeeded, Reason: "The client secret has expired.", Fix: "Create a new secret in Entra and rotate it.", Action: health.ActionRotateSecret},
			theme.ColorNameError, "Action needed", "Rotate secret", true,
			func(t *testing.T, _ *fakeBackend, d *Dashboard, _ []string) {
				if d.rotateDialog == nil || !d.rotateDialog.Visible() {
					t.Error("rotate-secret dialog not shown")
				}
			}},
		{"red paused", health.Status{State: health.ActionNeeded, Reason: "Collection is paused.", Fix: "Resume to continue.", Action: health.ActionResume, Paused: true},
			theme.ColorNameError, "Action needed", "Resume", true,
			func(t *testing.T, b *fakeBackend, d *Dashboard, _ []string) {
				if b.resumed != 1 || d.Paused() {
					t.Errorf("Resume called %d times, paused %v", b.resumed, d.Paused())
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			var setup []string
			d, _, _ := newTestDashboard(t, b, DashboardHooks{OpenSetup: func(s string) { setup = append(setup, s) }})
			d.SetStatus(tc.status)

			if got := d.light.ColorName(); got != tc.wantColour {
				t.Errorf("light colour %s, want %s", got, tc.wantColour)
			}
			r := test.TempWidgetRenderer(t, d.light).(*statusLightRenderer)
			want := d.light.Theme().Color(tc.wantColour, fyne.CurrentApp().Settings().ThemeVariant())
			if r.circle.FillColor != want {
				t.Errorf("circle filled %v, want %v", r.circle.FillColor, want)
			}
			if r.text.Text != tc.wantTitle {
				t.Errorf("light label %q, want %q", r.text.Text, tc.wantTitle)
			}
			if d.reason.Text != tc.status.Reason {
				t.Errorf("reason %q", d.reason.Text)
			}
			if d.fix.Visible() != tc.wantFix || (tc.wantFix && d.fix.Text != tc.status.Fix) {
				t.Errorf("fix %q visible %v, want visible %v", d.fix.Text, d.fix.Visible(), tc.wantFix)
			}
			if (tc.wantButton != "") != d.action.Visible() || (tc.wantButton != "" && d.action.Text != tc.wantButton) {
				t.Fatalf("action button %q visible %v, want %q", d.action.Text, d.action.Visible(), tc.wantButton)
			}
			if tc.tapped != nil {
				test.Tap(d.action)
				tc.tapped(t, b, d, setup)
			}
		})
	}
}

func TestDashboardWorkloadsAndBackfill(t *testing.T) {
	d, _, _ := newTestDashboard(t, newFakeBackend(), DashboardHooks{})
	d.SetStatus(health.Status{State: health.Healthy, Backfilling: true, Backfill: 42, LastPoll: dashNow.Add(-3 * time.Minute),
		TotalRecords: 12345,
		Workloads: []health.Workload{
			{Name: "Exchange", Subscribed: true, LastRecord: dashNow.Add(-40 * time.Minute), Lag: 35 * time.Minute, Records24h: 4321, BackfillRecords: 1000},
			{Name: "DLP", Subscribed: false, Error: "ActivityFeed.ReadDlp is missing", BackfillRecords: 234},
		}})
	wantRows := [][]string{
		{"Exchange", "yes", "40 min ago", "35 min", "4,321", "—"},
		{"DLP", "no", "never", "—", "0", "ActivityFeed.ReadDlp is missing"},
	}
	for i, row := range wantRows {
		for j, want := range row {
			if got := d.workloads.cells[i][j].Full(); got != want {
				t.Errorf("row %d col %s: %q, want %q", i, workloadColumns()[j], got, want)
			}
		}
	}
	if d.workloads.cells[1][5].Importance != widget.DangerImportance {
		t.Error("workload error not highlighted")
	}
	if !d.backfillBox.Visible() || d.backfill.Value != 42 || d.backfillText.Text != "42% — 1,234 records so far" {
		t.Errorf("backfill %v %q", d.backfill.Value, d.backfillText.Text)
	}
	if d.lastPoll.Text != "Last successful poll: 3 min ago" || d.totals.Text != "12,345 records stored" {
		t.Errorf("poll %q totals %q", d.lastPoll.Text, d.totals.Text)
	}
}

func TestDashboardExpiryCountdown(t *testing.T) {
	tests := []struct {
		name     string
		expiry   time.Time
		reminder string
		want     string
		level    ExpiryLevel
		imp      widget.Importance
	}{
		{"23 days", time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC), "Your client secret expires in 30 days or less.",
			"Client secret expires in 23 days — 2026-12-17", ExpirySoon, widget.WarningImportance},
		{"months away", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), "",
			"Client secret expires in 189 days — 2027-06-01", ExpiryOK, widget.SuccessImportance},
		{"expired", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "Your client secret has expired.",
			"Client secret expired on 2026-11-23 — create a new one and rotate it", ExpiryExpired, widget.DangerImportance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			b.expiry, b.reminder = tc.expiry, tc.reminder
			d, _, _ := newTestDashboard(t, b, DashboardHooks{})
			if d.expiry.Text != tc.want || d.expiryLevel != tc.level || d.expiry.Importance != tc.imp {
				t.Errorf("expiry %q level %v importance %v; want %q %v %v", d.expiry.Text, d.expiryLevel, d.expiry.Importance, tc.want, tc.level, tc.imp)
			}
			if d.reminder.Visible() != (tc.reminder != "") || d.reminder.Text != tc.reminder {
				t.Errorf("reminder %q visible %v", d.reminder.Text, d.reminder.Visible())
			}
		})
	}
}

func TestDashboardRotateSecret(t *testing.T) {
	b := newFakeBackend()
	d, q, _ := newTestDashboard(t, b, DashboardHooks{})
	d.ShowRotateSecret()
	f := d.rotateForm
	test.Type(f.SecretEntry(), testClient)
	if secretMsg(f) != setup.SecretIDWarning || !d.rotateDialog.ConfirmButton.Disabled() {
		t.Fatalf("Secret ID accepted: msg %q, Save disabled %v", secretMsg(f), d.rotateDialog.ConfirmButton.Disabled())
	}
	uitest.Retype(f.SecretEntry(), testSecret)
	test.Type(f.ExpiryEntry(), "2028-01-31")
	if d.rotateDialog.ConfirmButton.Disabled() {
		t.Fatalf("Save disabled with a valid secret: %q %q", secretMsg(f), expiryMsg(f))
	}
	test.Tap(d.rotateDialog.ConfirmButton)
	q.Until(t, "rotation saved", func() bool { return d.lastMessage != nil && d.lastMessage.Title == "New secret in use" })
	if len(b.rotated) != 1 || b.secrets[0] != testSecret || !b.rotated[0].Equal(time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("RotateSecret got %v %v", b.secrets, b.rotated)
	}
	if !strings.HasPrefix(d.expiry.Text, "Client secret expires in 433 days") {
		t.Errorf("countdown not refreshed: %q", d.expiry.Text)
	}
}

// A rejected secret must say the old one stays in use and never advise
// deleting it (issue 10, item 2).
func TestDashboardRotateRejectedKeepsOldSecret(t *testing.T) {
	b := newFakeBackend()
	b.rotateErr = errors.New("the new client secret did not work; AuditLight keeps using the old one: invalid-secret: the client secret is wrong (AADSTS7000215)")
	d, q, _ := newTestDashboard(t, b, DashboardHooks{})
	d.ShowRotateSecret()
	if strings.Contains(strings.ToLower(allText(d.rotateDialog.Body)), "delete the old secret in entra after") {
		t.Error("the dialog advises deleting the old secret before the new one works")
	}
	test.Type(d.rotateForm.SecretEntry(), testSecret)
	test.Type(d.rotateForm.ExpiryEntry(), "2028-01-31")
	test.Tap(d.rotateDialog.ConfirmButton)
	if d.lastMessage == nil || d.lastMessage.Text != rotateTesting {
		t.Fatal("no progress shown while the new secret is tested")
	}
	q.Until(t, "rotation refused", func() bool { return d.lastMessage.Text != rotateTesting })
	msg := d.lastMessage.Text
	if d.lastMessage.Title != "The new secret did not work" || !strings.Contains(msg, "keeps using the old secret") ||
		strings.Contains(msg, "can delete the old") || strings.Contains(msg, "invalid-secret:") || !strings.HasPrefix(msg, "The new") {
		t.Errorf("refusal reads %q: %q", d.lastMessage.Title, msg)
	}
	if strings.HasPrefix(d.expiry.Text, "Client secret expires in 433 days") {
		t.Error("the rejected secret's expiry is shown")
	}
}

// The rotate dialog shows both fields without scrolling in a 1024×700
// window, and Escape closes it, also while a field has the focus (item 13).
func TestRotateDialogFitsAndEscapeCloses(t *testing.T) {
	for _, focused := range []bool{false, true} {
		b := newFakeBackend()
		d, _, w := newTestDashboard(t, b, DashboardHooks{})
		w.Resize(fyne.NewSize(1024, 700))
		d.ShowRotateSecret()
		pop := d.rotateDialog.Pop
		exp := d.rotateForm.ExpiryEntry()
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(exp)
		bottom := pop.Content.Position().Y + pop.Content.Size().Height
		if pos.Y+exp.Size().Height > bottom || pos.Y+exp.Size().Height > w.Canvas().Size().Height {
			t.Errorf("Expires field ends at %v, below the dialog (%v)", pos.Y+exp.Size().Height, bottom)
		}
		if focused {
			w.Canvas().Focus(d.rotateForm.SecretEntry())
			d.rotateForm.SecretEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		} else {
			w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		}
		if d.rotateDialog.Visible() {
			t.Errorf("Escape (field focused %v) did not close the dialog", focused)
		}
	}
}

// allText concatenates the text of every label and entry under o.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.Hyperlink:
			b.WriteString(v.Text + "\n")
		case *widget.Button:
			b.WriteString(v.Text + "\n")
		case *widget.Form:
			for _, it := range v.Items {
				b.WriteString(it.Text + "\n")
				walk(it.Widget)
			}
		case *widget.Card:
			b.WriteString(v.Title + "\n")
			walk(v.Content)
		case *widget.PopUp:
			walk(v.Content)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(v.Content)
		case *container.Split:
			walk(v.Leading)
			walk(v.Trailing)
		}
	}
	walk(o)
	return b.String()
}

func TestDashboardDisconnectKeepsOrDeletes(t *testing.T) {
	tests := []struct {
		choice string
		keep   bool
	}{{keepEventsChoice, true}, {deleteEventsChoice, false}}
	for _, tc := range tests {
		t.Run(tc.choice, func(t *testing.T) {
			b := newFakeBackend()
			disconnected := false
			d, q, _ := newTestDashboard(t, b, DashboardHooks{Disconnected: func() { disconnected = true }})
			d.ShowDisconnect()
			d.disconnectChoice.SetSelected(tc.choice)
			d.disconnectDialog.Confirm()
			q.Until(t, "disconnect", func() bool { return disconnected })
			if len(b.disconnects) != 1 || b.disconnects[0] != tc.keep {
				t.Errorf("Disconnect(keepData) = %v, want %v", b.disconnects, tc.keep)
			}
		})
	}
}

func TestDashboardTestConnectionPanel(t *testing.T) {
	b := newFakeBackend()
	b.report = setup.CheckReport{Results: []setup.CheckResult{
		{ID: "audit", Title: "Unified audit logging", Status: setup.CheckFail, Reason: "Auditing is off.", Fix: "Turn it on in Purview.", Step: setup.StepBefore},
	}}
	var opened []string
	d, q, _ := newTestDashboard(t, b, DashboardHooks{OpenSetup: func(s string) { opened = append(opened, s) }})
	test.Tap(d.testBtn)
	if !d.testBtn.Disabled() || !d.checksCard.Visible() {
		t.Fatal("test connection did not start")
	}
	q.Until(t, "checks finished", func() bool { return !d.testing })
	if b.secrets[0] != "" {
		t.Error("dashboard re-test must use the stored secret")
	}
	goTo := findButton(d.checksCard, "Go to step")
	if text := allText(d.checksCard); !strings.Contains(text, "Turn it on in Purview.") || goTo == nil {
		t.Fatalf("panel shows %q, go-to button %v", text, goTo)
	}
	test.Tap(goTo)
	if len(opened) != 1 || opened[0] != setup.StepBefore {
		t.Errorf("Go to step opened setup at %v", opened)
	}
}

// A disconnect that fails shows the true state: still connected (and says
// nothing was removed), or disconnected with the leftover problem (item 17).
func TestDashboardDisconnectFailureShowsTrueState(t *testing.T) {
	tests := []struct {
		name         string
		stillThere   bool
		wantSetup    bool
		wantTitle    string
		wantContains string
	}{
		{"still connected", true, false, "Could not disconnect", "still connected"},
		{"disconnected, data left", false, true, "Disconnected, with a problem", "delete /x by hand"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			b.disconnectErr = errors.New("removing the client secret from the OS keychain (still connected): the keyring is locked")
			if !tc.stillThere {
				b.disconnectErr = errors.New("disconnected, but the local events could not be deleted (delete /x by hand): busy")
			}
			setup := false
			d, q, _ := newTestDashboard(t, b, DashboardHooks{Disconnected: func() { setup = true }})
			b.mu.Lock()
			b.unconfigured = !tc.stillThere
			b.mu.Unlock()
			d.ShowDisconnect()
			d.disconnectDialog.Confirm()
			q.Until(t, "disconnect outcome", func() bool { return d.lastMessage != nil })
			if setup != tc.wantSetup {
				t.Errorf("setup shown = %v, want %v", setup, tc.wantSetup)
			}
			if d.lastMessage.Title != tc.wantTitle || !strings.Contains(d.lastMessage.Text, tc.wantContains) {
				t.Errorf("message %q: %q", d.lastMessage.Title, d.lastMessage.Text)
			}
		})
	}
}

func TestDashboardPauseToggle(t *testing.T) {
	b := newFakeBackend()
	d, _, _ := newTestDashboard(t, b, DashboardHooks{})
	d.SetStatus(health.Status{State: health.Healthy, Reason: "Collecting."})
	test.Tap(d.pauseBtn)
	if b.paused != 1 || d.pauseBtn.Text != "Resume" {
		t.Errorf("after pause: calls %d, button %q", b.paused, d.pauseBtn.Text)
	}
	test.Tap(d.pauseBtn)
	if b.resumed != 1 || d.pauseBtn.Text != "Pause" {
		t.Errorf("after resume: calls %d, button %q", b.resumed, d.pauseBtn.Text)
	}
}

// With no collector running (not set up, or it could not start: a locked
// keychain) Pause has nothing to pause: a "Paused" headline would hide the
// real problem, so the button is disabled and tapping it changes nothing.
func TestDashboardPauseDisabledWithoutACollector(t *testing.T) {
	tests := []struct {
		name   string
		status *health.Status
	}{
		{"no status yet", nil},
		{"not set up", &health.Status{State: health.NotConfigured}},
		{"collector did not start", &health.Status{State: health.ActionNeeded, Reason: "AuditLight cannot read the secret from the keychain.",
			NotRunningSince: dashNow}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			d, _, _ := newTestDashboard(t, b, DashboardHooks{})
			if tc.status != nil {
				d.SetStatus(*tc.status)
			}
			if !d.pauseBtn.Disabled() {
				t.Error("Pause enabled")
			}
			d.togglePause() // the tray's action
			if b.paused != 0 || d.Paused() || d.light.Label() == "Paused" {
				t.Errorf("paused anyway: calls %d, shown paused %v, light %q", b.paused, d.Paused(), d.light.Label())
			}
		})
	}
}

// The rotate dialog echoes the parsed date in words before saving, reads a
// numeric date in the configured order, and its calendar writes ISO (item 4).
func TestRotateExpiryEchoedInWords(t *testing.T) {
	b := newFakeBackend()
	test.NewTempApp(t)
	q := uitest.NewQueue()
	w := test.NewTempWindow(t, nil)
	d := NewDashboard(w, b, DashboardHooks{}, Options{Gate: q.Gate(), Clock: func() time.Time { return dashNow }, validator: testValidator(), DateOrder: setup.DayFirst})
	w.SetContent(d.Content())
	w.Resize(fyne.NewSize(1024, 700))
	t.Cleanup(d.Close)
	d.ShowRotateSecret()
	f := d.rotateForm
	if f.ExpiryEntry().PlaceHolder != setup.ExpiryPlaceholder {
		t.Errorf("placeholder %q does not show the format", f.ExpiryEntry().PlaceHolder)
	}
	test.Type(f.ExpiryEntry(), "05/03/2027")
	if expiryMsg(f) != "Expires on 5 March 2027 (in 101 days)." {
		t.Errorf("echo %q", expiryMsg(f))
	}
	uitest.Retype(f.ExpiryEntry(), "2027-05-03")
	if expiryMsg(f) != "Expires on 3 May 2027 (in 160 days)." {
		t.Errorf("echo %q", expiryMsg(f))
	}
}

// secretMsg and expiryMsg are the rotate form's field messages.
func secretMsg(f *setup.RotateForm) string { s, _ := f.Messages(); return s }

func expiryMsg(f *setup.RotateForm) string { _, e := f.Messages(); return e }
