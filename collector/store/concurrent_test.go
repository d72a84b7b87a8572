package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentCommitsAndReads runs the collector's pattern (several blobs
// committed at once, overlapping records) while the GUI reads.
func TestConcurrentCommitsAndReads(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	evs := genEvents(400, t0, "")
	var wg sync.WaitGroup
	var mu sync.Mutex
	inserted := 0
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				start := (w*10 + i) * 10 % 350 // blobs overlap
				n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("w%d-%d", w, i)}, evs[start:start+50], nil)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				inserted += n
				mu.Unlock()
			}
		}(w)
	}
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := s.Query(ctx, Filter{Text: "jonas"}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Count(ctx, Filter{Result: "failure"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for w := 0; w < 4; w++ {
		for i := 0; i < 10; i++ {
			start := (w*10 + i) * 10 % 350
			for _, e := range evs[start : start+50] {
				distinct[e.ID] = true
			}
		}
	}
	total, err := s.Count(ctx, Filter{Workloads: []string{"Exchange", "SharePoint", "AzureActiveDirectory", "SecurityComplianceCenter"}})
	if err != nil {
		t.Fatal(err)
	}
	if inserted != len(distinct) || total != int64(len(distinct)) {
		t.Errorf("inserted %d, stored %d, want %d distinct records each", inserted, total, len(distinct))
	}
}
