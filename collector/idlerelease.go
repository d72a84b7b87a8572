package collector

import (
	"context"
	"runtime/debug"
)

// idleRelease decides when collection has gone quiet enough to give memory
// back (issue 12: a tray app sits idle all day): after a status tick that
// saw no new records since the previous one, once per quiet spell.
type idleRelease struct {
	lastStored int64
	released   bool
}

// due reports whether to release now, given how many records were stored
// so far.
func (r *idleRelease) due(stored int64) bool {
	if stored != r.lastStored {
		r.lastStored, r.released = stored, false
		return false
	}
	if r.released {
		return false
	}
	r.released = true
	return true
}

// releaseMemory hands back the store's caches and compressors and returns
// the freed heap to the operating system.
func (c *Collector) releaseMemory(ctx context.Context) {
	if err := c.st.ReleaseMemory(ctx); err != nil {
		c.log.Debug("releasing memory while idle", "err", err)
	}
	debug.FreeOSMemory()
}
