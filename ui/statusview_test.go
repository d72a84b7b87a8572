package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/setup"
)

// relayout forces the test canvas to lay everything out again (it does not
// on its own after a widget changes) by changing the window width.
func relayout(w fyne.Window, width float32) {
	w.Resize(fyne.NewSize(width, 800))
}

func absY(o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y
}

// Pausing adds a fix text and a Resume button; the toolbar under the status
// must not move, and the light says "Paused", not "Collecting with
// problems" (issue 10, item 12).
func TestPauseDoesNotMoveTheToolbarAndSaysPaused(t *testing.T) {
	b := newFakeBackend()
	d, _, w := newTestDashboard(t, b, DashboardHooks{})
	d.SetStatus(health.Status{State: health.Healthy, Reason: "Online and logging. Last poll 20 seconds ago."})
	relayout(w, 1001)
	before := absY(d.testBtn)
	test.Tap(d.pauseBtn)
	d.SetStatus(health.Status{State: health.Degraded, Paused: true, Reason: "Collection is paused.",
		Fix: "Resume collection so no records are missed.", Action: health.ActionResume})
	relayout(w, 1002)
	if after := absY(d.testBtn); after != before {
		t.Errorf("the toolbar moved from y=%v to y=%v when pausing", before, after)
	}
	if d.light.Label() != "Paused" || d.light.ColorName() != theme.ColorNameWarning {
		t.Errorf("paused light reads %q in %s", d.light.Label(), d.light.ColorName())
	}
	if line := TrayStatusLine(d.Status(), true); line != "AuditLight: Paused" {
		t.Errorf("tray line %q", line)
	}
}

// An all-green test panel must not stay under a red light (item 14).
func TestPassedChecksHideWhenTheLightTurnsRed(t *testing.T) {
	b := newFakeBackend()
	b.report = setup.CheckReport{OK: true, Results: []setup.CheckResult{{ID: "token", Title: "Sign in", Status: setup.CheckPass}}}
	d, q, _ := newTestDashboard(t, b, DashboardHooks{})
	d.SetStatus(health.Status{State: health.Healthy})
	d.TestConnection()
	q.Until(t, "checks finished", func() bool { return !d.testing })
	if !d.checksCard.Visible() {
		t.Fatal("panel not shown")
	}
	d.SetStatus(health.Status{State: health.Degraded, Reason: "Microsoft is throttling; catching up more slowly."})
	if !d.checksCard.Visible() {
		t.Error("an amber status need not hide a passing test")
	}
	d.SetStatus(health.Status{State: health.ActionNeeded, Reason: "The client secret is wrong.", Action: health.ActionRotateSecret})
	if d.checksCard.Visible() {
		t.Error("all-green test panel still shown under a red light")
	}
}

// "→" rendered as "→�" (Fyne's font lacks it): every fix text the dashboard
// shows must come out without it (issue 10, item 7; the check panel's half
// is in package setup).
func TestFixTextsShowNoArrowGlyph(t *testing.T) {
	kinds := []fault.Kind{fault.PermissionMissing, fault.AuditOff, fault.InvalidSecret, fault.ExpiredSecret,
		fault.SubscriptionDisabled, fault.Throttled, fault.TenantNotFound, fault.AppNotFound}
	b := newFakeBackend()
	d, _, _ := newTestDashboard(t, b, DashboardHooks{})
	for _, k := range kinds {
		reason, fix, _ := health.Explain(fault.New(k, "test", "", ""))
		if strings.Contains(reason+fix, "→") {
			t.Errorf("%s: health text contains →: %q %q", k, reason, fix)
		}
	}
	d.SetStatus(health.Status{State: health.Degraded, Reason: "Open Audit → Start recording.", Fix: "Purview → Audit → Start recording"})
	if strings.Contains(d.reason.Text+d.fix.Text, "→") || !strings.Contains(d.fix.Text, "Purview › Audit") {
		t.Errorf("shown %q / %q", d.reason.Text, d.fix.Text)
	}
}

// The backfill bar and its text agree (16 % vs 17 % before), and the chart
// reloads as soon as the backfill ends instead of up to a minute later
// (issue 10, item 16).
func TestBackfillBarMatchesTextAndChartReloadsAtTheEnd(t *testing.T) {
	b := newFakeBackend()
	d, q, _ := newTestDashboard(t, b, DashboardHooks{})
	q.Until(t, "first chart load", func() bool { return !d.chartLoading })
	d.SetStatus(health.Status{State: health.Healthy, Backfilling: true, Backfill: 16.6})
	shown := int(d.backfill.Value)
	if !strings.HasPrefix(d.backfillText.Text, fmt.Sprintf("%d%%", shown)) {
		t.Errorf("bar %v%% but text %q", d.backfill.Value, d.backfillText.Text)
	}
	b.mu.Lock()
	before := b.hourlyCalls
	b.mu.Unlock()
	d.SetStatus(health.Status{State: health.Healthy, Backfilling: false})
	q.Until(t, "chart reload", func() bool { return !d.chartLoading })
	b.mu.Lock()
	after := b.hourlyCalls
	b.mu.Unlock()
	if after != before+1 {
		t.Errorf("chart loaded %d times when the backfill ended, want 1", after-before)
	}
}

// A workload never collected shows no lag ("0 s" before; issue 10, item 15).
func TestNeverCollectedWorkloadShowsNoLag(t *testing.T) {
	cells := workloadCells(health.Workload{Name: "DLP", Subscribed: true, Lag: 2 * time.Second}, dashNow)
	if cells[3] != "—" {
		t.Errorf("lag %q for a workload never collected", cells[3])
	}
}

// Text cut to fit ends in an ellipsis, figures included ("1,234,5" clipped
// from "1,234,567" would read as a number), and no label of the window cuts
// it with Fyne's own ellipsis, which builds a HarfBuzz shaper at every
// refresh of every such label (issue 12): 20 of the workload grid's 30 cells
// change with each status of a backfill, on the path to the green, and a
// page of Events rows or findings is bound again at every scroll.
func TestCutTextEndsInAnEllipsisWithoutFynesPerRefreshShaper(t *testing.T) {
	b := newFakeBackend()
	b.addRows(sampleRows(30, feedNow, "r")...)
	b.setFindings(fwdFinding(1, finding.High, finding.StatusNew), fwdFinding(2, finding.Medium, finding.StatusAcknowledged))
	m, q, _, w := newTestMainWindow(t, b, nil)
	w.Resize(fyne.NewSize(640, 480)) // narrow: cells are cut
	wl := health.Workload{Name: "General (Teams, Defender, Power Platform and others)", Subscribed: true,
		LastRecord: dashNow.Add(-3 * time.Minute), Lag: 34 * time.Hour, Records24h: 1234567,
		Error: "The subscription was disabled by the tenant's administrator; start it again from the Status tab."}
	b.status <- health.Status{State: health.Healthy, Workloads: []health.Workload{wl}}
	q.Until(t, "feed, findings and status shown", func() bool {
		return len(m.Feed.Rows()) == 30 && len(m.Dashboard.workloads.cells) == 1
	})
	for _, tab := range []string{"status", "events", "findings"} {
		if err := m.SelectTab(tab); err != nil {
			t.Fatal(err)
		}
		q.Drain()
		var fyneEllipsis []string
		walkObjects(w.Content(), func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.Truncation == fyne.TextTruncateEllipsis {
				fyneEllipsis = append(fyneEllipsis, l.Text)
			}
		})
		if len(fyneEllipsis) > 0 {
			t.Errorf("%s tab: %d labels cut with Fyne's ellipsis: %q", tab, len(fyneEllipsis), fyneEllipsis)
		}
	}
	for col, heading := range workloadColumns() {
		l := m.Dashboard.workloads.cells[0][col]
		if l.Text != l.Full() && !strings.HasSuffix(l.Text, "…") {
			t.Errorf("column %q shows %q of %q: cut without an ellipsis", heading, l.Text, l.Full())
		}
	}
}

// walkObjects calls f for o and everything drawn inside it.
func walkObjects(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, f)
		}
	}
}

// The first status with every workload grows the workload grid; what
// follows must move down instead of being drawn over (issue 10, item 14).
func TestWorkloadRowsNeverOverlapTheChart(t *testing.T) {
	b := newFakeBackend()
	d, _, _ := newTestDashboard(t, b, DashboardHooks{})
	var ws []health.Workload
	for _, n := range []string{"Entra ID", "Exchange", "SharePoint / OneDrive", "General", "DLP"} {
		ws = append(ws, health.Workload{Name: n, Subscribed: true, Records24h: 500})
	}
	d.SetStatus(health.Status{State: health.Healthy, Workloads: ws})
	gridBottom := absY(d.workloads.content) + d.workloads.content.MinSize().Height
	if chartTop := absY(d.chart); chartTop < gridBottom {
		t.Errorf("the chart starts at y=%v, inside the workload rows ending at y=%v", chartTop, gridBottom)
	}
}

// A subscription that was disabled and is re-enabled shows on the
// dashboard, not only in the log (issue 10, item 5).
func TestResolvedProblemIsShown(t *testing.T) {
	b := newFakeBackend()
	d, _, _ := newTestDashboard(t, b, DashboardHooks{})
	d.SetStatus(health.Status{State: health.Healthy, Reason: "Online and logging."})
	if d.resolved.Visible() {
		t.Fatal("a resolved line without a problem")
	}
	disabled := "The Exchange subscription is disabled (AF20023)."
	d.SetStatus(health.Status{State: health.ActionNeeded, Reason: disabled})
	d.SetStatus(health.Status{State: health.Healthy, Reason: "Online and logging."})
	if !d.resolved.Visible() || !strings.Contains(d.resolved.Text, disabled) || !strings.HasPrefix(d.resolved.Text, "Resolved at ") {
		t.Errorf("after re-enabling: %q (visible %v)", d.resolved.Text, d.resolved.Visible())
	}
	d.SetStatus(health.Status{State: health.Degraded, Reason: "Microsoft is throttling; catching up more slowly."})
	if d.resolved.Visible() {
		t.Error("an old resolution still shown under a new problem")
	}
}
