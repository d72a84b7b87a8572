package events

import (
	"io"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// BenchmarkWriteCSV measures export throughput (rows per op = b.N rows).
func BenchmarkWriteCSV(b *testing.B) {
	rows := sampleRows(1000, feedNow, "r")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := WriteCSV(io.Discard, rowsOf(rows...)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)), "rows/op")
}

// BenchmarkFeedScroll measures updating the visible rows of a feed that has
// 100,000 rows loaded (what a user reaches after paging deep into a large
// store): the virtualised list only binds the rows on screen.
func BenchmarkFeedScroll(b *testing.B) {
	test.NewTempApp(b)
	fb := newFakeSource()
	q := uitest.NewQueue()
	w := test.NewTempWindow(b, nil)
	f := NewFeed(w, fb, nil, Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }})
	defer f.Close()
	w.SetContent(f.Content())
	w.Resize(fyne.NewSize(1200, 800))
	q.Until(b, "first page", func() bool { return !f.loading })
	f.rows = sampleRows(100_000, feedNow, "r")
	f.exhausted = true
	f.list.Refresh()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		f.list.ScrollToOffset(float32(i%90_000) * 37)
		i += 997
	}
}
