package collector

import (
	"context"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/store"
)

const metaSubscribedAt = "subscribed_at"

func metaLastStart(ct activity.ContentType) string { return "last_start:" + string(ct) }

// reenableEvery is how often a subscription found disabled is re-enabled
// automatically; in between it is reported (red), not restarted in a loop.
const reenableEvery = 24 * time.Hour

func metaReenabled(ct activity.ContentType) string { return "reenabled:" + string(ct) }

// metaBackfillFrom is where a content type's first backfill was meant to
// start: 7 days before the first subscription attempt (Microsoft's time).
func metaBackfillFrom(ct activity.ContentType) string { return "backfill_from:" + string(ct) }

// noteBackfillFrom remembers, once, where the first backfill of ct should
// start, so a late start (cool-down, failures, a crash) is recorded as a gap
// instead of silently moving the start.
func (c *Collector) noteBackfillFrom(ctx context.Context, ct activity.ContentType, curs map[string]store.Cursor) {
	if cur, ok := curs[string(ct)]; ok && !cur.Next.IsZero() {
		return
	}
	if !c.metaTime(ctx, metaBackfillFrom(ct)).IsZero() {
		return
	}
	from := c.now().Add(-c.opt.MaxLookback)
	if err := c.st.SetMeta(ctx, metaBackfillFrom(ct), from.UTC().Format(time.RFC3339Nano)); err != nil {
		c.log.Warn("saving the backfill start", "contentType", ct, "err", err)
	}
}

// ensureSubscriptions lists the subscriptions first and starts only the
// content types that are missing (or disabled, at most once a day unless the
// admin asks with RetryNow), never more often than the start cool-down allows
// (persisted, so restarts respect it too). It runs at start-up and for types
// that are not subscribed, never for a type in its steady-state poll loop.
func (c *Collector) ensureSubscriptions(ctx context.Context) error {
	subs, err := c.api.Subscriptions(ctx)
	if err != nil {
		return err
	}
	status := map[activity.ContentType]string{}
	for _, s := range subs {
		status[s.ContentType] = s.Status
	}
	now := c.opt.Clock()
	if curs, err := c.st.Cursors(ctx); err == nil {
		for _, ct := range c.opt.ContentTypes {
			c.noteBackfillFrom(ctx, ct, curs)
		}
	}
	c.mu.Lock()
	forced := c.resubscribe
	c.resubscribe = false
	c.mu.Unlock()
	anyEnabled := false
	for _, ct := range c.opt.ContentTypes {
		if c.skip(ct) {
			continue
		}
		if status[ct] == "enabled" {
			c.setSubscribed(ct, true, nil)
			anyEnabled = true
			continue
		}
		if status[ct] == "disabled" && !forced {
			if t := c.metaTime(ctx, metaReenabled(ct)); !t.IsZero() && now.Sub(t) < reenableEvery {
				c.setSubscribed(ct, false, fault.New(fault.SubscriptionDisabled, "listing subscriptions", "AF20023",
					"the subscription was disabled again after AuditLight re-enabled it on "+t.Local().Format("2006-01-02 15:04")))
				continue
			}
		}
		last := c.lastStart(ctx, ct)
		if !last.IsZero() && now.Sub(last) < c.opt.StartCooldown {
			wait := c.opt.StartCooldown - now.Sub(last)
			c.log.Info("subscription start is cooling down", "contentType", ct, "wait", wait.Round(time.Second))
			c.keepStartError(ct, fault.New(fault.NoSubscription, "starting subscription", "",
				"waiting "+wait.Round(time.Second).String()+" before the next start request"))
			continue
		}
		_, err := c.api.Start(ctx, ct)
		if answered(err) {
			// The cool-down is Microsoft's rule for start requests it received:
			// saved only once it answered. A crash or a network failure before
			// that leaves no cool-down behind, so the next attempt comes soon.
			if serr := c.st.SetMeta(ctx, metaLastStart(ct), now.UTC().Format(time.RFC3339Nano)); serr != nil {
				c.log.Warn("saving the subscription start time", "contentType", ct, "err", serr)
			}
			c.setLastStart(ct, now)
		}
		switch {
		case err == nil:
			if status[ct] == "disabled" {
				c.log.Warn("re-enabled a disabled subscription", "contentType", ct)
				_ = c.st.SetMeta(ctx, metaReenabled(ct), now.UTC().Format(time.RFC3339Nano))
			} else {
				c.log.Info("subscription started", "contentType", ct)
			}
			c.setSubscribed(ct, true, nil)
			anyEnabled = true
		case ct == activity.DLPAll && fault.KindOf(err) == fault.PermissionMissing:
			c.log.Warn("DLP.All not permitted; continuing without it", "err", err)
			c.setNotPermitted(ct)
		case fault.KindOf(err) == fault.Canceled:
			return err
		default:
			c.log.Warn("starting subscription failed", "contentType", ct, "err", err)
			c.setSubscribed(ct, false, err)
		}
	}
	if anyEnabled {
		c.markSubscribed(ctx, now)
	}
	return nil
}

// answered reports whether a start request reached Microsoft and got an
// answer that counts against the start cool-down: success, or any refusal
// other than a transient failure (network, 5xx, truncated) or our own stop.
func answered(err error) bool {
	if err == nil {
		return true
	}
	switch fault.KindOf(err) {
	case fault.Transient, fault.Canceled:
		return false
	}
	return true
}

func (c *Collector) metaTime(ctx context.Context, key string) time.Time {
	if v, ok, err := c.st.Meta(ctx, key); err == nil && ok {
		if p, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return p
		}
	}
	return time.Time{}
}

// keepStartError records err for a type that is not subscribed, unless a
// more telling failure (audit off, permission) is already recorded.
func (c *Collector) keepStartError(ct activity.ContentType, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	ts.subscribed = false
	if ts.err == nil || !fault.KindOf(ts.err).NeedsAdmin() {
		ts.err = err
	}
}

func (c *Collector) lastStart(ctx context.Context, ct activity.ContentType) time.Time {
	c.mu.Lock()
	t := c.types[ct].lastStart
	c.mu.Unlock()
	if !t.IsZero() {
		return t
	}
	return c.metaTime(ctx, metaLastStart(ct))
}

func (c *Collector) setLastStart(ct activity.ContentType, t time.Time) {
	c.mu.Lock()
	c.types[ct].lastStart = t
	c.mu.Unlock()
}

func (c *Collector) setSubscribed(ct activity.ContentType, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	ts.subscribed = ok
	if err != nil || ok {
		ts.err = err
	}
}

func (c *Collector) setNotPermitted(ct activity.ContentType) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	ts.notPermitted = true
	ts.subscribed = false
	ts.err = nil
}

// markSubscribed remembers when the tenant was first subscribed: "waiting for
// first data" is normal for 12 hours after that.
func (c *Collector) markSubscribed(ctx context.Context, now time.Time) {
	c.mu.Lock()
	have := !c.subscribedAt.IsZero()
	c.mu.Unlock()
	if have {
		return
	}
	if p := c.metaTime(ctx, metaSubscribedAt); !p.IsZero() {
		c.mu.Lock()
		c.subscribedAt = p
		c.mu.Unlock()
		return
	}
	_ = c.st.SetMeta(ctx, metaSubscribedAt, now.UTC().Format(time.RFC3339Nano))
	c.mu.Lock()
	c.subscribedAt = now
	c.mu.Unlock()
}
