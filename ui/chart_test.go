package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestBuildChartModel(t *testing.T) {
	start := time.Date(2026, 11, 17, 12, 0, 0, 0, time.UTC)
	counts := []HourCount{
		{Hour: start, Workload: "Exchange", Count: 10},
		{Hour: start, Workload: "AzureActiveDirectory", Count: 5},
		{Hour: start.Add(3 * time.Hour), Workload: "Exchange", Count: 40},
		{Hour: start.Add(-time.Hour), Workload: "Exchange", Count: 999},             // before the span
		{Hour: start.Add(chartHours * time.Hour), Workload: "SharePoint", Count: 7}, // after the span
	}
	m := buildChartModel(counts, start.Add(25*time.Minute), chartHours)
	if !m.Start.Equal(start) {
		t.Errorf("start %v, want truncated to the hour", m.Start)
	}
	if !slices.Equal(m.Workloads, []string{"AzureActiveDirectory", "Exchange", "SharePoint"}) {
		t.Errorf("legend %v", m.Workloads)
	}
	if m.Buckets[0][0] != 5 || m.Buckets[0][1] != 10 || m.Buckets[3][1] != 40 {
		t.Errorf("buckets %v %v", m.Buckets[0], m.Buckets[3])
	}
	if m.Max != 40 || m.Total != 55 {
		t.Errorf("max %d total %d, want 40 and 55", m.Max, m.Total)
	}
}

func TestActivityChartDrawsStackedBars(t *testing.T) {
	test.NewTempApp(t)
	start := time.Date(2026, 11, 17, 12, 0, 0, 0, time.UTC)
	c := NewActivityChart()
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(800, 300))
	c.SetData([]HourCount{
		{Hour: start, Workload: "Exchange", Count: 30},
		{Hour: start, Workload: "SharePoint", Count: 10},
		{Hour: start.Add(time.Hour), Workload: "Exchange", Count: 20},
	}, start)
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)
	if len(r.bars) != 3 || len(r.legendText) != 2 {
		t.Fatalf("%d bars, %d legend entries", len(r.bars), len(r.legendText))
	}
	// hour 0: Exchange (30) and SharePoint (10) stack to the full height;
	// hour 1: Exchange (20) is half of it
	h0 := r.bars[0].Size().Height + r.bars[1].Size().Height
	h1 := r.bars[2].Size().Height
	if h0 <= 0 || h1*2 < h0-1 || h1*2 > h0+1 {
		t.Errorf("stack heights %v and %v, want 2:1", h0, h1)
	}
	if r.bars[1].Position().Y+r.bars[1].Size().Height > r.bars[0].Position().Y+0.5 {
		t.Error("second workload not stacked on top of the first")
	}
	if r.maxText.Text != "40/h" || c.Total() != 60 {
		t.Errorf("scale %q total %d", r.maxText.Text, c.Total())
	}
}

// The chart legend names workloads as the feed does ("Entra ID", not
// "AzureActiveDirectory"; issue 10, item 16).
func TestChartLegendNamesWorkloadsAsTheFeed(t *testing.T) {
	test.NewTempApp(t)
	c := NewActivityChart()
	c.SetData([]HourCount{{Hour: feedNow.Truncate(time.Hour), Workload: "AzureActiveDirectory", Count: 3}}, feedNow.Add(-chartHours*time.Hour))
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)
	if len(r.legendText) != 1 || r.legendText[0].Text != "Entra ID" {
		t.Errorf("legend %v, want Entra ID as in the feed and the workload table", r.legendText)
	}
}
