package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestMemoryLimitFor(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name              string
		floor, live, rest int64
		want              int64
	}{
		{"small live heap: the floor", 64 * mib, 30 * mib, 8 * mib, 64 * mib},
		{"a 1 M-record drain: 1.5x live plus the runtime's own, not GOGC's 2x", 64 * mib, 50 * mib, 8 * mib, 83 * mib},
		{"large tenant: follows the live heap, never back-to-back collections", 64 * mib, 400 * mib, 20 * mib, 620 * mib},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := memoryLimitFor(tt.floor, tt.live, tt.rest); got != tt.want {
				t.Errorf("limit = %d MiB, want %d MiB", got/mib, tt.want/mib)
			}
		})
	}
}

// TestMemoryPacerFollowsTheLiveHeap: the collector's process runs with a
// soft memory limit (issue 12's drain RSS), raised after a collection when
// the live heap outgrows it, and the previous limit comes back when it stops.
// GOMEMLIMIT set by the user wins.
func TestMemoryPacerFollowsTheLiveHeap(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	const floor = 32 << 20

	stop := Start(func(string) string { return "" }, floor)
	if got := debug.SetMemoryLimit(-1); got < floor || got == math.MaxInt64 {
		stop()
		t.Fatalf("limit while collecting = %d, want at least the floor %d", got, floor)
	}
	// A live heap twice the floor: after a collection the limit follows it.
	held := make([]byte, 2*floor)
	for i := range held {
		held[i] = byte(i)
	}
	want := int64(len(held)) * 3 / 2
	got := int64(0)
	for range 50 { // the pacer runs on the finalizer goroutine after each GC
		runtime.GC()
		runtime.Gosched()
		if got = debug.SetMemoryLimit(-1); got >= want {
			break
		}
	}
	runtime.KeepAlive(held)
	if got < want {
		stop()
		t.Fatalf("limit with %d MiB live = %d MiB, want at least %d MiB", len(held)>>20, got>>20, want>>20)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after stop = %d, want the previous %d", got, before)
	}

	stop = Start(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	}, floor)
	defer stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set the limit became %d, want it left at %d", got, before)
	}
}
