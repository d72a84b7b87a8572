package store

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// An idle collector gives back what its compressors hold, and the store
// keeps working afterwards: records committed before and after the release
// read back intact.
func TestReleaseMemoryFreesCompressorsAndKeepsTheStoreWorking(t *testing.T) {
	tests := []struct {
		name     string
		releases int
	}{
		{"one release", 1},
		{"release twice in a row", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{})
			before := genEvents(600, t0, "a")
			commitAll(t, s, before, 100)
			held := heapInUse()
			for range tc.releases {
				if err := s.ReleaseMemory(ctx); err != nil {
					t.Fatalf("ReleaseMemory: %v", err)
				}
			}
			freed := int64(held) - int64(heapInUse())
			if freed < 1<<20 {
				t.Errorf("ReleaseMemory freed %d bytes of heap; the compressors alone hold several MB", freed)
			}
			after := genEvents(300, t0.Add(time.Hour), "b")
			commitAll(t, s, after, 100)
			for _, e := range append(before[:50:50], after[:50]...) {
				got, err := s.Get(ctx, e.ID, e.CreationTime)
				if err != nil {
					t.Fatalf("Get %s after release: %v", e.ID, err)
				}
				if string(got.Raw) != string(e.Raw) {
					t.Fatalf("record %s reads back as %s, want %s", e.ID, got.Raw, e.Raw)
				}
			}
		})
	}
}
