package collector

import (
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/health"
)

// pollView is what a user can see of one content type and of the collector
// as a whole, apart from times: whether it fails, backfills, ever succeeded,
// is subscribed; whether the collector has a global error, throttling or a
// stall to report, and the clock skew it tells; and how much new content (blobs,
// gaps) it has handled. A poll that leaves it unchanged changes nothing on
// the light or the dashboard but "last checked", which the 30-s status tick
// publishes (issue 12: five content types' minute polls each re-read the
// store's statistics for a status nobody could tell apart).
type pollView struct {
	failing, backfilling, succeeded, subscribed, notPermitted bool
	global                                                    bool
	throttledSince, stalledSince                              time.Time
	skew                                                      time.Duration
	content                                                   int64
}

// view returns ct's pollView now.
func (c *Collector) view(ct activity.ContentType) pollView {
	now := c.opt.Clock()
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	v := pollView{
		failing: ts.err != nil, backfilling: ts.backfilling, succeeded: !ts.lastSuccess.IsZero(),
		subscribed: ts.subscribed, notPermitted: ts.notPermitted, global: c.global != nil || c.damaged != nil,
		skew: c.skewShown(), content: c.contentHandled.Load(),
	}
	v.throttledSince, v.stalledSince = c.troubleLocked(now)
	return v
}

// skewShown is the clock skew as the status tells it: nothing within the
// warning threshold, beyond it to the minute ("12 minutes fast").
func (c *Collector) skewShown() time.Duration {
	warn := c.opt.Thresholds.ClockSkewWarn
	if warn <= 0 {
		warn = health.DefaultThresholds().ClockSkewWarn
	}
	skew := c.api.Skew()
	if skew > -warn && skew < warn {
		return 0
	}
	return skew.Round(time.Minute)
}

// publishAfterPoll reports whether a poll's outcome is published at once: a
// failure always is (the light turns amber or red as fast as before), and so
// is a success that changed what a user sees (before is the view taken as
// the poll began). A quiet success waits for the status tick.
func (c *Collector) publishAfterPoll(ct activity.ContentType, err error, before pollView) bool {
	return err != nil || c.view(ct) != before
}
