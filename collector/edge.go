package collector

import (
	"context"
	"fmt"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

// Microsoft lists content at most 7 days back, measured on its own clock.
// The first backfill starts exactly there (on Microsoft's time, from the
// skew measured on its Date header). Should Microsoft still refuse the start
// (its clock and the Date header's one-second resolution disagree by a
// little), the start moves forward by edgeStep, at most edgeReach in all,
// and the part that could not be listed is recorded as a gap: the backfill
// never gives up on the whole content type, and never skips silently.
const (
	edgeStep  = 10 * time.Second
	edgeReach = health.LimitGrace
)

// floor is the oldest start time a listing of ct may use now: Microsoft's
// 7-day limit, moved forward by what Microsoft refused at that edge.
func (c *Collector) floor(ct activity.ContentType, now time.Time) time.Time {
	c.mu.Lock()
	shift := c.types[ct].edgeShift
	c.mu.Unlock()
	return now.Add(-c.opt.MaxLookback + shift)
}

// edgeRefused handles Microsoft refusing a listing window that starts at the
// 7-day edge (AF20030/AF20055): it moves the floor forward and reports true
// so the caller lists again; the refused span becomes one gap once a start
// is accepted (edgeAccepted). Any other error, or a refusal away from the
// edge, is returned untouched.
func (c *Collector) edgeRefused(ct activity.ContentType, w window, now time.Time, err error) (bool, error) {
	if fault.KindOf(err) != fault.Window {
		return false, err
	}
	limit := now.Add(-c.opt.MaxLookback)
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	if w.Start.Sub(limit) > ts.edgeShift+time.Second || ts.edgeShift+edgeStep > edgeReach {
		return false, err // not at the edge, or the edge keeps moving away: a real window fault
	}
	if ts.edgeRefusedFrom.IsZero() {
		ts.edgeRefusedFrom = w.Start
	}
	ts.edgeShift += edgeStep
	c.log.Warn("Microsoft refused a listing at its 7-day limit; starting later", "contentType", ct, "start", w.Start, "err", err)
	return true, nil
}

// edgeAccepted records, once, the span Microsoft refused at its 7-day edge
// as a gap, now that a listing starting at w.Start was accepted.
func (c *Collector) edgeAccepted(ctx context.Context, ct activity.ContentType, w window) error {
	c.mu.Lock()
	from := c.types[ct].edgeRefusedFrom
	c.types[ct].edgeRefusedFrom = time.Time{}
	c.mu.Unlock()
	if from.IsZero() || !w.Start.After(from) {
		return nil
	}
	c.contentHandled.Add(1)
	if err := c.st.AddGap(ctx, store.Gap{ContentType: string(ct), From: from, To: w.Start,
		Reason: "at Microsoft's 7-day limit: Microsoft refused to list content this old"}); err != nil {
		return fmt.Errorf("recording gap: %w", err)
	}
	c.log.Warn("recorded a gap at Microsoft's 7-day limit", "contentType", ct, "from", from, "to", w.Start)
	return nil
}

// atLimit reports a gap at Microsoft's 7-day limit when the first backfill of
// its content type began at from: the content expired, or was refused, within
// health.LimitGrace of the moment the collector first asked for it.
func atLimit(g store.Gap, from time.Time) bool {
	return !from.IsZero() && !g.From.Before(from.Add(-time.Second)) && !g.To.After(from.Add(health.LimitGrace))
}
