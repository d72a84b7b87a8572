package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// shownTexts returns the text drawn by o and its visible descendants.
func shownTexts(o fyne.CanvasObject) []string {
	if !o.Visible() {
		return nil
	}
	switch x := o.(type) {
	case *canvas.Text:
		return []string{x.Text}
	case *fyne.Container:
		var out []string
		for _, c := range x.Objects {
			out = append(out, shownTexts(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, shownTexts(c)...)
		}
		return out
	}
	return nil
}

// A click on a tab must not redraw the screens it does not show, nor the
// one it shows when nothing in it changed: Fyne's AppTabs refreshed all
// four screens on every selection (each visible feed row bound and its
// labels shaped again), ~60 ms of the Fyne goroutine per click (issue 12).
func TestTabSwitchRebindsNoUnchangedRow(t *testing.T) {
	b := newFakeBackend()
	b.addRows(sampleRows(60, feedNow, "r")...)
	m, q, _, w := newTestMainWindow(t, b, nil)
	w.Resize(fyne.NewSize(1100, 760))
	q.Until(t, "feed loaded", func() bool { return len(m.Feed.Rows()) > 0 })
	m.tabs.Select(m.eventsTab)
	q.Drain()
	bound := 0
	update := m.Feed.List().UpdateItem
	m.Feed.List().UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		bound++
		update(id, o)
	}
	for _, tab := range []string{"Test detections", "Status", "Findings", "Events"} {
		t.Run(tab, func(t *testing.T) {
			before := bound
			if err := m.SelectTab(tabName(tab)); err != nil {
				t.Fatal(err)
			}
			q.Drain()
			if m.tabs.Selected().Text != tab {
				t.Fatalf("tab %q shown, want %q", m.tabs.Selected().Text, tab)
			}
			if n := bound - before; n != 0 {
				t.Errorf("showing %s bound %d event rows again; none changed", tab, n)
			}
		})
	}
}

// feedSeenThenLeft opens a window whose feed holds n events, shows the
// Events tab, then the tab named while, as an admin who looked at the
// events and moved on.
func feedSeenThenLeft(t *testing.T, n int, while string) (*fakeBackend, *MainWindow, *uitest.Queue, fyne.Window) {
	t.Helper()
	b := newFakeBackend()
	b.addRows(sampleRows(n, feedNow, "r")...)
	m, q, _, w := newTestMainWindow(t, b, nil)
	w.Resize(fyne.NewSize(1100, 760))
	q.Until(t, "feed loaded", func() bool { return len(m.Feed.Rows()) == n })
	for _, tab := range []string{"events", while} {
		if err := m.SelectTab(tab); err != nil {
			t.Fatal(err)
		}
		q.Drain()
	}
	return b, m, q, w
}

// Kept screens must still be current: events that arrive while another tab
// is shown are on the Events tab when the admin opens it.
func TestEventsTabShowsEventsThatArrivedMeanwhile(t *testing.T) {
	tests := []struct {
		name  string
		while string // the tab shown when the events arrive
	}{{"on Status", "status"}, {"on Findings", "findings"}, {"on Test detections", "tests"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, m, q, w := feedSeenThenLeft(t, 10, tc.while)
			fresh := sampleRows(1, feedNow.Add(7*time.Minute), "s")[0]
			fresh.User = "dave@contoso.onmicrosoft.com"
			b.addRows(fresh)
			b.ticks <- 1
			q.Until(t, "new event loaded", func() bool { return len(m.Feed.Rows()) == 11 })
			if err := m.SelectTab("events"); err != nil {
				t.Fatal(err)
			}
			q.Drain()
			if texts := shownTexts(w.Content()); !slices.Contains(texts, fresh.User) {
				t.Errorf("the Events tab does not show the new event by %s; it shows %q", fresh.User, texts)
			}
		})
	}
}

// Off screen the feed binds no row (each bind re-shapes every visible row,
// four times a second during a backfill); its tab shown, the rows that
// arrived meanwhile are bound before the next frame.
func TestFeedOffScreenBindsNothingUntilShown(t *testing.T) {
	tests := []struct {
		name  string
		while string
	}{{"on Status", "status"}, {"on Findings", "findings"}, {"on Test detections", "tests"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, m, q, w := feedSeenThenLeft(t, 30, tc.while)
			bound := 0
			update := m.Feed.List().UpdateItem
			m.Feed.List().UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
				bound++
				update(id, o)
			}
			b.mu.Lock()
			counts := b.counts
			b.mu.Unlock()
			fresh := sampleRows(3, feedNow.Add(7*time.Minute), "s")
			b.addRows(fresh...)
			b.ticks <- 3
			q.Until(t, "new events loaded", func() bool { return len(m.Feed.Rows()) == 33 })
			if bound != 0 {
				t.Errorf("off screen the feed bound %d rows", bound)
			}
			b.mu.Lock()
			counts = b.counts - counts
			b.mu.Unlock()
			if counts != 0 {
				t.Errorf("off screen the feed counted the store's events %d times", counts)
			}
			if err := m.SelectTab("events"); err != nil {
				t.Fatal(err)
			}
			if bound == 0 {
				t.Error("shown, the feed bound no row")
			}
			if texts := shownTexts(w.Content()); !slices.Contains(texts, uikit.FormatLocal(fresh[0].Time)) {
				t.Errorf("the Events tab does not show the newest event (%s); it shows %q", uikit.FormatLocal(fresh[0].Time), texts)
			}
			q.Until(t, "counted", func() bool { return m.Feed.CountLine() == "33 events match" })
		})
	}
}

// The Findings tab keeps its list while another tab is shown; opened after
// events arrived (detections may have raised findings meanwhile), it says
// it is updating until the reload lands, rather than presenting the old
// list as current.
func TestFindingsTabSaysUpdatingUntilReloaded(t *testing.T) {
	tests := []struct {
		name   string
		events bool // events arrived while another tab was shown
		want   string
	}{
		{"events arrived meanwhile", true, "Updating…"},
		{"nothing arrived", false, "1 finding, 1 new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			b.setFindings(fwdFinding(1, finding.High, finding.StatusNew))
			m, q, _, w := newTestMainWindow(t, b, nil)
			w.Resize(fyne.NewSize(1100, 760))
			m.ShowFindings()
			q.Until(t, "findings listed", func() bool { return len(m.Findings.Rows()) == 1 })
			if err := m.SelectTab("status"); err != nil {
				t.Fatal(err)
			}
			release := b.holdFindings()
			if tc.events {
				b.addFinding(fwdFinding(2, finding.Critical, finding.StatusNew))
				b.addRows(sampleRows(1, feedNow, "r")...)
				b.ticks <- 1
				// the tick's handler loads the feed's new rows after the findings
				q.Until(t, "tick handled", func() bool { return len(m.Feed.Rows()) == 1 })
			}
			if err := m.SelectTab("findings"); err != nil {
				t.Fatal(err)
			}
			q.Drain()
			if texts := shownTexts(w.Content()); !slices.Contains(texts, tc.want) {
				t.Errorf("while the reload runs the Findings tab shows %q, want %q among them", texts, tc.want)
			}
			release()
			want := 1
			if tc.events {
				want = 2
			}
			q.Until(t, "reloaded", func() bool { return len(m.Findings.Rows()) == want })
			if texts := shownTexts(w.Content()); slices.Contains(texts, "Updating…") {
				t.Errorf("reloaded, the Findings tab still says Updating…: %q", texts)
			}
		})
	}
}
