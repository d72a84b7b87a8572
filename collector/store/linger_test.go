package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestGroupCommitGathersStreamingBlobs: while blobs stream in right after a
// transaction, the next transaction waits for a fuller group instead of
// committing the first arrival alone (each transaction rewrites the same
// index and counter pages, so small ones cost the drain most of its time).
// Every blob is still stored once, and a blob after a quiet spell is not
// held back.
func TestGroupCommitGathersStreamingBlobs(t *testing.T) {
	tests := []struct {
		name    string
		stream  int // blobs started from the first transaction's AfterCommit
		gather  int // lingerBlobs
		wantMin int // blobs the second transaction must hold
		linger  time.Duration
	}{
		// Generous: the wait ends as soon as the group is full.
		{"a stream fills one group", 24, 24, 24, time.Minute},
		// The last, partial group waits for the linger.
		{"a longer stream makes full groups", 32, 16, 16, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			var mu sync.Mutex
			var groups []int
			var wg sync.WaitGroup
			var s *Store
			start := sync.OnceFunc(func() {
				for i := 0; i < tt.stream; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						evs := withRealisticRaw(genEvents(5, t0, fmt.Sprintf("s%d-", i)))
						if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("stream-%d", i)}, evs, nil); err != nil {
							t.Error(err)
						}
					}()
				}
			})
			s, _ = openTest(t, Options{AfterCommit: func(_ context.Context, c Committed) {
				mu.Lock()
				groups = append(groups, len(c.Blobs))
				mu.Unlock()
				start()
			}})
			s.lingerFor, s.lingerBlobs = tt.linger, tt.gather
			if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "first"},
				withRealisticRaw(genEvents(5, t0, "first-")), nil); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			mu.Lock()
			defer mu.Unlock()
			if len(groups) < 2 || groups[0] != 1 {
				t.Fatalf("transactions held %v blobs, want the first blob alone then the stream", groups)
			}
			if groups[1] < tt.wantMin {
				t.Errorf("the transaction after the first held %d blobs (all: %v), want >= %d", groups[1], groups, tt.wantMin)
			}
			sum := 0
			for _, g := range groups {
				sum += g
			}
			if total, err := s.Total(ctx); err != nil || total != int64(5*(tt.stream+1)) || sum != tt.stream+1 {
				t.Errorf("stored %d events in %d blobs (%v), want %d in %d", total, sum, err, 5*(tt.stream+1), tt.stream+1)
			}
		})
	}
}
