package ui

import (
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/health"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// BenchmarkChartModel measures bucketing a week of hourly counts for five workloads.
func BenchmarkChartModel(b *testing.B) {
	start := feedNow.Add(-chartHours * time.Hour)
	var counts []HourCount
	for h := range chartHours {
		for _, wl := range []string{"Exchange", "SharePoint", "OneDrive", "AzureActiveDirectory", "MicrosoftTeams"} {
			counts = append(counts, HourCount{Hour: start.Add(time.Duration(h) * time.Hour), Workload: wl, Count: int64(h)})
		}
	}
	for b.Loop() {
		buildChartModel(counts, start, chartHours)
	}
}

// BenchmarkDashboardBackfillStatus measures presenting one status during a
// backfill on the Fyne goroutine (the presenter does it up to four times a
// second): the percentage and counts move, the workload names, states and
// most cells do not.
func BenchmarkDashboardBackfillStatus(b *testing.B) {
	test.NewTempApp(b)
	q := uitest.NewQueue()
	w := test.NewTempWindow(b, nil)
	d := NewDashboard(w, newFakeBackend(), DashboardHooks{}, Options{Gate: q.Gate(), Clock: func() time.Time { return dashNow }, validator: testValidator()})
	defer d.Close()
	w.SetContent(d.Content())
	w.Resize(fyne.NewSize(1100, 760))
	st := health.Status{State: health.Healthy, Backfilling: true, LastPoll: dashNow, Reason: "Online and logging; catching up on the last 7 days."}
	for _, n := range []string{"Entra ID", "Exchange", "General (Teams, Defender…)", "SharePoint / OneDrive", "DLP"} {
		st.Workloads = append(st.Workloads, health.Workload{Name: n, Subscribed: true, LastRecord: dashNow.Add(-34 * time.Hour), Lag: 34 * time.Hour})
	}
	i := 0
	for b.Loop() {
		i++
		st.Backfill = float64(i%1000) / 10
		st.TotalRecords = int64(i * 250)
		st.Workloads[i%5].BackfillRecords += 250
		d.SetStatus(st)
	}
}

// BenchmarkWorkloadGridFirstStatus measures the workload grid's part of the
// window's first status (on the path to green, issue 12): five workloads'
// 30 new cells set and laid out in a window of the default size.
func BenchmarkWorkloadGridFirstStatus(b *testing.B) {
	test.NewTempApp(b)
	var ws []health.Workload
	for _, n := range []string{"Entra ID", "Exchange", "General (Teams, Defender…)", "SharePoint / OneDrive", "DLP"} {
		ws = append(ws, health.Workload{Name: n, Subscribed: true, LastRecord: dashNow.Add(-34 * time.Hour), Lag: 34 * time.Hour, Records24h: 1200})
	}
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1100, 760))
	for b.Loop() {
		g := newWorkloadGrid()
		w.SetContent(g.content)
		g.set(ws, dashNow)
	}
}
