// Package memlimit keeps the Go runtime's soft memory limit in step with
// the live heap while the collector runs (issue 12: a 1 M-record drain
// within 150 MB of RSS).
package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// DefaultFloor is the least soft memory limit a process running the
// collector gives the Go runtime (issue 12: a 1 M-record drain within 150 MB
// of RSS). During a drain the heap is mostly short-lived downloads; with the
// default GOGC=100 the runtime lets it reach twice the live set (~50 MB at
// 1 M records) before collecting, and keeps those pages resident. Under the
// pacer it collects at 1.5x instead (about twice as many collections: ~2 %
// more CPU, see BENCHMARKS.md); below the floor GOGC decides as usual.
const DefaultFloor = 64 << 20

// memoryPacer keeps the runtime's soft memory limit at the larger of a floor
// and 1.5× the live heap plus the runtime's own memory, re-set after every
// collection. A fixed limit below what a large tenant needs would make the
// GC run back to back (the runtime caps that at half the CPU); following the
// live heap, a large tenant's heap is collected at 1.5× instead of 2× its
// live set, never more often.
type memoryPacer struct {
	floor int64
	prev  int64 // the limit before start, restored by stop

	mu      sync.Mutex
	stopped bool
	samples []metrics.Sample
}

// gcSentinel is garbage as soon as it is armed: its finalizer runs after
// the next collection. It holds a pointer so that it is never put in a tiny
// allocation block (whose finalizers may wait for the block's neighbours).
type gcSentinel struct{ p *memoryPacer }

// Start applies the pacer with the given floor, unless the
// GOMEMLIMIT environment variable chose a limit (or "off") for the runtime
// already. The returned function stops it and restores the previous limit.
func Start(getenv func(string) string, floor int64) (stop func()) {
	if getenv("GOMEMLIMIT") != "" || floor <= 0 {
		return func() {}
	}
	p := &memoryPacer{floor: floor, prev: debug.SetMemoryLimit(-1), samples: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}}
	p.adjust()
	p.arm()
	return p.stop
}

// arm asks for adjust after the next collection.
func (p *memoryPacer) arm() {
	runtime.SetFinalizer(&gcSentinel{p: p}, func(s *gcSentinel) {
		if s.p.adjust() {
			s.p.arm()
		}
	})
}

// adjust sets the limit from the latest collection's live heap; it reports
// false once the pacer is stopped.
func (p *memoryPacer) adjust() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	metrics.Read(p.samples)
	v := func(i int) int64 {
		if p.samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(min(p.samples[i].Value.Uint64(), math.MaxInt64/4))
	}
	live := v(0)
	// The runtime's own memory (stacks, GC metadata, ...) counts in the
	// limit too: total minus the heap's classes.
	other := max(0, v(1)-v(2)-v(3)-v(4)-v(5))
	debug.SetMemoryLimit(memoryLimitFor(p.floor, live, other))
	return true
}

// memoryLimitFor is the limit for a live heap and the runtime's other
// memory: the floor, or 1.5× the live heap plus the other memory when that
// is more.
func memoryLimitFor(floor, live, other int64) int64 {
	return max(floor, live+live/2+other)
}

// stop restores the limit that was in force before start.
func (p *memoryPacer) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	p.stopped = true
	debug.SetMemoryLimit(p.prev)
}
