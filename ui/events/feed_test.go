package events

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

var feedNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// sampleRows returns n rows, newest first, one minute apart, cycling
// through workloads, results and users.
func sampleRows(n int, newest time.Time, prefix string) []Row {
	workloads := []string{"Exchange", "SharePoint", "AzureActiveDirectory", "OneDrive"}
	users := []string{"alice@contoso.onmicrosoft.com", "bob@contoso.onmicrosoft.com", "carol@contoso.onmicrosoft.com"}
	rows := make([]Row, n)
	for i := range rows {
		result := "success" // the stored, normalised values (auditrec)
		if i%5 == 0 {
			result = "failure"
		}
		rows[i] = Row{
			ID:        fmt.Sprintf("%s%06d", prefix, n-i),
			Time:      newest.Add(-time.Duration(i) * time.Minute),
			User:      users[i%len(users)],
			Operation: []string{"MailItemsAccessed", "FileDownloaded", "UserLoggedIn"}[i%3],
			Workload:  workloads[i%len(workloads)],
			ClientIP:  fmt.Sprintf("203.0.113.%d", i%250),
			Result:    result,
			Raw:       []byte(fmt.Sprintf(`{"Id":"%s%06d","Operation":"x"}`, prefix, n-i)),
		}
	}
	return rows
}

func newTestFeed(t *testing.T, b *fakeSource) (*Feed, *uitest.Queue, fyne.Window) {
	t.Helper()
	return newTestFeedSaving(t, b, nil)
}

func newTestFeedSaving(t *testing.T, b *fakeSource, save SaveFileFunc) (*Feed, *uitest.Queue, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	q := uitest.NewQueue()
	w := test.NewTempWindow(t, nil)
	f := NewFeed(w, b, save, Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, PageSize: 40, Debounce: time.Millisecond})
	w.SetContent(f.Content())
	w.Resize(fyne.NewSize(1200, 700))
	t.Cleanup(f.Close)
	q.Until(t, "first page", func() bool { return !f.loading && f.counting == 0 && f.count.Text != "" })
	return f, q, w
}

func TestFeedFirstPageAndCount(t *testing.T) {
	b := newFakeSource()
	b.addRows(sampleRows(1234, feedNow, "r")...)
	f, _, _ := newTestFeed(t, b)
	if len(f.rows) != 40 || f.rows[0].ID != "r001234" {
		t.Fatalf("loaded %d rows, first %q", len(f.rows), f.rows[0].ID)
	}
	if f.count.Text != "1,234 events match" {
		t.Errorf("count %q", f.count.Text)
	}
	// the visible row shows local time, user, operation, workload, IP, result
	row := f.list.CreateItem()
	f.list.UpdateItem(0, row)
	cells := row.(*fyne.Container).Objects
	want := feedCells(f.rows[0])
	for i := range want {
		if got := cells[i].(*uikit.CutLabel).Full(); got != want[i] {
			t.Errorf("column %s shows %q, want %q", feedColumns()[i].Title, got, want[i])
		}
	}
	if cells[5].(*uikit.CutLabel).Importance != widget.DangerImportance || cells[5].(*uikit.CutLabel).Full() != "✗ Failed" {
		t.Errorf("failed result shows %q unmarked", cells[5].(*uikit.CutLabel).Full())
	}
	f.list.UpdateItem(1, row)
	if l := cells[5].(*uikit.CutLabel); l.Full() != "Succeeded" || l.Importance == widget.DangerImportance {
		t.Errorf("successful result shows %q (importance %v)", l.Text, l.Importance)
	}
	if got := feedCells(Row{User: "upn@x", UserDisplay: "Alice Admin"})[1]; got != "Alice Admin" {
		t.Errorf("user column %q, want the display name", got)
	}
	if got := feedCells(Row{User: "upn@x"})[1]; got != "upn@x" {
		t.Errorf("user column %q, want the UPN", got)
	}
	if got := feedCells(Row{Time: feedNow})[0]; got != feedNow.Local().Format("2006-01-02 15:04:05") {
		t.Errorf("time column %q not local", got)
	}
}

func TestFeedFilters(t *testing.T) {
	tests := []struct {
		name  string
		apply func(f *Feed)
		check func(fl Filter) bool
		keep  func(r Row) bool
	}{
		{"workload", func(f *Feed) { f.workload.SetSelected("SharePoint / OneDrive") },
			func(fl Filter) bool { return slices.Equal(fl.Workloads, []string{"SharePoint", "OneDrive"}) },
			func(r Row) bool { return r.Workload == "SharePoint" || r.Workload == "OneDrive" }},
		{"result", func(f *Feed) { f.result.SetSelected("Failed") },
			func(fl Filter) bool { return fl.Result == "failure" },
			func(r Row) bool { return r.Result == "failure" }},
		{"last hour", func(f *Feed) { f.timeRange.SetSelected("Last hour") },
			func(fl Filter) bool { return fl.Since.Equal(feedNow.Add(-time.Hour)) },
			func(r Row) bool { return !r.Time.Before(feedNow.Add(-time.Hour)) }},
		{"free text", func(f *Feed) { test.Type(f.search, "bob") },
			func(fl Filter) bool { return fl.Text == "bob" },
			func(r Row) bool { return strings.HasPrefix(r.User, "bob") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeSource()
			all := sampleRows(300, feedNow, "r")
			b.addRows(all...)
			f, q, _ := newTestFeed(t, b)
			tc.apply(f)
			q.Until(t, "filtered page", func() bool {
				fl, _ := b.lastFilter()
				return tc.check(fl) && !f.loading && tc.check(f.filter)
			})
			q.Until(t, "count", func() bool { return f.counting == 0 && f.count.Text != "300 events match" })
			var want int64
			for _, r := range all {
				if tc.keep(r) {
					want++
				}
			}
			if f.count.Text != countText(want) {
				t.Errorf("count %q, want %q", f.count.Text, countText(want))
			}
			if len(f.rows) == 0 {
				t.Fatal("no rows after filtering")
			}
			for _, r := range f.rows {
				if !tc.keep(r) {
					t.Fatalf("row %+v does not match the filter", r)
				}
			}
		})
	}
}

func TestFeedPagesOnScroll(t *testing.T) {
	b := newFakeSource()
	b.addRows(sampleRows(200, feedNow, "r")...)
	f, q, _ := newTestFeed(t, b)
	_, calls := b.lastFilter()
	f.list.ScrollToBottom()
	q.Until(t, "second page", func() bool { return len(f.rows) >= 80 })
	fl, n := b.lastFilter()
	if n <= calls || fl.Before == nil {
		t.Fatalf("no keyset page requested: %+v", fl)
	}
	for i := 1; i < len(f.rows); i++ {
		if f.rows[i].ID >= f.rows[i-1].ID {
			t.Fatalf("rows not newest first or duplicated at %d: %s after %s", i, f.rows[i].ID, f.rows[i-1].ID)
		}
	}
	for !f.exhausted {
		f.list.ScrollToBottom()
		q.Until(t, "next page", func() bool { return !f.loading })
	}
	if len(f.rows) != 200 {
		t.Errorf("paged %d rows, want all 200", len(f.rows))
	}
}

func TestFeedLiveTicks(t *testing.T) {
	t.Run("at the top new rows appear", func(t *testing.T) {
		b := newFakeSource()
		b.addRows(sampleRows(100, feedNow, "r")...)
		f, q, _ := newTestFeed(t, b)
		fresh := sampleRows(3, feedNow.Add(3*time.Minute), "s")
		b.addRows(fresh...)
		f.OnNewEvents(3)
		q.Until(t, "new rows", func() bool { return len(f.rows) == 43 })
		if f.rows[0].ID != fresh[0].ID || f.rows[3].ID != "r000100" {
			t.Errorf("rows start %s … %s", f.rows[0].ID, f.rows[3].ID)
		}
		if f.banner.Visible() {
			t.Error("banner shown while at the top")
		}
		q.Until(t, "recount", func() bool { return f.count.Text == "103 events match" })
	})
	t.Run("scrolled down shows a banner", func(t *testing.T) {
		b := newFakeSource()
		b.addRows(sampleRows(100, feedNow, "r")...)
		f, q, _ := newTestFeed(t, b)
		f.list.ScrollToOffset(300)
		q.Until(t, "paging settles", func() bool { return !f.loading })
		q.Drain()
		before := f.Rows()
		offset := f.list.GetScrollOffset()
		b.addRows(sampleRows(2, feedNow.Add(2*time.Minute), "s")...)
		f.OnNewEvents(2)
		q.Drain()
		if !f.banner.Visible() || f.bannerText.Text != "2 new events" {
			t.Fatalf("banner %q visible %v", f.bannerText.Text, f.banner.Visible())
		}
		if !slices.EqualFunc(before, f.rows, func(a, b Row) bool { return a.ID == b.ID }) || f.list.GetScrollOffset() != offset {
			t.Fatal("rows or scroll position changed under the user")
		}
		test.Tap(f.showNew)
		q.Until(t, "new rows after Show", func() bool { return len(f.rows) > 0 && strings.HasPrefix(f.rows[0].ID, "s") })
		if f.banner.Visible() || f.list.GetScrollOffset() != 0 {
			t.Error("Show did not hide the banner and scroll to the top")
		}
	})
}

// The detail pane shows the selected row's fields at once and its record
// when read: the feed's pages carry columns only (a deep scroll holds no
// records), so the record is read for the row shown.
func TestFeedDetailPane(t *testing.T) {
	b := newFakeSource()
	rows := sampleRows(5, feedNow, "r")
	rows[0].Raw = []byte(`{"Id":"r000005","Operation":"MailItemsAccessed","ClientIP":"203.0.113.7"}`)
	rows[0].UserDisplay = "Alice Admin"
	b.addRows(rows...)
	f, q, _ := newTestFeed(t, b)
	for _, r := range f.rows {
		if r.Raw != nil {
			t.Fatalf("row %s was loaded with its record", r.ID)
		}
	}
	f.list.Select(0)
	if got := f.detail.values["Display name"].Text; got != "Alice Admin" {
		t.Errorf("display name %q", got)
	}
	if f.detail.raw.Text != "Reading the record…" || !f.detail.copyBtn.Disabled() {
		t.Errorf("before the record is read: %q, copy disabled %v", f.detail.raw.Text, f.detail.copyBtn.Disabled())
	}
	want := "{\n  \"Id\": \"r000005\",\n  \"Operation\": \"MailItemsAccessed\",\n  \"ClientIP\": \"203.0.113.7\"\n}"
	q.Until(t, "the record", func() bool { return f.detail.raw.Text == want })
	test.Tap(f.detail.copyBtn)
	if got := fyne.CurrentApp().Clipboard().Content(); got != want {
		t.Errorf("clipboard %q", got)
	}
}

// A record read for a row no longer shown is dropped, and a record that
// cannot be read is said, with nothing to copy.
func TestFeedDetailRecordOfAnotherRowOrUnreadable(t *testing.T) {
	b := newFakeSource()
	b.addRows(sampleRows(5, feedNow, "r")...)
	f, q, _ := newTestFeed(t, b)
	first, second := f.rows[0], f.rows[1]
	f.list.Select(1)
	q.Until(t, "the second record", func() bool { return strings.Contains(f.detail.raw.Text, second.ID) })
	f.detail.showRecord(first.ID, first.Time, []byte(`{"Id":"late"}`), nil) // a slow read for an earlier selection
	if !strings.Contains(f.detail.raw.Text, second.ID) {
		t.Errorf("the record of another row replaced the shown one: %q", f.detail.raw.Text)
	}
	b.mu.Lock()
	b.recordErr = errors.New("database file is corrupt")
	b.mu.Unlock()
	f.list.Select(2)
	q.Until(t, "the error", func() bool { return strings.HasPrefix(f.detail.raw.Text, "This record cannot be read: ") })
	if !strings.Contains(f.detail.raw.Text, "corrupt") || !f.detail.copyBtn.Disabled() {
		t.Errorf("unreadable record: %q, copy disabled %v", f.detail.raw.Text, f.detail.copyBtn.Disabled())
	}
	if f.detail.values["Record ID"].Text != f.rows[2].ID {
		t.Errorf("the fields went with the record: %q", f.detail.values["Record ID"].Text)
	}
}

func TestFeedExportCSVNeutralisesFormulas(t *testing.T) {
	b := newFakeSource()
	rows := sampleRows(3, feedNow, "r")
	rows[0].User = "=HYPERLINK(\"http://evil\",\"x\")"
	rows[1].Operation = "+cmd|' /C calc'!A0"
	rows[2].ObjectID = "@SUM(1+1)"
	b.addRows(rows...)
	path := filepath.Join(t.TempDir(), "export.csv")
	var suggested string
	save := func(name string, done func(io.WriteCloser, string, error)) {
		suggested = name
		file, err := os.Create(path)
		done(file, path, err)
	}
	f, q, _ := newTestFeedSaving(t, b, save)
	f.ShowExport()
	f.export.ask.Confirm()
	q.Until(t, "export", func() bool { return f.export.done })
	if f.export.err != nil || f.export.written != path {
		t.Fatalf("export to %q: %v", f.export.written, f.export.err)
	}
	if f.export.message == nil || f.export.message.Text != "3 events saved to "+path {
		t.Errorf("export message does not give the row count: %+v", f.export.message)
	}
	if suggested != "auditlight-events-20261124-1200.csv" {
		t.Errorf("suggested file name %q", suggested)
	}
	data, _ := os.ReadFile(path)
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d CSV records, want header + 3", len(recs))
	}
	for _, want := range []string{`'=HYPERLINK("http://evil","x")`, "'+cmd|' /C calc'!A0", "'@SUM(1+1)"} {
		found := false
		for _, r := range recs[1:] {
			found = found || slices.Contains(r, want)
		}
		if !found {
			t.Errorf("neutralised cell %q not in export", want)
		}
	}
}

func TestFeedExportCancelledFileChoice(t *testing.T) {
	b := newFakeSource()
	b.addRows(sampleRows(3, feedNow, "r")...)
	f, _, _ := newTestFeedSaving(t, b, func(_ string, done func(io.WriteCloser, string, error)) { done(nil, "", nil) })
	f.ShowExport()
	f.export.format.SetSelected("JSON lines (raw records)")
	f.export.ask.Confirm()
	if f.export.done || f.export.progress != nil {
		t.Error("export started although no file was chosen")
	}
}

func TestRestrictToOwner(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no owner-only mode bits; the ACL of the user's folder applies")
	}
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := restrictToOwner(storage.NewFileURI(path)); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	if got := extOf("auditlight-events.jsonl"); got != ".jsonl" {
		t.Errorf("extOf = %q", got)
	}
}

// At 1024 px the time, the workload, an IPv6 address and the result fit
// their columns, and the detail pane takes no room until a row is selected
// (issue 10, item 11).
func TestFeedColumnsFitAt1024AndDetailOnlyWhenSelected(t *testing.T) {
	b := newFakeSource()
	rows := sampleRows(50, feedNow, "r")
	rows[0].ClientIP = "2001:db8:85a3::8a2e"
	rows[0].Workload = "AzureActiveDirectory"
	b.addRows(rows...)
	f, _, w := newTestFeed(t, b)
	w.Resize(fyne.NewSize(1024, 700))
	if f.DetailShown() {
		t.Fatal("the empty detail pane takes room with nothing selected")
	}
	row := f.list.CreateItem()
	row.Resize(fyne.NewSize(f.list.Size().Width, row.MinSize().Height))
	f.list.UpdateItem(0, row)
	cells := row.(*fyne.Container).Objects
	for i, c := range feedColumns() {
		if c.Sample == "" {
			continue
		}
		l := cells[i].(*uikit.CutLabel)
		need := fyne.MeasureText(l.Full(), theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
		if l.Size().Width < need {
			t.Errorf("%s column is %v wide; %q needs %v", c.Title, l.Size().Width, l.Full(), need)
		}
	}
	if userW := cells[1].Size().Width; userW < 150 {
		t.Errorf("user column only %v wide at 1024 px", userW)
	}
	f.list.Select(0)
	if !f.DetailShown() {
		t.Fatal("selecting a row did not show the detail pane")
	}
	f.list.UnselectAll()
	if f.DetailShown() {
		t.Error("the detail pane stayed after unselecting")
	}
}

// The workload filter offers every workload in the data, DLP by content
// type; the feed names workloads as the chart legend does (issue 10, item 16;
// ui's TestChartLegendNamesWorkloadsAsTheFeed).
func TestWorkloadFilterAndNames(t *testing.T) {
	tests := []struct {
		label     string
		workloads []string
		types     []string
	}{
		{"Security & Compliance (alerts)", []string{"SecurityComplianceCenter"}, nil},
		{"Threat Intelligence", []string{"ThreatIntelligence"}, nil},
		{"DLP (data loss prevention)", nil, []string{"DLP.All"}},
	}
	for _, tc := range tests {
		fl := filterState{Workload: tc.label}.eventFilter(feedNow)
		if !slices.Equal(fl.Workloads, tc.workloads) || !slices.Equal(fl.ContentTypes, tc.types) {
			t.Errorf("%s filters %v / %v, want %v / %v", tc.label, fl.Workloads, fl.ContentTypes, tc.workloads, tc.types)
		}
	}
	if got := feedCells(Row{Workload: "AzureActiveDirectory"})[3]; got != "Entra ID" {
		t.Errorf("feed workload %q", got)
	}
}

// The "N new events" banner must not push the rows down (item 12).
func TestNewEventsBannerDoesNotMoveRows(t *testing.T) {
	b := newFakeSource()
	b.addRows(sampleRows(300, feedNow, "r")...)
	f, _, w := newTestFeed(t, b)
	w.Resize(fyne.NewSize(1201, 700))
	before := absY(f.list)
	f.selected = 3 // reading a row: new events wait behind the banner
	f.OnNewEvents(5)
	if !f.banner.Visible() || !strings.HasPrefix(f.bannerText.Text, "5 new") {
		t.Fatalf("banner %v %q", f.banner.Visible(), f.bannerText.Text)
	}
	w.Resize(fyne.NewSize(1202, 700))
	if after := absY(f.list); after != before {
		t.Errorf("rows moved from y=%v to y=%v when the banner appeared", before, after)
	}
}

// During a big backfill the count is slow: "0 events match" must not sit
// over rows already shown (issue 10, item 14).
func TestSlowCountNeverContradictsTheRows(t *testing.T) {
	b := newFakeSource()
	f, q, _ := newTestFeed(t, b) // empty store: "0 events match"
	if f.count.Text != "0 events match" {
		t.Fatalf("count %q", f.count.Text)
	}
	gate := make(chan struct{})
	b.mu.Lock()
	b.countGate = gate
	b.mu.Unlock()
	b.addRows(sampleRows(30, feedNow, "n")...)
	f.OnNewEvents(30)
	q.Until(t, "new rows", func() bool { return len(f.rows) == 30 })
	if f.count.Text != "At least 30 events match (counting…)" {
		t.Errorf("with 30 rows shown and the count pending the feed says %q", f.count.Text)
	}
	close(gate)
	q.Until(t, "count", func() bool { return f.counting == 0 })
	if f.count.Text != "30 events match" {
		t.Errorf("after the count: %q", f.count.Text)
	}
}

func absY(o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y
}
