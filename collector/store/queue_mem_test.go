package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Once its blobs are committed the group committer keeps no reference to
// them: a request holds a blob's events, whose raw records share the
// downloaded body's buffer, so a stale pointer left in the queue's backing
// array kept a whole body resident (~120 KB per blob in a drain, issue 12).
func TestGroupCommitterKeepsNoCommittedBlob(t *testing.T) {
	tests := []struct {
		name   string
		stream int // blobs committed at once after the first
		gather int // lingerBlobs
	}{
		{"one group", 24, 24},
		{"several groups", 40, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			var wg sync.WaitGroup
			var s *Store
			start := sync.OnceFunc(func() {
				for i := 0; i < tt.stream; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						evs := withRealisticRaw(genEvents(5, t0, fmt.Sprintf("q%d-", i)))
						if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("queued-%d", i)}, evs, nil); err != nil {
							t.Error(err)
						}
					}()
				}
			})
			s, _ = openTest(t, Options{AfterCommit: func(context.Context, Committed) { start() }})
			s.lingerFor, s.lingerBlobs = time.Minute, tt.gather
			if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "first"},
				withRealisticRaw(genEvents(5, t0, "first-")), nil); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			g := &s.group
			g.mu.Lock()
			defer g.mu.Unlock()
			if cap(g.queue) < 2 {
				t.Fatalf("the queue never held more than one blob (capacity %d); the test measures nothing", cap(g.queue))
			}
			held := 0
			for _, r := range g.queue[:cap(g.queue)] {
				if r != nil {
					held++
				}
			}
			if held != 0 {
				t.Errorf("the committer still references %d committed blobs (queue length %d, capacity %d), want none",
					held, len(g.queue), cap(g.queue))
			}
		})
	}
}
