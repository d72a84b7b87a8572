package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// groupOf makes commit requests for blobs of n events each.
func groupOf(ctx context.Context, s *Store, prefix string, blobs, n int) []*commitReq {
	var reqs []*commitReq
	for i := 0; i < blobs; i++ {
		evs := withRealisticRaw(genEvents(n, t0, fmt.Sprintf("%s%d-", prefix, i)))
		b := Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("%s-blob-%d", prefix, i)}
		packed, err := s.pack(ctx, b, evs)
		if err != nil {
			panic(err)
		}
		reqs = append(reqs, &commitReq{ctx: ctx, blob: b, evs: evs, packed: packed, done: make(chan struct{})})
	}
	return reqs
}

// TestMain's child mode: when AUDITLIGHT_STORE_CHILD names a store, commit
// one blob alone, then start a group of three blobs and stop dead between
// its first and second blob, telling the parent, which SIGKILLs us.
func init() {
	path := os.Getenv("AUDITLIGHT_STORE_CHILD")
	if path == "" {
		return
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "before"}, withRealisticRaw(genEvents(50, t0, "before-")), nil); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	s.betweenBlobs = func() {
		fmt.Println("between")
		select {} // wait for SIGKILL
	}
	s.writeGroup(groupOf(ctx, s, "group", 3, 200))
	fmt.Println("error: group committed without stopping")
	os.Exit(2)
}

// TestSIGKILLBetweenBlobsOfOneTransaction: a process killed between two
// blobs of one group transaction leaves none of the group's blobs (no
// events, not marked fetched) and everything committed before it; the
// blobs then commit exactly once.
func TestSIGKILLBetweenBlobsOfOneTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "AUDITLIGHT_STORE_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "between\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q (%v), want between", line, err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()

	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx, Filter{}); n != 50 {
		t.Errorf("%d events after the kill, want the 50 committed before the group", n)
	}
	seen, _ := s.SeenContent(ctx, []string{"before", "group-blob-0", "group-blob-1", "group-blob-2"})
	if !seen["before"] || seen["group-blob-0"] || seen["group-blob-1"] || seen["group-blob-2"] {
		t.Errorf("seen after the kill = %v, want only the blob committed before the group", seen)
	}
	// The collector fetches the group's blobs again: each record once.
	total := 0
	for i := 0; i < 3; i++ {
		evs := withRealisticRaw(genEvents(200, t0, fmt.Sprintf("group%d-", i)))
		n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("group-blob-%d", i)}, evs, nil)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if n, _ := s.Count(ctx, Filter{}); total != 600 || n != 650 {
		t.Errorf("after re-commit: inserted %d, stored %d; want 600 and 650", total, n)
	}
}

// TestGroupCommit: concurrent CommitBlob calls share transactions, each
// caller gets its own blob's count, and AfterCommit sees every inserted
// event exactly once.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var commits []Committed
	s, _ := openTest(t, Options{AfterCommit: func(ctx context.Context, c Committed) {
		mu.Lock()
		commits = append(commits, c)
		mu.Unlock()
	}})
	const workers, perWorker, size = 8, 10, 40
	var wg sync.WaitGroup
	counts := make([]int, workers)
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				// Blobs 2k and 2k+1 of a worker hold the same records.
				evs := withRealisticRaw(genEvents(size, t0, fmt.Sprintf("r%d-", (w*perWorker+i)/2)))
				n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("w%d-%d", w, i)}, evs, nil)
				if err != nil {
					errs <- err
					return
				}
				counts[w] += n
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	stored, _ := s.Count(ctx, Filter{})
	sum := 0
	for _, c := range counts {
		sum += c
	}
	if int64(sum) != stored {
		t.Errorf("callers were told %d inserted, store holds %d", sum, stored)
	}
	blobs, inserted := 0, 0
	var lastTo int64
	for _, c := range commits {
		blobs += len(c.Blobs)
		inserted += c.Inserted
		var inRange int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ? AND seq <= ?`, c.FromSeq, c.ToSeq).Scan(&inRange); err != nil {
			t.Fatal(err)
		}
		if c.FromSeq < lastTo || inRange != c.Inserted {
			t.Errorf("commit %+v: sequence range overlaps the previous one or does not match its count", c)
		}
		lastTo = c.ToSeq
	}
	if stored != workers*perWorker*size/2 {
		t.Errorf("store holds %d events, want %d distinct", stored, workers*perWorker*size/2)
	}
	if blobs != workers*perWorker || int64(inserted) != stored {
		t.Errorf("AfterCommit saw %d blobs / %d events, want %d / %d", blobs, inserted, workers*perWorker, stored)
	}
	if len(commits) >= workers*perWorker {
		t.Logf("no grouping happened: %d transactions for %d blobs", len(commits), workers*perWorker)
	}
}

// TestGroupFailureIsolated: a bad blob in a group fails alone; the others
// of its transaction are committed.
func TestGroupFailureIsolated(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	reqs := groupOf(ctx, s, "g", 4, 30)
	reqs[2].evs[7].ID = "" // violates the CHECK constraint
	s.writeGroup(reqs)
	for i, r := range reqs {
		if (r.err != nil) != (i == 2) {
			t.Errorf("blob %d: err = %v", i, r.err)
		}
		if i != 2 && r.inserted != 30 {
			t.Errorf("blob %d: inserted %d, want 30", i, r.inserted)
		}
	}
	if n, _ := s.Count(ctx, Filter{}); n != 90 {
		t.Errorf("%d events stored, want the 90 of the three good blobs", n)
	}
	seen, _ := s.SeenContent(ctx, []string{"g-blob-2"})
	if seen["g-blob-2"] {
		t.Error("the failed blob is marked fetched")
	}
}
