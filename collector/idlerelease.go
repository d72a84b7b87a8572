package collector

import (
	"context"
	"runtime/debug"
	"sync"
)

// idleRelease decides when a burst of collection has ended, so that memory
// goes back to the operating system then (issue 12: a tray app sits idle all
// day), once per burst: when the last poll in flight returns and records
// were stored since the previous release. A burst is a backfill or a
// steady-state poll that found new content; a poll that stored nothing
// releases nothing, so a quiet collector never pays for a release.
//
// The release belongs to the burst, not to the quiet time after it: freeing
// a backfill's page cache costs ~0.1–0.2 s of CPU on a VM where each
// madvise(2) pays a TLB flush (BENCHMARKS.md), which a later status tick
// used to pay inside the idle hour.
type idleRelease struct {
	mu       sync.Mutex
	polling  int   // polls in flight
	released int64 // records stored at the last release; -1 before the first
}

func newIdleRelease() *idleRelease { return &idleRelease{released: -1} }

// begin marks a poll as started.
func (r *idleRelease) begin() {
	r.mu.Lock()
	r.polling++
	r.mu.Unlock()
}

// end marks a poll as finished, given how many records were stored so far,
// and reports whether to release now: no other poll is in flight and
// records were stored since the last release (or none was made yet: the
// start itself allocates).
func (r *idleRelease) end(stored int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.polling--
	if r.polling > 0 || stored == r.released {
		return false
	}
	r.released = stored
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
