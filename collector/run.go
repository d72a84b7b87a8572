package collector

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
)

// Run collects until ctx ends: subscriptions first, then one goroutine per
// content type (one failing type never stops the others), plus user-name
// enrichment, retention and a freshness tick for the status. It returns
// ctx's error.
func (c *Collector) Run(parent context.Context) error {
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	var checks sync.WaitGroup
	checks.Add(1)
	go func() { defer checks.Done(); c.integrityLoop(ctx, stop) }()
	defer checks.Wait()
	err := c.run(ctx)
	if cause := context.Cause(ctx); parent.Err() == nil && errors.Is(cause, errStoreDamaged) {
		return cause
	}
	return err
}

// run is Run's work under a context the store check can cancel.
func (c *Collector) run(ctx context.Context) error {
	c.publish(ctx)
	for {
		err := c.ensureSubscriptions(ctx)
		c.setGlobal(err)
		c.publish(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.log.Warn("listing subscriptions failed", "err", err)
		if werr := c.waitRetry(ctx, 1, err); werr != nil {
			return werr
		}
	}
	var wg sync.WaitGroup
	for _, ct := range c.opt.ContentTypes {
		wg.Add(1)
		go func(ct activity.ContentType) {
			defer wg.Done()
			c.loopType(ctx, ct)
		}(ct)
	}
	wg.Add(3)
	go func() { defer wg.Done(); c.enrichLoop(ctx) }()
	go func() { defer wg.Done(); c.purgeLoop(ctx) }()
	go func() { defer wg.Done(); c.tickLoop(ctx) }()
	wg.Wait()
	return ctx.Err()
}

// loopType polls one content type forever with backoff on failure. A type
// that is not subscribed gets a (cool-down limited) subscription attempt
// instead of a poll.
func (c *Collector) loopType(ctx context.Context, ct activity.ContentType) {
	for ctx.Err() == nil {
		if err := c.waitUnpaused(ctx); err != nil {
			return
		}
		if c.skip(ct) {
			if c.sleep(ctx, c.opt.PollInterval*15) != nil {
				return
			}
			continue
		}
		var err error
		polled := c.subscribed(ct)
		before := c.view(ct)
		if polled {
			c.idle.begin()
			err = c.pollType(ctx, ct)
		} else if err = c.ensureSubscriptions(ctx); err == nil && !c.subscribed(ct) {
			err = c.typeErr(ct)
		}
		if ctx.Err() != nil {
			return
		}
		failures := c.recordResult(ct, err)
		if !polled || c.publishAfterPoll(ct, err, before) {
			c.publish(ctx)
		}
		if polled && c.idle.end(c.storedTotal.Load()) {
			c.release(ctx) // after the status: the light shows the burst's end first
		}
		if err != nil {
			c.log.Warn("poll failed", "contentType", ct, "kind", fault.KindOf(err).String(), "err", err)
			if c.waitRetry(ctx, failures, err) != nil {
				return
			}
			continue
		}
		if c.sleep(ctx, c.opt.PollInterval) != nil {
			return
		}
	}
}

// skip reports content types that are not collected (DLP without permission).
func (c *Collector) skip(ct activity.ContentType) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.types[ct].notPermitted
}

func (c *Collector) subscribed(ct activity.ContentType) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.types[ct].subscribed
}

// typeErr is the recorded failure of a type (why it is not subscribed).
func (c *Collector) typeErr(ct activity.ContentType) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.types[ct].err; err != nil {
		return err
	}
	return fault.New(fault.NoSubscription, "subscribing", "", "the subscription is not enabled yet")
}

// recordResult stores the outcome of a poll. A listing that finds the
// subscription missing or disabled takes the type out of the poll loop; it
// goes back through ensureSubscriptions (cool-down, once-a-day re-enable).
func (c *Collector) recordResult(ct activity.ContentType, err error) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	if err == nil {
		ts.failures, ts.err = 0, nil
		c.lastPoll = c.opt.Clock()
		c.global = nil
		return 0
	}
	ts.failures++
	ts.err = err
	switch kind := fault.KindOf(err); {
	case kind == fault.NoSubscription || kind == fault.SubscriptionDisabled:
		ts.subscribed = false
	case ct == activity.DLPAll && kind == fault.PermissionMissing:
		ts.notPermitted, ts.subscribed, ts.err = true, false, nil
	}
	return ts.failures
}

// waitRetry waits before the next attempt: exponential backoff with jitter,
// at least what the server asked for (Retry-After), longer for failures only
// the admin can fix; RetryNow cuts it short.
func (c *Collector) waitRetry(ctx context.Context, failures int, err error) error {
	d := backoff(failures, 5*time.Second, 5*time.Minute)
	if k := fault.KindOf(err); k.NeedsAdmin() && k != fault.DiskFull { // space can come back any moment
		d = backoff(failures, time.Minute, 15*time.Minute)
	}
	if ra := fault.RetryAfterOf(err); ra > d {
		d = ra
	}
	return c.sleep(ctx, d)
}

// sleep waits d, or less when RetryNow is called.
func (c *Collector) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	wake := c.wakeCh
	c.mu.Unlock()
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.opt.Sleep(ctx2, d)
	}()
	select {
	case <-done:
	case <-wake:
		cancel()
		<-done
	}
	return ctx.Err()
}

func (c *Collector) setGlobal(err error) {
	c.mu.Lock()
	c.global = err
	c.mu.Unlock()
}

// Drain collects everything available now and returns: subscriptions, dead
// letters that are due, and every content type's windows up to now. It is
// `auditlight collect --once`. The error joins every content type's failure.
func (c *Collector) Drain(parent context.Context) error {
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	checked := make(chan error, 1)
	go func() {
		damage := c.checkStore(ctx)
		if damage != nil {
			stop(damage) // nothing more is written into a damaged file
		}
		checked <- damage
	}()
	err := c.drain(ctx)
	if damage := <-checked; damage != nil {
		c.reportDamage(parent, damage)
		return damage
	}
	return err
}

// drain is Drain's work; the store check runs beside it.
func (c *Collector) drain(ctx context.Context) error {
	err := c.ensureSubscriptions(ctx)
	c.setGlobal(err)
	if err != nil {
		c.publish(ctx)
		return fmt.Errorf("subscriptions: %w", err)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, ct := range c.opt.ContentTypes {
		if c.skip(ct) {
			continue
		}
		if !c.subscribed(ct) {
			err := c.typeErr(ct)
			c.recordResult(ct, err)
			errs = append(errs, fmt.Errorf("%s: %w", ct, err))
			continue
		}
		wg.Add(1)
		go func(ct activity.ContentType) {
			defer wg.Done()
			err := c.pollType(ctx, ct)
			c.recordResult(ct, err)
			if err != nil && !(ct == activity.DLPAll && fault.KindOf(err) == fault.PermissionMissing) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", ct, err))
				mu.Unlock()
			}
		}(ct)
	}
	wg.Wait()
	c.publish(ctx)
	return errors.Join(errs...)
}

func (c *Collector) enrichLoop(ctx context.Context) {
	if c.opt.Enricher == nil {
		return
	}
	for ctx.Err() == nil {
		wait := c.opt.EnrichEvery
		names, err := c.opt.Enricher.UserNames(ctx)
		if err == nil {
			err = c.st.SetUserNames(ctx, names)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Warn("user name enrichment failed; collection continues", "err", err)
			wait = time.Hour
		} else {
			c.log.Info("user names refreshed", "users", len(names))
		}
		if c.opt.Sleep(ctx, wait) != nil {
			return
		}
	}
}

func (c *Collector) purgeLoop(ctx context.Context) {
	for ctx.Err() == nil {
		if n, err := c.st.Purge(ctx, c.opt.Clock()); err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Warn("retention purge failed", "err", err)
		} else if n > 0 {
			c.log.Info("retention purge", "deleted", n)
		}
		if c.opt.Sleep(ctx, c.opt.PurgeEvery) != nil {
			return
		}
	}
}

// tickLoop re-evaluates the status periodically: freshness changes with time
// even when nothing happens. Memory goes back at the end of each burst of
// polls (loopType), not here.
func (c *Collector) tickLoop(ctx context.Context) {
	for ctx.Err() == nil {
		if c.opt.Sleep(ctx, 30*time.Second) != nil {
			return
		}
		c.publish(ctx)
	}
}

// troubledSinceLocked reports whether trouble seen at t (a throttling
// answer, a stall) still describes collection: some content type has not
// completed a pass to the present that began after t. A pass that met the
// trouble, or one still running, keeps it reported. c.mu is held.
func (c *Collector) troubledSinceLocked(t time.Time) bool {
	for _, ct := range c.opt.ContentTypes {
		ts := c.types[ct]
		if ts == nil || ts.notPermitted {
			continue
		}
		if !ts.cleanSince.After(t) {
			return true
		}
	}
	return false
}

// troubleLocked returns the throttling and the stall to report at now (zero
// when none). Throttling and stalls are news only while they shape
// collection: once every content type has made a whole pass to the present
// without meeting them, "catching up more slowly" is no longer true. c.mu is
// held.
func (c *Collector) troubleLocked(now time.Time) (throttledSince, stalledSince time.Time) {
	tr, ok := c.api.(troubleReporter)
	if !ok {
		return time.Time{}, time.Time{}
	}
	t := tr.Trouble(now)
	if t.Throttled && c.troubledSinceLocked(t.ThrottledLast) {
		throttledSince = t.ThrottledSince
	}
	if t.Stalled && c.troubledSinceLocked(t.StalledLast) {
		stalledSince = t.StalledSince
	}
	return throttledSince, stalledSince
}

// troubleReporter is implemented by *activity.Client: persistent
// throttling or stalling that retries hide from the error of each poll.
type troubleReporter interface {
	Trouble(now time.Time) activity.Trouble
}

// publish evaluates and broadcasts the status.
func (c *Collector) publish(ctx context.Context) {
	now := c.opt.Clock()
	// Record times are Microsoft's: count the last 24 hours on Microsoft's
	// clock, so a wrong local clock never zeroes the counts.
	serverNow := c.now()
	stats, _ := c.st.WorkloadStats(ctx, serverNow)
	total, _ := c.st.Total(ctx)
	dls, _ := c.st.DeadLetters(ctx)
	gaps, _ := c.st.Gaps(ctx)
	backfillFrom := map[string]time.Time{}
	for _, g := range gaps {
		if _, ok := backfillFrom[g.ContentType]; !ok {
			backfillFrom[g.ContentType] = c.metaTime(ctx, metaBackfillFrom(activity.ContentType(g.ContentType)))
		}
	}
	c.mu.Lock()
	in := health.Inputs{
		Configured:   true,
		Paused:       c.paused,
		Err:          cmp.Or(c.damaged, c.global),
		SubscribedAt: c.subscribedAt,
		LastPoll:     c.lastPoll,
		TotalRecords: total,
		DeadLetters:  len(dls),
		SecretExpiry: c.opt.SecretExpiry,
		ClockSkew:    c.api.Skew(),

		AuditPendingSince: c.opt.AuditPendingSince,
	}
	for _, d := range dls {
		in.DeadLetter = d.LastError // in retry order: keep the last one
	}
	in.ThrottledSince, in.StalledSince = c.troubleLocked(now)
	for _, g := range gaps {
		in.Gaps = append(in.Gaps, health.Gap{ContentType: g.ContentType, From: g.From, To: g.To, Reason: g.Reason,
			AtLimit: atLimit(g, backfillFrom[g.ContentType])})
	}
	for _, ct := range c.opt.ContentTypes {
		ts := c.types[ct]
		s := stats[string(ct)]
		in.Workloads = append(in.Workloads, health.WorkloadInput{
			ContentType: string(ct), Name: ct.DisplayName(), Subscribed: ts.subscribed, NotPermitted: ts.notPermitted,
			Cursor: ts.cursor, LastSuccess: ts.lastSuccess, LastRecord: s.LastRecord, LastContent: s.LastContent,
			Records24h: s.Records24h, Backfilling: ts.backfilling, BackfillPercent: ts.backfillPercent(serverNow),
			BackfillRecords: ts.backfillRecords, Err: ts.err,
		})
	}
	c.mu.Unlock()
	c.broadcast(health.Evaluate(in, now, c.opt.Thresholds))
}
