package collector

import (
	"context"
	"sync/atomic"

	"github.com/auditlight/auditlight/collector/health"
)

// CountReleases replaces c's memory release with one that only counts its
// calls (the release itself is the store's, tested there). Call it before
// Run.
func CountReleases(c *Collector) func() int64 {
	var calls atomic.Int64
	c.release = func(context.Context) { calls.Add(1) }
	return calls.Load
}

// CountPublishes counts c's status publishes (each still reaches the
// subscribers). Call it before Run.
func CountPublishes(c *Collector) func() int64 {
	var calls atomic.Int64
	publish := c.broadcast
	c.broadcast = func(s health.Status) { calls.Add(1); publish(s) }
	return calls.Load
}
