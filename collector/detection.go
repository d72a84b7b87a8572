package collector

import (
	"context"
	"errors"
	"runtime/trace"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/store"
)

// Detector evaluates records right after they were committed (package
// detect's *Engine). backfill is true while the content type is catching up
// (the first 7-day backfill, or after a long time offline). It must be safe
// for concurrent use and must tolerate records it has seen before.
type Detector interface {
	Process(ctx context.Context, evs []store.Event, backfill bool) error
}

// detect hands a committed blob's records to the detector. A detector
// failure is logged and never stops collection: the records are stored, and
// re-evaluating them later is harmless.
func (c *Collector) detect(ctx context.Context, ct activity.ContentType, evs []store.Event) {
	if c.opt.Detector == nil || len(evs) == 0 {
		return
	}
	c.mu.Lock()
	backfill := false
	if ts := c.types[ct]; ts != nil {
		backfill = ts.backfilling
	}
	c.mu.Unlock()
	defer trace.StartRegion(ctx, "collector: detect").End()
	if err := c.opt.Detector.Process(ctx, evs, backfill); err != nil && !errors.Is(err, context.Canceled) {
		c.log.Warn("evaluating detections failed; the records are stored", "contentType", ct, "err", err)
	}
}
