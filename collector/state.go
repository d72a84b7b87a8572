package collector

import (
	"time"

	"github.com/auditlight/auditlight/collector/activity"
)

// typeState is what the collector remembers about one content type between
// polls. It is guarded by Collector.mu.
type typeState struct {
	ct              activity.ContentType
	subscribed      bool
	notPermitted    bool // DLP.All without ActivityFeed.ReadDlp
	lastStart       time.Time
	lastSuccess     time.Time
	cursor          time.Time
	backfillFrom    time.Time
	backfilling     bool
	backfillRecords int64
	failures        int
	err             error
	cycleStart      time.Time     // when the current pass over this type began (local clock)
	cleanSince      time.Time     // start of the latest pass that reached the present
	edgeShift       time.Duration // how far Microsoft's refusals moved the 7-day floor (edge.go)
	edgeRefusedFrom time.Time     // the first refused start at that edge, until it becomes a gap
}

// backfillPercent is how much of the way from the first cursor to now the
// cursor has travelled.
func (ts *typeState) backfillPercent(now time.Time) float64 {
	if !ts.backfilling {
		return 100
	}
	if ts.backfillFrom.IsZero() || ts.cursor.IsZero() {
		return 0
	}
	total := now.Sub(ts.backfillFrom)
	if total <= 0 {
		return 100
	}
	p := 100 * float64(ts.cursor.Sub(ts.backfillFrom)) / float64(total)
	switch {
	case p < 0:
		return 0
	case p > 100:
		return 100
	}
	return p
}
