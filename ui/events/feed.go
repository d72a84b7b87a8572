package events

import (
	"context"
	"fmt"
	"io"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/auditrec"
	"github.com/auditlight/auditlight/internal/numfmt"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// feedCells renders a row's visible columns; time is in the local zone and
// the user is the display name when Graph enrichment found one.
func feedCells(r Row) []string {
	user := r.UserDisplay
	if user == "" {
		user = r.User
	}
	return []string{uikit.FormatLocal(r.Time), user, r.Operation, uikit.WorkloadName(r.Workload), r.ClientIP, resultText(r.Result)}
}

// resultText is the Result cell: the word for a normalised result, with a
// cross for failures so they stand out without relying on colour.
func resultText(result string) string {
	label := auditrec.ResultLabel(result)
	switch {
	case label == "":
		return result
	case auditrec.IsFailure(result):
		return "✗ " + label
	}
	return label
}

// Feed is the live, filterable list of stored events. Rows are loaded a
// page at a time with keyset paging as the user scrolls, so a store with
// millions of rows stays smooth; the list widget is virtualised.
type Feed struct {
	win  fyne.Window
	b    Source
	opts Options
	save SaveFileFunc

	state      filterState
	filter     Filter
	rows       []Row
	exhausted  bool
	loading    bool
	gen        int // bumps on every filter change; stale pages are dropped
	matched    int64
	counting   int // recounts in flight
	pendingN   int
	selected   int
	refreshing bool
	released   bool // rows dropped while the window is hidden
	// offScreen: another tab is shown, so changed rows are not bound to the
	// list, nor the store's events counted, until it is shown again
	// (unbound and uncounted say what is due).
	offScreen, unbound, uncounted bool

	list       *widget.List
	cols       *columnsLayout
	body       *fyne.Container // the list alone, or the list and the detail pane
	listPane   fyne.CanvasObject
	split      *container.Split
	count      *widget.Label
	banner     *fyne.Container
	bannerText *widget.Label
	showNew    *widget.Button
	workload   *widget.Select
	result     *widget.Select
	timeRange  *widget.Select
	search     *widget.Entry
	exportBtn  *widget.Button
	detail     *eventDetail
	content    fyne.CanvasObject
	debounce   debouncer
	export     *exportFlow
	records    *recordsFilter // "Show in Events" of a finding

	ctx    context.Context
	cancel context.CancelFunc
}

// SaveFileFunc asks the user where to save an export. It runs on the Fyne
// goroutine and calls done (also on the Fyne goroutine) with an open writer
// and a location to show, or a nil writer when the user cancelled. nil means
// Fyne's file-save dialog; tests inject their own.
type SaveFileFunc func(suggestedName string, done func(w io.WriteCloser, location string, err error))

// NewFeed builds the feed and loads the first page.
func NewFeed(w fyne.Window, b Source, save SaveFileFunc, opts Options) *Feed {
	f := &Feed{win: w, b: b, opts: opts, save: save, state: defaultFilterState(), selected: -1}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	f.debounce = debouncer{delay: opts.debounce()}

	f.cols = newColumnsLayout()
	f.list = widget.NewList(func() int { return len(f.rows) }, f.createRow, f.updateRow)
	f.list.OnSelected = f.onSelected
	f.list.OnUnselected = func(widget.ListItemID) { f.selected = -1; f.showDetail(false) }
	f.count = widget.NewLabel("")
	f.bannerText = widget.NewLabel("")
	f.showNew = widget.NewButtonWithIcon("Show", theme.MoveUpIcon(), f.ShowNew)
	f.banner = container.NewHBox(widget.NewIcon(theme.InfoIcon()), f.bannerText, f.showNew)
	f.banner.Hide()

	f.workload = widget.NewSelect(labels(workloadChoices()), func(s string) { f.state.Workload = s; f.Reload() })
	f.result = widget.NewSelect(labels(resultChoices()), func(s string) { f.state.Result = s; f.Reload() })
	var rl []string
	for _, rc := range rangeChoices() {
		rl = append(rl, rc.Label)
	}
	f.timeRange = widget.NewSelect(rl, func(s string) { f.state.Range = s; f.Reload() })
	f.search = widget.NewEntry()
	f.search.SetPlaceHolder("Search user, operation, IP, object…")
	f.search.OnChanged = func(s string) {
		if f.refreshing {
			return
		}
		f.state.Text = s
		f.debounce.trigger(func() { f.opts.do(f.Reload) })
	}
	f.exportBtn = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), f.ShowExport)
	f.refreshing = true // set the selects without reloading for each
	f.workload.SetSelected(f.state.Workload)
	f.result.SetSelected(f.state.Result)
	f.timeRange.SetSelected(f.state.Range)
	f.refreshing = false

	header := container.New(f.cols, headerCells()...)
	bar := container.NewBorder(nil, nil, nil, f.exportBtn,
		container.NewGridWithColumns(4, f.workload, f.result, f.timeRange, f.search))
	// the "N new events" banner sits on the count line, whose height is
	// reserved, so showing it never pushes the rows down under the pointer
	countRow := uikit.MinHeight(uikit.ButtonHeight(), container.NewHBox(f.count, layout.NewSpacer(), f.banner))
	f.records = newRecordsFilter(f.ClearRecords)
	top := container.NewVBox(f.records.bar, bar, countRow, header)
	f.detail = newEventDetail(func() { f.list.UnselectAll() })
	// the detail pane only takes room while a row is selected; the divider
	// is draggable then
	f.listPane = container.NewBorder(top, nil, nil, nil, f.list)
	f.split = container.NewHSplit(container.NewStack(), f.detail.content)
	f.split.Offset = 0.62
	f.body = container.NewStack(f.listPane)
	f.content = f.body
	f.Reload()
	return f
}

// Content returns the feed's canvas object.
func (f *Feed) Content() fyne.CanvasObject { return f.content }

// Close cancels loading and pending exports.
func (f *Feed) Close() {
	f.debounce.stop()
	f.cancel()
}

// Rows returns the rows loaded so far (newest first).
func (f *Feed) Rows() []Row { return slices.Clone(f.rows) }

// Filter returns the filter in use.
func (f *Feed) Filter() Filter { return f.filter }

// CountLine returns the line that counts the matching events ("120 events
// match").
func (f *Feed) CountLine() string { return f.count.Text }

// List returns the virtualised list of the rows, for a caller that watches
// what it binds (the main window's tab-switch tests).
func (f *Feed) List() *widget.List { return f.list }

func headerCells() []fyne.CanvasObject {
	var cells []fyne.CanvasObject
	for _, c := range feedColumns() {
		cells = append(cells, widget.NewLabelWithStyle(c.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	return cells
}

func (f *Feed) createRow() fyne.CanvasObject {
	var cells []fyne.CanvasObject
	for range feedColumns() {
		cells = append(cells, uikit.NewCutLabel(""))
	}
	return container.New(f.cols, cells...)
}

func (f *Feed) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(f.rows) {
		return
	}
	r := f.rows[id]
	for i, text := range feedCells(r) {
		imp := widget.MediumImportance
		if i == 5 && auditrec.IsFailure(r.Result) {
			imp = widget.DangerImportance
		}
		o.(*fyne.Container).Objects[i].(*uikit.CutLabel).Set(text, imp, false)
	}
	// near the end of what is loaded: fetch the next page
	if id >= len(f.rows)-f.opts.pageSize()/4 {
		f.loadMore()
	}
}

// Release drops the loaded rows (the window went to the tray); the next
// Reload loads the first page again.
func (f *Feed) Release() {
	f.gen++ // pages still loading are dropped
	f.rows = nil
	f.released = true
	f.loading = false
	f.list.UnselectAll()
	f.detail.clear()
	f.showDetail(false)
	f.refreshList()
}

// Released reports whether the rows were dropped and not loaded since.
func (f *Feed) Released() bool { return f.released }

// Reload applies the filter bar: recounts and loads the first page.
func (f *Feed) Reload() {
	if f.refreshing {
		return
	}
	f.filter = f.state.eventFilter(f.opts.now())
	f.released = false
	f.records.narrow(&f.filter)
	f.gen++
	f.exhausted, f.loading = false, false
	f.pendingN = 0
	f.banner.Hide()
	f.list.UnselectAll()
	f.detail.clear()
	f.showDetail(false)
	f.loadPage(nil, true)
	f.recount()
}

// loadMore fetches the page after the last loaded row.
func (f *Feed) loadMore() {
	if f.loading || f.exhausted || len(f.rows) == 0 {
		return
	}
	f.loadPage(f.rows[len(f.rows)-1].Position(), false)
}

// loadPage runs Events in the background; first replaces the rows.
func (f *Feed) loadPage(before *Position, first bool) {
	f.loading = true
	gen := f.gen
	q := f.filter
	q.Limit = f.opts.pageSize()
	q.Before = before
	go func() {
		rows, err := f.b.Events(f.ctx, q)
		f.opts.do(func() {
			if gen != f.gen {
				return // the filter changed meanwhile
			}
			f.loading = false
			if err != nil {
				f.opts.logger().Warn("loading events", "err", err)
				f.count.SetText("Could not load events: " + err.Error())
				return
			}
			if first {
				f.rows = rows
				f.scrollToTop()
			} else {
				f.rows = append(f.rows, rows...)
			}
			f.exhausted = len(rows) < q.Limit
			f.refreshList()
			f.showCount()
		})
	}()
}

// recount updates "N events match" in the background.
func (f *Feed) recount() {
	if f.offScreen {
		f.uncounted = true
		return
	}
	f.uncounted = false
	gen, q := f.gen, f.filter
	f.counting++
	go func() {
		n, err := f.b.CountEvents(f.ctx, q)
		f.opts.do(func() {
			f.counting--
			if gen != f.gen {
				return
			}
			if err != nil {
				f.opts.logger().Warn("counting events", "err", err)
				return
			}
			f.matched = n
			f.showCount()
		})
	}()
}

// showCount shows how many events match. A count older than the rows on
// screen (a slow count during a big backfill) never contradicts them: it
// says "at least" the rows loaded, and that counting goes on.
func (f *Feed) showCount() {
	if f.offScreen { // shown when the tab is (SetOnScreen)
		return
	}
	loaded := int64(len(f.rows))
	text := countText(f.matched)
	switch {
	case loaded > f.matched && (f.counting > 0 || f.uncounted):
		text = "At least " + countText(loaded) + " (counting…)"
	case loaded > f.matched:
		text = "At least " + countText(loaded)
	}
	uikit.SetLabel(f.count, text, f.count.Importance, false)
}

func countText(n int64) string {
	if n == 1 {
		return "1 event matches"
	}
	return numfmt.Count(n) + " events match"
}

// atTop reports whether the user is looking at the newest rows.
func (f *Feed) atTop() bool { return f.list.GetScrollOffset() < 1 }

// OnNewEvents handles a SubscribeEvents tick of n new rows: at the top the
// new rows appear in place; scrolled down, a banner offers them instead so
// the user's position does not jump. Call it on the Fyne goroutine.
func (f *Feed) OnNewEvents(n int) {
	if n <= 0 {
		return
	}
	if !f.atTop() || f.selected >= 0 {
		f.pendingN += n
		f.bannerText.SetText(fmt.Sprintf("%s new %s", numfmt.Count(int64(f.pendingN)), uikit.PluralWord(f.pendingN, "event")))
		f.banner.Show()
		return
	}
	f.fetchNewest()
}

// fetchNewest loads the first page and puts rows newer than the current
// newest in front.
func (f *Feed) fetchNewest() {
	gen := f.gen
	q := f.filter
	q.Limit = f.opts.pageSize()
	go func() {
		page, err := f.b.Events(f.ctx, q)
		f.opts.do(func() {
			if gen != f.gen || err != nil {
				if err != nil {
					f.opts.logger().Warn("loading new events", "err", err)
				}
				return
			}
			merged, added, gap := mergeNewer(f.rows, page)
			if added == 0 {
				return
			}
			f.rows = merged
			if gap {
				f.exhausted = len(page) < q.Limit
			}
			f.refreshList()
			f.showCount()
		})
	}()
	f.recount()
}

// ShowNew applies the "N new events — show" banner: scroll to the top and
// load the newest rows.
func (f *Feed) ShowNew() {
	f.pendingN = 0
	f.banner.Hide()
	f.list.UnselectAll()
	f.scrollToTop()
	f.fetchNewest()
}

func (f *Feed) onSelected(id widget.ListItemID) {
	if id < 0 || id >= len(f.rows) {
		return
	}
	f.selected = id
	r := f.rows[id]
	f.detail.show(r)
	f.showDetail(true)
	if r.Raw == nil {
		f.readRecord(r)
	}
}

// readRecord reads r's record for the detail pane (the feed's pages carry
// the columns only, so a deep scroll holds no records).
func (f *Feed) readRecord(r Row) {
	go func() {
		raw, err := f.b.Record(f.ctx, r.ID, r.Time)
		if err != nil && f.ctx.Err() != nil {
			return // the feed closed
		}
		if err != nil {
			f.opts.logger().Warn("reading an event's record", "id", r.ID, "err", err)
		}
		f.opts.do(func() { f.detail.showRecord(r.ID, r.Time, raw, err) })
	}()
}

// showDetail shows or hides the detail pane beside the list.
func (f *Feed) showDetail(on bool) {
	if on == f.DetailShown() {
		return
	}
	if on {
		f.split.Leading = f.listPane
		f.body.Objects = []fyne.CanvasObject{f.split}
	} else {
		f.split.Leading = container.NewStack()
		f.body.Objects = []fyne.CanvasObject{f.listPane}
	}
	f.split.Refresh()
	f.body.Refresh()
}

// DetailShown reports whether the detail pane is shown.
func (f *Feed) DetailShown() bool {
	return len(f.body.Objects) == 1 && f.body.Objects[0] == f.split
}

// scrollToTop scrolls to the newest row. A non-zero offset can only come
// from the rendered list's scroller, so ScrollToTop (which needs the
// renderer) is only called then; an unrendered list is already at the top.
func (f *Feed) scrollToTop() {
	if f.list.GetScrollOffset() != 0 {
		f.list.ScrollToTop()
	}
}

// refreshList binds the rows to the list, or notes that they changed while
// the feed is off screen: binding re-shapes every visible row, and during a
// backfill new rows arrive four times a second.
func (f *Feed) refreshList() {
	if f.offScreen {
		f.unbound = true
		return
	}
	f.unbound = false
	f.list.Refresh()
}

// SetOnScreen tells the feed whether its tab is shown. Off screen it keeps
// loading what arrives but binds nothing and does not count the store's
// events (a count over a large store, four times a second during a
// backfill); shown again, the list is bound once with the current rows
// before the next frame is drawn, and the count says "counting…" until
// the new count lands.
func (f *Feed) SetOnScreen(on bool) {
	f.offScreen = !on
	if !on {
		return
	}
	if f.unbound {
		f.refreshList()
	}
	if f.uncounted {
		f.recount()
	}
	f.showCount()
}
