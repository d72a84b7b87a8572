package events

import (
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/internal/numfmt"
	"github.com/auditlight/auditlight/ui/internal/glyph"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// recordsFilter narrows the feed to a set of records (a finding's
// evidence), shown by a line above the list with a Clear button.
type recordsFilter struct {
	ids []string // nil = the normal feed
	// first and last bound the records' CreationTime (the finding's first
	// and last seen): the store's dedupe key is time + Id and no index
	// holds the Id alone, so the lookup reads only that span.
	first, last time.Time
	text        *uikit.CutLabel
	bar         *fyne.Container
}

// newRecordsFilter builds the hidden "Showing the N records of finding …"
// line; clear is its Clear button.
func newRecordsFilter(clear func()) *recordsFilter {
	r := &recordsFilter{text: uikit.NewCutLabel("")}
	r.text.Importance = widget.HighImportance
	btn := widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), clear)
	r.bar = container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), btn, r.text)
	r.bar.Hide()
	return r
}

// recordsText is the line shown while the feed shows n of a finding's
// total records (a finding lists at most finding.MaxEvidence of them).
func recordsText(n, total int, title string) string {
	what := fmt.Sprintf("the %s records", numfmt.Count(int64(n)))
	switch {
	case total > n:
		what = fmt.Sprintf("%s of the %s records", numfmt.Count(int64(n)), numfmt.Count(int64(total)))
	case n == 1:
		what = "the record"
	}
	return "Showing " + what + " of finding " + glyph.Safe(title) + " —"
}

// ShowRecords narrows the feed to the records ids (a finding's evidence,
// whose CreationTimes lie within first..last, its first and last seen;
// title names the finding, total counts all its records when ids holds only
// some of them) with the filter bar reset, so every one of them is listed,
// and shows "Showing the N records of finding <title> — Clear". Call it on
// the Fyne goroutine.
func (f *Feed) ShowRecords(title string, ids []string, total int, first, last time.Time) {
	f.refreshing = true // reset the bar without a reload per control
	f.state = defaultFilterState()
	f.workload.SetSelected(f.state.Workload)
	f.result.SetSelected(f.state.Result)
	f.timeRange.SetSelected(f.state.Range)
	f.search.SetText("")
	f.refreshing = false
	f.records.ids = slices.Clone(ids)
	f.records.first, f.records.last = first, last
	if f.records.ids == nil {
		f.records.ids = []string{} // a finding without records shows none, not all
	}
	f.records.text.SetText(recordsText(len(ids), total, title))
	f.records.bar.Show()
	f.Reload()
}

// ClearRecords returns to the normal feed (the Clear button).
func (f *Feed) ClearRecords() {
	if f.records.ids == nil {
		return
	}
	f.records.ids = nil
	f.records.bar.Hide()
	f.Reload()
}

// narrow applies the records filter to fl (the filter bar's): only the
// records' Ids, within their time span and the bar's range.
func (r *recordsFilter) narrow(fl *Filter) {
	fl.IDs = r.ids
	if r.ids == nil {
		return
	}
	if !r.first.IsZero() && r.first.After(fl.Since) {
		fl.Since = r.first
	}
	if until := r.last.Add(time.Millisecond); !r.last.IsZero() && (fl.Until.IsZero() || until.Before(fl.Until)) {
		fl.Until = until
	}
}

// RecordsLine returns the "Showing the N records of finding …" line and
// whether it is shown: the feed is narrowed to a finding's records.
func (f *Feed) RecordsLine() (string, bool) {
	return f.records.text.Full(), f.records.bar.Visible()
}
