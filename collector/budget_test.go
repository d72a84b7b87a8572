package collector

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// TestByteBudget: downloads wait while the blobs already waiting for the
// store fill the budget, go on as soon as bytes are freed, and a blob larger
// than the whole budget still goes through alone (never a deadlock).
func TestByteBudget(t *testing.T) {
	tests := []struct {
		name  string
		limit int64
		held  []int64 // acquired first
		want  int64   // then this acquire...
		fits  bool    // ...succeeds at once, else once the held bytes are released
	}{
		{"fits beside others", 100, []int64{30, 30}, 40, true},
		{"waits while full", 100, []int64{60, 30}, 20, false},
		{"oversized alone", 100, nil, 500, true},
		{"oversized waits for the others", 100, []int64{10}, 500, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var full atomic.Int32 // the store's CommitQueuedNow
			b := newByteBudget(tt.limit, func() { full.Add(1) }, "space")
			for _, h := range tt.held {
				if err := b.acquire(context.Background(), h); err != nil {
					t.Fatal(err)
				}
			}
			got := make(chan error, 1)
			go func() { got <- b.acquire(context.Background(), tt.want) }()
			if tt.fits {
				if err := <-got; err != nil {
					t.Fatal(err)
				}
				if n := full.Load(); n != 0 {
					t.Errorf("the store was told the budget is full (%d times) although the blob fit", n)
				}
			} else {
				// It must still be waiting once a cancelled twin gave up.
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if err := b.acquire(ctx, tt.want); !errors.Is(err, context.Canceled) {
					t.Fatalf("acquire over the budget with a cancelled context = %v, want context.Canceled", err)
				}
				select {
				case err := <-got:
					t.Fatalf("acquired %d bytes over the budget (%v)", tt.want, err)
				default:
				}
				if full.Load() == 0 {
					t.Error("a caller waited for space and the store was not told to commit what it holds")
				}
				for _, h := range tt.held {
					b.release(h)
				}
				select {
				case err := <-got:
					if err != nil {
						t.Fatal(err)
					}
				case <-time.After(time.Minute):
					t.Fatal("still waiting after the budget was freed")
				}
			}
			if in := b.inUse(); tt.fits && in != sum(tt.held)+tt.want || !tt.fits && in != tt.want {
				t.Errorf("in use %d after the acquire", in)
			}
		})
	}
}

func sum(v []int64) int64 {
	var s int64
	for _, x := range v {
		s += x
	}
	return s
}
