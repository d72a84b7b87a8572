package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
)

// findButton returns the visible button labelled text under o, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if o == nil || !o.Visible() {
		return nil
	}
	if b, ok := o.(*widget.Button); ok {
		if b.Text == text {
			return b
		}
		return nil
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, k := range kids {
		if b := findButton(k, text); b != nil {
			return b
		}
	}
	return nil
}

// "Show in Events" in a finding's detail opens the Events tab on exactly the
// finding's records, says so on a line naming the finding, and Clear
// brings the normal feed back.
func TestShowInEventsListsTheFindingsRecords(t *testing.T) {
	b := newFakeBackend()
	rows := sampleRows(120, feedNow, "r")
	b.addRows(rows...)
	f := fwdFinding(7, finding.High, finding.StatusNew)
	f.Evidence = []string{rows[3].ID, rows[50].ID, rows[110].ID} // one beyond the first page
	f.EvidenceCount = len(f.Evidence)
	f.FirstSeen, f.LastSeen = rows[110].Time, rows[3].Time
	b.setFindings(f)
	m, q, _, w := newTestMainWindow(t, b, nil)
	q.Drain()
	m.tabs.Select(m.findingsTab)
	q.Until(t, "the finding in the detail", func() bool { return m.Findings.Current().ID == f.ID })
	q.Until(t, "the normal feed", func() bool { return len(m.Feed.Rows()) == 40 })

	show := findButton(w.Content(), "Show in Events")
	if show == nil {
		t.Fatal("no Show in Events button in the finding's detail")
	}
	test.Tap(show)
	q.Until(t, "the finding's records in Events", func() bool {
		return m.tabs.Selected() == m.eventsTab && len(m.Feed.Rows()) == 3 && m.Feed.CountLine() == "3 events match"
	})
	for _, r := range m.Feed.Rows() {
		if !slices.Contains(f.Evidence, r.ID) {
			t.Errorf("row %s is not evidence of the finding", r.ID)
		}
	}
	// The store has no index on the Id alone: the lookup is bounded by
	// the finding's first and last seen.
	if fl := m.Feed.Filter(); !fl.Since.Equal(f.FirstSeen) || fl.Until.IsZero() || !fl.Until.After(f.LastSeen) ||
		fl.Until.After(f.LastSeen.Add(time.Second)) {
		t.Errorf("records filter spans %v .. %v, want the finding's %v .. %v", fl.Since, fl.Until, f.FirstSeen, f.LastSeen)
	}
	line, on := m.Feed.RecordsLine()
	if want := "Showing the 3 records of finding External forwarding inbox rule: anna@contoso.example"; !on || !strings.HasPrefix(line, want) {
		t.Errorf("records line = %q (on %v), want it to start %q", line, on, want)
	}

	clear := findButton(w.Content(), "Clear")
	if clear == nil {
		t.Fatal("no Clear button beside the records line")
	}
	test.Tap(clear)
	q.Until(t, "the normal feed again", func() bool {
		return len(m.Feed.Rows()) == 40 && m.Feed.CountLine() == "120 events match"
	})
	if _, on := m.Feed.RecordsLine(); on {
		t.Error("the records line stays after Clear")
	}
	if m.Feed.Filter().IDs != nil {
		t.Errorf("the feed still filters by Ids after Clear: %v", m.Feed.Filter().IDs)
	}
}
