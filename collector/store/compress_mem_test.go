package store

import (
	"context"
	"testing"
	"time"
)

// The compressors are a drain's fixed cost (issue 12: 1 M records within
// 150 MB): one encoder per content type, each holding its match table and a
// copy of it primed with the dictionary (~0.5 MB with its history). A
// second encoder per content type doubled that for no gain, since a
// content type's records are compressed by one writer at a time.
func TestCompressorsHoldOneEncoderPerContentType(t *testing.T) {
	const perType = 1 << 20 // one encoder with its dictionary tables, plus slack
	tests := []struct {
		name    string
		records int
	}{
		{"a few blobs", 600},
		{"many blobs", 3000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{})
			commitAll(t, s, genEvents(tc.records, t0.Add(time.Duration(tc.records)*time.Minute), "m"), 100)
			s.codec.mu.Lock()
			types := len(s.codec.enc)
			s.codec.mu.Unlock()
			if types == 0 {
				t.Fatal("no content type got a dictionary encoder; the test measures nothing")
			}
			held := heapInUse()
			if err := s.ReleaseMemory(ctx); err != nil {
				t.Fatalf("ReleaseMemory: %v", err)
			}
			freed := int64(held) - int64(heapInUse())
			if freed > int64(types)*perType {
				t.Errorf("the compressors of %d content types held %.1f MB (%.2f MB each), want at most %.1f MB each",
					types, float64(freed)/1e6, float64(freed)/float64(types)/1e6, float64(perType)/1e6)
			}
		})
	}
}
