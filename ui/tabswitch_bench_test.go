package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// BenchmarkTabSwitch measures what a click on the next tab costs the Fyne
// goroutine (the click script's cycle Status → Findings → Events → Test
// detections), over a store with many events and findings: the switch
// itself, then the applying of what the shown tab loaded in the background.
func BenchmarkTabSwitch(b *testing.B) {
	a := test.NewTempApp(b)
	q := uitest.NewQueue()
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1100, 760))
	fb := newFakeBackend()
	fb.addRows(sampleRows(100_000, feedNow, "r")...)
	var fs []finding.Finding
	for i := range 200 {
		fs = append(fs, fwdFinding(int64(i+1), finding.Severity(i%4), finding.StatusNew))
	}
	fb.setFindings(fs...)
	m := NewMainWindow(a, w, fb, MainOptions{
		Options:   Options{Gate: q.Gate(), Clock: func() time.Time { return feedNow }, Coalesce: time.Millisecond},
		Validator: testValidator(),
	})
	b.Cleanup(func() { q.Drain(); m.Close() })
	q.Until(b, "feed loaded", func() bool { return len(m.Feed.Rows()) > 0 })
	q.Drain()
	n := len(m.tabs.Items())
	i := 0
	for b.Loop() {
		i = (i + 1) % n
		m.tabs.SelectIndex(i)
		q.Drain()
	}
}
