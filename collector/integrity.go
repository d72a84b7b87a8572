package collector

import (
	"context"
	"errors"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/store"
)

// errStoreDamaged is the cancel cause of a run stopped by a damaged store.
var errStoreDamaged = errors.New("the event store is damaged")

// DefaultCheckEvery is how often a running collector re-checks the store
// file for damage unless Options.CheckEvery says otherwise.
const DefaultCheckEvery = 6 * time.Hour

// checkStore runs the store's quick check. Damage becomes a red
// StoreDamaged fault; a check that could not run (the context ended, a busy
// file) is not damage and returns nil. A passing check is recorded in the
// store (MarkSound) for readers in other processes.
func (c *Collector) checkStore(ctx context.Context) error {
	err := c.st.QuickCheck(ctx)
	if err == nil {
		if merr := c.st.MarkSound(ctx, c.opt.Clock()); merr != nil && ctx.Err() == nil {
			c.log.Warn("recording the store check", "err", merr)
		}
		return nil
	}
	if !errors.Is(err, store.ErrCorrupt) {
		if ctx.Err() == nil {
			c.log.Warn("store check could not run", "err", err)
		}
		return nil
	}
	return &fault.Error{Kind: fault.StoreDamaged, Op: "checking the event store", Message: c.st.Path(), Err: err}
}

// integrityLoop checks the store file now and every CheckEvery while
// collection runs, beside it rather than before it: the check reads the
// whole file, and a collector that starts late after a crash would leave
// Microsoft's 7-day window shorter for nothing. On damage it makes the
// status red and stops the run through stop.
func (c *Collector) integrityLoop(ctx context.Context, stop context.CancelCauseFunc) {
	for ctx.Err() == nil {
		if err := c.checkStore(ctx); err != nil {
			c.log.Error("event store damaged; collection stops", "err", err)
			c.reportDamage(context.WithoutCancel(ctx), err)
			stop(errors.Join(errStoreDamaged, err))
			return
		}
		if c.opt.Sleep(ctx, c.opt.CheckEvery) != nil {
			return
		}
	}
}

// reportDamage records store damage for the status and publishes it at
// once (red), for the run loop and for Drain alike.
func (c *Collector) reportDamage(ctx context.Context, err error) {
	c.mu.Lock()
	c.damaged = err
	c.mu.Unlock()
	c.publish(ctx)
}
