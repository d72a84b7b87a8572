package collector_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
)

// fetchCounter passes every call to the real API and counts downloads.
type fetchCounter struct {
	collector.API
	n       atomic.Int64
	fetched chan struct{} // a token per download (never blocks)
}

func (f *fetchCounter) Fetch(ctx context.Context, c activity.Content) ([]byte, error) {
	body, err := f.API.Fetch(ctx, c)
	f.n.Add(1)
	select {
	case f.fetched <- struct{}{}:
	default:
	}
	return body, err
}

// TestDownloadsGoOnWhileTheStoreCommits: a blob waiting for the store no
// longer holds a download slot, so with one fetcher the next blobs are
// downloaded while a commit is slow (and join one group commit), up to the
// buffer budget; the drain still stores every record exactly once.
func TestDownloadsGoOnWhileTheStoreCommits(t *testing.T) {
	tests := []struct {
		name        string
		bufferBytes int64
		wantAhead   int64 // downloads while the first commit is held up
	}{
		{"default budget", 0, 4},
		// One blob waits for the store while the next download waits for room:
		// slower, never a deadlock.
		{"a budget smaller than one blob", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			r := newRig(t, simulator.Config{Seed: 3, Users: 2}, collector.Options{})
			api := &fetchCounter{API: r.api, fetched: make(chan struct{}, 1)}
			var once sync.Once
			var ahead int64
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{
				AfterCommit: func(context.Context, store.Committed) {
					once.Do(func() { // hold up the first commit until others were downloaded
						start := api.n.Load()
						deadline := time.After(time.Minute)
						for api.n.Load()-start < tt.wantAhead {
							select {
							case <-api.fetched:
							case <-deadline:
								ahead = api.n.Load() - start
								return
							}
						}
						ahead = api.n.Load() - start
					})
				}})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			coll, err := collector.New(collector.Options{API: api, Store: st, FetchWorkers: 1, BufferBytes: tt.bufferBytes,
				MaxLookback: 167*time.Hour + 55*time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if err := coll.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if ahead < tt.wantAhead {
				t.Errorf("%d blobs downloaded while the first commit was held up, want >= %d", ahead, tt.wantAhead)
			}
			r.store = st
			if missing, extra := r.compare(t); missing != 0 || extra != 0 {
				t.Errorf("%d records missing, %d duplicated", missing, extra)
			}
		})
	}
}

// spareCapacity returns every body in a buffer with room to spare, as a
// body grown while it arrived can be.
type spareCapacity struct {
	fetchCounter
	spare int
}

func (f *spareCapacity) Fetch(ctx context.Context, c activity.Content) ([]byte, error) {
	body, err := f.fetchCounter.Fetch(ctx, c)
	return append(make([]byte, 0, len(body)+f.spare), body...), err
}

// TestBufferBudgetCountsWhatIsResident: a downloaded body is resident at
// its buffer's capacity until it is stored, so the buffer budget counts the
// capacity, not the length: bodies whose buffers each fill the budget are
// held one at a time, however small their bytes (issue 12).
func TestBufferBudgetCountsWhatIsResident(t *testing.T) {
	tests := []struct {
		name      string
		budget    int64
		spare     int
		wantAhead int64 // at most this many downloads while the first commit is held up
	}{
		{"each buffer fills the budget", 1 << 20, 1 << 20, 1},
		{"two buffers fit", 3 << 20, 1 << 20, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			r := newRig(t, simulator.Config{Seed: 3, Users: 2}, collector.Options{})
			api := &spareCapacity{fetchCounter: fetchCounter{API: r.api, fetched: make(chan struct{}, 1)}, spare: tt.spare}
			var once sync.Once
			var ahead int64
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{
				AfterCommit: func(context.Context, store.Committed) {
					once.Do(func() { // hold up the first commit while downloads go on
						start := api.n.Load()
						wait := time.After(3 * time.Second)
						for api.n.Load()-start <= tt.wantAhead+2 {
							select {
							case <-api.fetched:
								continue
							case <-wait:
							}
							break
						}
						ahead = api.n.Load() - start
					})
				}})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			coll, err := collector.New(collector.Options{API: api, Store: st, FetchWorkers: 1, BufferBytes: tt.budget,
				MaxLookback: 167*time.Hour + 55*time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if err := coll.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if ahead > tt.wantAhead {
				t.Errorf("%d blobs downloaded while the first commit was held up, want at most %d (the budget is %d bytes, each buffer %d+ bytes)",
					ahead, tt.wantAhead, tt.budget, tt.spare)
			}
			r.store = st
			if missing, extra := r.compare(t); missing != 0 || extra != 0 {
				t.Errorf("%d records missing, %d duplicated", missing, extra)
			}
		})
	}
}

// heldDetector holds up its first Process call with hold.
type heldDetector struct {
	once sync.Once
	hold func()
}

func (d *heldDetector) Process(context.Context, []store.Event, bool) error {
	d.once.Do(d.hold)
	return nil
}

// TestCommitsGoOnWhileDetectionLags: detection takes one blob at a time
// after its commit; a stored blob waiting for it no longer holds the buffer
// budget, so with the budget full the next blob is still downloaded and
// committed while detection lags (round 8: a committed group's blobs queued
// for detection kept the next group from downloading, and the writer sat
// idle after each commit). Every record is stored once.
func TestCommitsGoOnWhileDetectionLags(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, simulator.Config{Seed: 3, Users: 2}, collector.Options{})
	var commits atomic.Int64
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{
		AfterCommit: func(_ context.Context, c store.Committed) { commits.Add(int64(len(c.Blobs))) }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var during int64
	d := &heldDetector{hold: func() { // the first blob's detection waits for another commit
		start := commits.Load()
		deadline := time.Now().Add(10 * time.Second)
		for commits.Load() == start && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		during = commits.Load() - start
	}}
	// A budget smaller than one blob: one blob waits for the store at a time.
	coll, err := collector.New(collector.Options{API: r.api, Store: st, FetchWorkers: 1, BufferBytes: 1, Detector: d,
		MaxLookback: 167*time.Hour + 55*time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if err := coll.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if during == 0 {
		t.Error("no blob was committed while the first one's detection was held up")
	}
	r.store = st
	if missing, extra := r.compare(t); missing != 0 || extra != 0 {
		t.Errorf("%d records missing, %d duplicated", missing, extra)
	}
}
