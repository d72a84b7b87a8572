package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uitest"
	"github.com/auditlight/auditlight/ui/setup"
)

func newTestMainWindow(t *testing.T, b *fakeBackend, onStatus func(health.Status)) (*MainWindow, *uitest.Queue, fyne.App, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1100, 800))
	m := NewMainWindow(a, w, b, MainOptions{
		Options:   Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond, PageSize: 40},
		Validator: testValidator(),
		OnStatus:  onStatus,
		Notify:    a.SendNotification,
	})
	t.Cleanup(func() { q.Drain(); m.Close() })
	return m, q, a, w
}

func TestMainWindowShowsWizardUntilConfigured(t *testing.T) {
	tests := []struct {
		name         string
		unconfigured bool
		wantWizard   bool
	}{{"not configured", true, true}, {"configured", false, false}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			b.unconfigured = tc.unconfigured
			m, _, _, w := newTestMainWindow(t, b, nil)
			if (m.Wizard() != nil) != tc.wantWizard {
				t.Fatalf("wizard shown = %v", m.Wizard() != nil)
			}
			if tc.wantWizard && w.Content() != m.Wizard().Content() {
				t.Error("window does not show the wizard")
			}
			if !tc.wantWizard && w.Content() != m.tabs.Content() {
				t.Error("window does not show the tabs")
			}
		})
	}
}

func TestMainWindowPresentsStatusAndEvents(t *testing.T) {
	b := newFakeBackend()
	b.addRows(sampleRows(10, feedNow, "r")...)
	var tray []health.Status
	m, q, _, _ := newTestMainWindow(t, b, func(s health.Status) { tray = append(tray, s) })
	q.Until(t, "feed loaded", func() bool { return len(m.Feed.Rows()) == 10 })

	red := health.Status{State: health.ActionNeeded, Reason: "The client secret has expired.", Fix: "Rotate it.", Action: health.ActionRotateSecret}
	test.AssertNotificationSent(t, fyne.NewNotification("AuditLight: action needed", "The client secret has expired. Rotate it."), func() {
		b.status <- red
		q.Until(t, "red status", func() bool { return m.Dashboard.light.State() == health.ActionNeeded })
	})
	if len(tray) == 0 || tray[len(tray)-1].State != health.ActionNeeded {
		t.Errorf("tray callback got %v", tray)
	}
	if m.Dashboard.action.Text != "Rotate secret" {
		t.Errorf("action %q", m.Dashboard.action.Text)
	}

	b.addRows(sampleRows(2, feedNow.Add(5*time.Minute), "s")...)
	b.ticks <- 2
	q.Until(t, "new events in the feed", func() bool { return len(m.Feed.Rows()) == 12 })
	if m.Feed.Rows()[0].ID != "s000002" {
		t.Errorf("newest row %s", m.Feed.Rows()[0].ID)
	}
}

func TestMainWindowSetupFromDashboardAndBack(t *testing.T) {
	b := newFakeBackend()
	b.draft = setup.Draft{Tenant: testTenant, ClientID: testClient}
	m, _, _, w := newTestMainWindow(t, b, nil)
	m.ShowSetup(setup.StepPermissions)
	if m.Wizard() == nil || m.Wizard().StepName() != setup.StepPermissions || w.Content() != m.Wizard().Content() {
		t.Fatal("setup not shown at the permissions step")
	}
	cancel := findButton(m.Wizard().Content(), "Cancel")
	if cancel == nil {
		t.Fatal("no Cancel for a connected tenant")
	}
	test.Tap(cancel)
	if m.Wizard() != nil || w.Content() != m.tabs.Content() {
		t.Error("Cancel did not return to the dashboard")
	}
}

func TestMainWindowTrayTestConnection(t *testing.T) {
	t.Run("during first setup it goes to the connect step", func(t *testing.T) {
		b := newFakeBackend()
		b.unconfigured = true
		b.draft = setup.Draft{Tenant: testTenant, ClientID: testClient}
		m, _, _, _ := newTestMainWindow(t, b, nil)
		m.TestConnection()
		// the secret is not saved, so the wizard stops at the secret step
		if m.Wizard() == nil || m.Wizard().StepName() != setup.StepSecret {
			t.Errorf("wizard at %v", m.Wizard())
		}
	})
	t.Run("when connected it runs on the dashboard", func(t *testing.T) {
		b := newFakeBackend()
		b.report = setup.CheckReport{OK: true, Results: []setup.CheckResult{{ID: "token", Title: "Sign in", Status: setup.CheckPass}}}
		m, q, _, w := newTestMainWindow(t, b, nil)
		m.ShowSetup("")
		m.TestConnection()
		if w.Content() != m.tabs.Content() || m.tabs.SelectedIndex() != 0 {
			t.Fatal("dashboard not shown")
		}
		q.Until(t, "checks", func() bool { return !m.Dashboard.testing })
		if text := allText(m.Dashboard.checksCard); !strings.Contains(text, "All checks passed.") {
			t.Errorf("panel shows %q", text)
		}
	})
}

// TestTabShownIsReported: the responsiveness probe (scripts/clicks.sh) is told
// of every tab the admin opens, by a tap on it or from the tray, in order.
func TestTabShownIsReported(t *testing.T) {
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1100, 800))
	var shown []string
	m := NewMainWindow(a, w, newFakeBackend(), MainOptions{
		Options:    Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond, PageSize: 40},
		Validator:  testValidator(),
		OnTabShown: func(tab string) { shown = append(shown, tab) },
	})
	t.Cleanup(func() { q.Drain(); m.Close() })
	m.tabs.Select(m.eventsTab)
	m.ShowFindings()
	if err := m.SelectTab("status"); err != nil {
		t.Fatal(err)
	}
	want := []string{"Events", "Findings", "Status"}
	if strings.Join(shown, ",") != strings.Join(want, ",") {
		t.Errorf("tabs reported %q, want %q", shown, want)
	}
}
