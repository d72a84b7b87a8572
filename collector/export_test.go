package collector

import (
	"context"
	"sync/atomic"
)

// CountReleases replaces c's memory release with one that only counts its
// calls (the release itself is the store's, tested there). Call it before
// Run.
func CountReleases(c *Collector) func() int64 {
	var calls atomic.Int64
	c.release = func(context.Context) { calls.Add(1) }
	return calls.Load
}
