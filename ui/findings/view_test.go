package findings

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

func newTestView(t *testing.T, src *fakeSource, o Options) (*View, *uitest.Queue) {
	t.Helper()
	test.NewTempApp(t)
	q := uitest.NewQueue()
	o.Gate = q.Gate()
	o.Clock = func() time.Time { return testNow }
	w := test.NewTempWindow(t, nil)
	v := NewView(w, src, o)
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1100, 800))
	t.Cleanup(v.Close)
	v.Reload()
	q.Until(t, "first load", func() bool { return v.countLabel.Text != "" })
	return v, q
}

func TestListScopes(t *testing.T) {
	tests := []struct {
		scope   Scope
		wantIDs []int64
		count   string
	}{
		{ScopeNew, []int64{3}, "1 finding, 1 new"},
		{ScopeOpen, []int64{3, 2}, "2 findings, 1 new"},
		{ScopeAll, []int64{3, 2, 1}, "3 findings, 1 new"},
	}
	for _, tt := range tests {
		t.Run(string(tt.scope), func(t *testing.T) {
			src := &fakeSource{fs: sampleFindings()}
			v, q := newTestView(t, src, Options{})
			v.SetScope(tt.scope)
			q.Until(t, "scope "+string(tt.scope), func() bool { return v.countLabel.Text == tt.count })
			var ids []int64
			for _, f := range v.Rows() {
				ids = append(ids, f.ID)
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("rows = %v, want %v", ids, tt.wantIDs)
			}
		})
	}
}

func TestListRowTexts(t *testing.T) {
	src := &fakeSource{fs: sampleFindings()}
	v, q := newTestView(t, src, Options{})
	q.Until(t, "rows", func() bool { return len(v.Rows()) == 2 })
	tests := []struct {
		row  int
		want rowTexts
		imp  widget.Importance
	}{
		{0, rowTexts{"High", "External forwarding inbox rule: anna@contoso.example", "Last seen 08:00", "", "New"}, widget.DangerImportance},
		{1, rowTexts{"Medium", "Password spray: 203.0.113.7", "Last seen 23 Nov 09:00", "4 records", "Acknowledged"}, widget.WarningImportance},
	}
	for _, tt := range tests {
		obj, r := newListRow()
		_ = obj
		r.set(v.Rows()[tt.row], v.opts)
		got := rowTexts{r.severity.Text, r.title.Full(), r.seen.Text, r.repeat.Text, r.status.Text}
		// times are printed in the local zone; compare in it
		tt.want.LastSeen = "Last seen " + whenText(v.Rows()[tt.row].LastSeen, testNow)
		if got != tt.want {
			t.Errorf("row %d = %+v, want %+v", tt.row, got, tt.want)
		}
		if r.severity.Importance != tt.imp {
			t.Errorf("row %d severity importance = %v, want %v", tt.row, r.severity.Importance, tt.imp)
		}
	}
	// the list really draws the rows (rowOf reads the built objects)
	item := v.list.CreateItem()
	v.list.UpdateItem(0, item)
	if got := rowOf(item).title.Full(); got != "External forwarding inbox rule: anna@contoso.example" {
		t.Errorf("drawn row title = %q", got)
	}
}

func TestEmptyScopeSaysSo(t *testing.T) {
	src := &fakeSource{}
	v, q := newTestView(t, src, Options{})
	q.Until(t, "empty", func() bool { return v.countLabel.Text == "0 findings" })
	if !v.empty.Visible() || !strings.Contains(v.empty.Text, "nothing needs your attention") {
		t.Errorf("empty text = %q visible=%v", v.empty.Text, v.empty.Visible())
	}
}

func TestDetailShowsWhatWhyStepsAndEvidence(t *testing.T) {
	src := &fakeSource{fs: sampleFindings()}
	var opened []string
	var feed []int64
	v, q := newTestView(t, src, Options{
		OpenURL: func(u *url.URL) error { opened = append(opened, u.String()); return nil },
		Evidence: func(ctx context.Context, f finding.Finding) ([]Record, error) {
			var out []Record
			for _, id := range f.Evidence {
				out = append(out, Record{ID: id, Time: f.LastSeen, User: f.Key, Operation: "New-InboxRule", ClientIP: "198.51.100.4", Result: "Succeeded"})
			}
			return out, nil
		},
		ShowInFeed: func(f finding.Finding) { feed = append(feed, f.ID) },
	})
	q.Until(t, "first finding selected", func() bool { return v.Current().ID == 3 })
	d := v.detail
	q.Until(t, "evidence records", func() bool {
		return len(d.evidence.Objects) == 1 && strings.Contains(labelText(d.evidence.Objects[0]), "New-InboxRule")
	})
	checks := map[string]string{
		"title":    d.title.Text,
		"what":     d.what.Text,
		"why":      d.why.Text,
		"evidence": d.evidenceTitle.Text,
		"meta":     d.meta.Text,
	}
	wants := map[string]string{
		"title":    "External forwarding inbox rule: anna@contoso.example",
		"what":     "forwards every message to partner.example",
		"why":      "keep reading mail",
		"evidence": "Evidence: 1 audit record",
		"meta":     "High · New",
	}
	for k, want := range wants {
		if !strings.Contains(checks[k], want) {
			t.Errorf("%s = %q, want it to contain %q", k, checks[k], want)
		}
	}
	// Rule texts use "→", which Fyne's font draws as "→�": never shown raw.
	for k, txt := range checks {
		if strings.Contains(txt, "→") {
			t.Errorf("%s shows a raw arrow: %q", k, txt)
		}
	}
	walk(d.steps, func(c fyne.CanvasObject) {
		if l, ok := c.(*widget.Label); ok && strings.Contains(l.Text, "→") {
			t.Errorf("step shows a raw arrow: %q", l.Text)
		}
	})
	if ev := labelText(d.evidence.Objects[0]); !strings.Contains(ev, "198.51.100.4") || !strings.Contains(ev, "anna@contoso.example") {
		t.Errorf("evidence line = %q, want user and IP", ev)
	}
	// the step's portal link opens the exact page
	link := findHyperlink(d.steps)
	if link == nil {
		t.Fatal("no portal link in the steps")
	}
	link.OnTapped() // test.Tap lands outside the text of a hyperlink
	if !slices.Equal(opened, []string{"https://admin.exchange.microsoft.com/#/mailboxes"}) {
		t.Errorf("opened %v", opened)
	}
	test.Tap(d.showFeed)
	if !slices.Equal(feed, []int64{3}) {
		t.Errorf("Show in Events opened %v", feed)
	}
	// actions that apply to a new finding
	if !d.ack.Visible() || !d.resolve.Visible() || !d.falsePos.Visible() || d.reopen.Visible() {
		t.Errorf("new finding actions: ack=%v resolve=%v fp=%v reopen=%v", d.ack.Visible(), d.resolve.Visible(), d.falsePos.Visible(), d.reopen.Visible())
	}
}

func TestLinkShowsAddressWhenNoBrowser(t *testing.T) {
	src := &fakeSource{fs: sampleFindings()}
	v, q := newTestView(t, src, Options{OpenURL: func(*url.URL) error { return errors.New("no browser") }})
	q.Until(t, "detail", func() bool { return v.Current().ID == 3 })
	link := findHyperlink(v.detail.steps)
	addr := findEntry(v.detail.steps)
	if link == nil || addr == nil {
		t.Fatal("link or address missing")
	}
	if addr.Visible() {
		t.Error("address shown before the link failed")
	}
	link.OnTapped() // test.Tap lands outside the text of a hyperlink
	if !addr.Visible() || addr.Text != "https://admin.exchange.microsoft.com/#/mailboxes" {
		t.Errorf("address visible=%v text=%q", addr.Visible(), addr.Text)
	}
}

func TestStatusActions(t *testing.T) {
	tests := []struct {
		name      string
		act       func(v *View)
		want      finding.Status
		stillOpen bool // still listed under Open
	}{
		{"acknowledge", (*View).Acknowledge, finding.StatusAcknowledged, true},
		{"resolve", (*View).Resolve, finding.StatusResolved, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{fs: sampleFindings()}
			changed := 0
			v, q := newTestView(t, src, Options{OnChanged: func() { changed++ }})
			q.Until(t, "detail", func() bool { return v.Current().ID == 3 })
			tt.act(v)
			q.Until(t, "status change", func() bool { return changed == 1 })
			if got := src.status(3); got != tt.want {
				t.Errorf("stored status = %q, want %q", got, tt.want)
			}
			if !strings.Contains(v.detail.meta.Text, tt.want.Label()) {
				t.Errorf("detail meta = %q, want %q", v.detail.meta.Text, tt.want.Label())
			}
			q.Until(t, "list reload", func() bool {
				return slices.ContainsFunc(v.Rows(), func(f finding.Finding) bool { return f.ID == 3 }) == tt.stillOpen
			})
			if tt.want == finding.StatusResolved && (!v.detail.reopen.Visible() || v.detail.resolve.Visible()) {
				t.Error("a resolved finding should offer Reopen, not Resolve")
			}
		})
	}
}

func TestFalsePositiveWithAllowEntry(t *testing.T) {
	tests := []struct {
		name      string
		choose    string
		note      string
		wantAllow []finding.Entry
	}{
		{"allow the forwarding domain", "This forwarding domain is fine: partner.example", "our accountant",
			[]finding.Entry{{RuleID: "fwd", Value: "partner.example", Note: "our accountant"}}},
		{"only this finding", onlyThis, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{fs: sampleFindings()}
			changed := 0
			v, q := newTestView(t, src, Options{OnChanged: func() { changed++ }})
			q.Until(t, "detail", func() bool { return v.Current().ID == 3 })
			test.Tap(v.detail.falsePos)
			if v.fp == nil {
				t.Fatal("the false-positive dialog did not open")
			}
			if !slices.Contains(v.fp.choice.Options, "This forwarding domain is fine: partner.example") {
				t.Fatalf("choices = %v", v.fp.choice.Options)
			}
			v.fp.choice.SetSelected(tt.choose)
			v.fp.note.SetText(tt.note)
			v.confirmFalsePositive()
			q.Until(t, "status change", func() bool { return changed == 1 })
			if got := src.status(3); got != finding.StatusFalsePositive {
				t.Errorf("status = %q", got)
			}
			src.mu.Lock()
			allowed := slices.Clone(src.allowed)
			src.mu.Unlock()
			if !slices.Equal(allowed, tt.wantAllow) {
				t.Errorf("allow-list = %+v, want %+v", allowed, tt.wantAllow)
			}
		})
	}
}

func TestStatusErrorIsShown(t *testing.T) {
	src := &fakeSource{fs: sampleFindings(), setErr: errors.New("database is locked")}
	v, q := newTestView(t, src, Options{})
	q.Until(t, "detail", func() bool { return v.Current().ID == 3 })
	v.Resolve()
	q.Until(t, "error", func() bool { return v.errLabel.Visible() })
	if !strings.Contains(v.errLabel.Text, "database is locked") {
		t.Errorf("error = %q", v.errLabel.Text)
	}
	if src.status(3) != finding.StatusNew {
		t.Error("status changed despite the error")
	}
	if v.detail.resolve.Disabled() {
		t.Error("actions stay disabled after a failed change")
	}
}

func findHyperlink(o fyne.CanvasObject) *widget.Hyperlink {
	var found *widget.Hyperlink
	walk(o, func(c fyne.CanvasObject) {
		if h, ok := c.(*widget.Hyperlink); ok && found == nil {
			found = h
		}
	})
	return found
}

func findEntry(o fyne.CanvasObject) *widget.Entry {
	var found *widget.Entry
	walk(o, func(c fyne.CanvasObject) {
		if e, ok := c.(*widget.Entry); ok && found == nil {
			found = e
		}
	})
	return found
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, ch := range c.Objects {
			walk(ch, f)
		}
	}
}

func TestListOrderForTriage(t *testing.T) {
	at := func(h int) time.Time { return testNow.Add(time.Duration(-h) * time.Hour) }
	fs := []finding.Finding{
		{ID: 1, Severity: finding.Low, Status: finding.StatusNew, LastSeen: at(1)},
		{ID: 2, Severity: finding.High, Status: finding.StatusResolved, LastSeen: at(1)},
		{ID: 3, Severity: finding.High, Status: finding.StatusNew, LastSeen: at(5)},
		{ID: 4, Severity: finding.High, Status: finding.StatusAcknowledged, LastSeen: at(2)},
		{ID: 5, Severity: finding.Medium, Status: finding.StatusNew, LastSeen: at(3)},
	}
	sortForTriage(fs)
	var ids []int64
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	if want := []int64{4, 3, 5, 1, 2}; !slices.Equal(ids, want) {
		t.Errorf("order = %v, want %v (open first, then severity, then newest)", ids, want)
	}
}

// Reloads asked for faster than the store answers still show an answer
// (backfill ticks several times a second).
func TestReloadsWhileLoadingAreMerged(t *testing.T) {
	src := &fakeSource{fs: sampleFindings()}
	v, q := newTestView(t, src, Options{})
	for range 5 {
		v.Reload()
	}
	src.mu.Lock()
	src.fs = append([]finding.Finding{{ID: 9, RuleID: "x", RuleTitle: "Late", Severity: finding.Critical, Status: finding.StatusNew, LastSeen: testNow}}, src.fs...)
	src.mu.Unlock()
	q.Until(t, "the late finding", func() bool { return len(v.Rows()) == 3 && !v.loading })
	src.mu.Lock()
	loads := len(src.filters)
	src.mu.Unlock()
	if loads > 3 {
		t.Errorf("%d queries for 6 reloads: reloads during a load should merge", loads)
	}
}

// New findings that arrive above the one the admin is reading (sorted
// first: newer, more severe) must not move the selection to another
// finding: it follows the finding's id, not its row.
func TestSelectionFollowsTheFindingWhenNewOnesArriveAbove(t *testing.T) {
	tests := []struct {
		name    string
		arrive  []finding.Finding
		wantRow int
	}{
		{"one critical above", []finding.Finding{{ID: 10, RuleTitle: "Audit log turned off", Severity: finding.Critical,
			Status: finding.StatusNew, FirstSeen: testNow, LastSeen: testNow, Count: 1}}, 2},
		{"two high above", []finding.Finding{
			{ID: 11, RuleTitle: "Global Administrator assigned", Severity: finding.High, Status: finding.StatusNew,
				FirstSeen: testNow, LastSeen: testNow, Count: 1},
			{ID: 12, RuleTitle: "Mailbox forwarding", Severity: finding.High, Status: finding.StatusNew,
				FirstSeen: testNow.Add(-time.Minute), LastSeen: testNow.Add(-time.Minute), Count: 1}}, 3},
		{"one below", []finding.Finding{{ID: 13, RuleTitle: "Anonymous link", Severity: finding.Low,
			Status: finding.StatusNew, FirstSeen: testNow, LastSeen: testNow, Count: 1}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{fs: sampleFindings()}
			v, q := newTestView(t, src, Options{})
			v.SetScope(ScopeAll)
			q.Until(t, "all findings", func() bool { return len(v.Rows()) == 3 })
			v.list.Select(1) // the admin clicks the spray (id 2)
			q.Until(t, "the spray in the detail", func() bool { return v.Current().ID == 2 })
			src.mu.Lock()
			src.fs = append(slices.Clone(tt.arrive), src.fs...)
			src.mu.Unlock()
			v.Reload() // what a new finding's tick does
			q.Until(t, "the new findings listed, the selection settled", func() bool {
				return len(v.Rows()) == 3+len(tt.arrive) && v.SelectedRow() == tt.wantRow
			})
			if v.Current().ID != 2 {
				t.Errorf("detail shows finding %d, want the spray (2)", v.Current().ID)
			}
			row := v.SelectedRow()
			if row != tt.wantRow || row < 0 || v.Rows()[row].ID != 2 {
				t.Errorf("highlighted row %d, want %d (the spray)", row, tt.wantRow)
			}
		})
	}
}

// A reload (each tick of new events while the tab is shown, four a second
// during a backfill) redraws the list only when a row would read
// differently: a list refresh re-binds every visible row and drops the
// drawn texture of each of its texts.
func TestReloadRedrawsTheListOnlyWhenARowChanged(t *testing.T) {
	tests := []struct {
		name       string
		change     func(fs []finding.Finding) []finding.Finding
		wantRedraw bool
	}{
		{"nothing changed", func(fs []finding.Finding) []finding.Finding { return fs }, false},
		{"a finding acknowledged", func(fs []finding.Finding) []finding.Finding {
			fs[0].Status = finding.StatusAcknowledged
			return fs
		}, true},
		{"a finding seen again", func(fs []finding.Finding) []finding.Finding {
			fs[1].Count++
			return fs
		}, true},
		{"a new finding", func(fs []finding.Finding) []finding.Finding {
			return append([]finding.Finding{{ID: 9, RuleID: "x", RuleTitle: "Late", Severity: finding.Critical,
				Status: finding.StatusNew, FirstSeen: testNow, LastSeen: testNow, Count: 1}}, fs...)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{fs: sampleFindings()}
			v, q := newTestView(t, src, Options{})
			v.SetScope(ScopeAll)
			q.Until(t, "all findings", func() bool { return len(v.Rows()) == 3 && !v.loading })
			bound := 0
			update := v.list.UpdateItem
			v.list.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
				bound++
				update(id, o)
			}
			src.mu.Lock()
			src.fs = tt.change(slices.Clone(src.fs))
			loads := len(src.filters)
			src.mu.Unlock()
			v.Reload()
			q.Until(t, "reloaded", func() bool {
				src.mu.Lock()
				defer src.mu.Unlock()
				return len(src.filters) > loads && !v.loading
			})
			if redrawn := bound > 0; redrawn != tt.wantRedraw {
				t.Errorf("list redrawn = %v (%d rows bound), want %v", redrawn, bound, tt.wantRedraw)
			}
		})
	}
}

// labelText is the whole text of a label, cut to fit (uikit.CutLabel) or not.
func labelText(o fyne.CanvasObject) string {
	switch l := o.(type) {
	case *uikit.CutLabel:
		return l.Full()
	case *widget.Label:
		return l.Text
	}
	return ""
}

// A finding's count is its distinct evidence records (round 9: the count of
// merged matches depended on the order records arrived): the list and the
// detail say "records", never "times".
func TestFindingCountReadsAsRecords(t *testing.T) {
	o := Options{Clock: func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }}
	seen := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		count          int
		list, metaPart string
	}{
		{1, "", ""},
		{57, "57 records", " · 57 records"},
		{1234, "1,234 records", " · 1,234 records"},
	}
	for _, tc := range tests {
		f := finding.Finding{Severity: finding.Medium, Status: finding.StatusNew, FirstSeen: seen, LastSeen: seen, Count: tc.count}
		if got := textsFor(f, o).Repeat; got != tc.list {
			t.Errorf("count %d: list shows %q, want %q", tc.count, got, tc.list)
		}
		meta := metaText(f, o)
		if tc.metaPart != "" && !strings.Contains(meta, tc.metaPart) || strings.Contains(meta, "times") {
			t.Errorf("count %d: detail line %q, want it to contain %q and no \"times\"", tc.count, meta, tc.metaPart)
		}
	}
}
