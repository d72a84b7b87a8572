package collector

import (
	"context"
	"runtime/trace"
	"sync"
)

// byteBudget bounds the bytes of blobs fetched but not yet stored. A
// fetcher hands its blob to the store's group commit and goes on fetching
// (so one transaction gathers many blobs), while the budget keeps the
// downloads from running ahead of the single writer without limit: memory
// is bounded in bytes, not in a count of blobs whose size Microsoft decides.
// A blob larger than the whole budget is let through alone.
type byteBudget struct {
	mu    sync.Mutex
	limit int64
	used  int64
	freed chan struct{} // closed and replaced whenever bytes are released
	// full, when set, is called (outside the lock) each time a caller has
	// to wait for space: the store's group commit then stops waiting for
	// more blobs, which cannot come until it commits and frees the space.
	full func()
	// waitRegion names the execution-trace region of a wait for space.
	waitRegion string
}

// newByteBudget returns a budget of limit bytes; full may be nil. A wait
// for space shows in an execution trace as the region "collector: wait for
// " + what.
func newByteBudget(limit int64, full func(), what string) *byteBudget {
	return &byteBudget{limit: limit, freed: make(chan struct{}), full: full, waitRegion: "collector: wait for " + what}
}

// acquire waits until n bytes fit (or nothing else is held) and takes them.
func (b *byteBudget) acquire(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return nil
		}
		freed := b.freed
		b.mu.Unlock()
		if b.full != nil {
			b.full()
		}
		// A region of the execution trace (AUDITLIGHT_TRACE): a fetcher
		// stalled by the single writer or by detection (issue 12).
		region := trace.StartRegion(ctx, b.waitRegion)
		select {
		case <-freed:
			region.End()
		case <-ctx.Done():
			region.End()
			return ctx.Err()
		}
	}
}

// release gives back n bytes taken by acquire.
func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}

// inUse reports the bytes currently held.
func (b *byteBudget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}
