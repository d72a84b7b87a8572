package store

import (
	"context"
	"fmt"
	"slices"
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
			s, groups := groupsOfAStream(t, tt.stream, 5, func(s *Store) { s.lingerFor, s.lingerBlobs = tt.linger, tt.gather })
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
			if total, err := s.Total(context.Background()); err != nil || total != int64(5*(tt.stream+1)) || sum != tt.stream+1 {
				t.Errorf("stored %d events in %d blobs (%v), want %d in %d", total, sum, err, 5*(tt.stream+1), tt.stream+1)
			}
		})
	}
}

// TestGroupCommitGathersABacklog: after a group of backlogBlobs blobs or
// more (a backfill's fetchers deliver faster than the writer commits) the
// next transaction waits up to backlogLinger for a full group, so a drain
// writes far fewer transactions (each rewrites a leaf of every user's index
// range it touches). Every blob is stored once.
func TestGroupCommitGathersABacklog(t *testing.T) {
	s, groups := groupsOfAStream(t, maxGroupBlobs, 1, func(s *Store) {
		// No wait at all outside a backlog; one blob already makes one.
		s.lingerFor, s.lingerBlobs = 0, 1
		s.backlogBlobs, s.backlogLinger = 1, time.Minute
	})
	if len(groups) != 2 || groups[1] != maxGroupBlobs {
		t.Errorf("transactions held %v blobs, want [1 %d]: the backlog in one full group", groups, maxGroupBlobs)
	}
	if total, err := s.Total(context.Background()); err != nil || total != int64(maxGroupBlobs+1) {
		t.Errorf("stored %d events (%v), want %d", total, err, maxGroupBlobs+1)
	}
}

// groupsOfAStream opens a test store tuned by tune and commits one blob of
// perBlob events; as that first transaction commits, n more blobs start at
// once (fetchers streaming into the writer). It returns the store once all
// are stored and how many blobs each transaction held.
func groupsOfAStream(t *testing.T, n, perBlob int, tune func(*Store)) (*Store, []int) {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	var groups []int
	var wg sync.WaitGroup
	var s *Store
	start := sync.OnceFunc(func() {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				evs := withRealisticRaw(genEvents(perBlob, t0, fmt.Sprintf("s%d-", i)))
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
	tune(s)
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "first"},
		withRealisticRaw(genEvents(perBlob, t0, "first-")), nil); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return s, slices.Clone(groups)
}

// TestLingerPlan: only a backlog (the previous group held backlogBlobs blobs
// or more) makes the leader wait longer than groupLinger; a live poll's few
// blobs, like the first window of each content type at launch, commit at
// once.
func TestLingerPlan(t *testing.T) {
	s, _ := openTest(t, Options{})
	tests := []struct {
		name       string
		lastBlobs  int
		wantWait   time.Duration
		wantGather int
	}{
		{"nothing committed yet", 0, groupLinger, lingerBlobs},
		{"a live poll's group", backlogBlobs - 1, groupLinger, lingerBlobs},
		{"a backlog's group", backlogBlobs, backlogLinger, maxGroupBlobs},
		{"a full group", maxGroupBlobs, backlogLinger, maxGroupBlobs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, gather := s.lingerPlan(tt.lastBlobs)
			if wait != tt.wantWait || gather != tt.wantGather {
				t.Errorf("after a group of %d blobs: wait %v for %d blobs, want %v for %d",
					tt.lastBlobs, wait, gather, tt.wantWait, tt.wantGather)
			}
		})
	}
}

// TestCommitQueuedNowEndsABacklogLinger: in a backlog the leader waits for
// a full group, but the collector's buffer budget bounds how many blobs can
// be queued; once the budget is full (CommitQueuedNow) the group commits at
// once instead of running out its linger with nothing more to come.
func TestCommitQueuedNowEndsABacklogLinger(t *testing.T) {
	ctx := context.Background()
	const stream = 5
	s, groups := backlogStore(t, stream)
	errs := make(chan error, stream)
	for i := range stream {
		go func() {
			_, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("stream-%d", i)},
				withRealisticRaw(genEvents(2, t0, fmt.Sprintf("s%d-", i))), nil)
			errs <- err
		}()
	}
	// All stream blobs queued (the leader's own among them) before the budget
	// is said to be full: a blob queued after the hurried batch was taken
	// would wait out the hour-long linger (seen once under load: 30-s fail).
	for queued := 0; queued < stream; {
		time.Sleep(time.Millisecond)
		s.group.mu.Lock()
		queued = len(s.group.queue)
		s.group.mu.Unlock()
	}
	s.CommitQueuedNow() // the budget is full: nothing more can arrive
	for range stream {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("blobs still waiting for a fuller group after CommitQueuedNow; groups so far %v", groups())
		}
	}
	if total, err := s.Total(ctx); err != nil || total != 2*(stream+1) {
		t.Errorf("stored %d events (%v), want %d", total, err, 2*(stream+1))
	}
}

// TestGroupBytesEndsABacklogLinger: in a backlog, a leader stops waiting
// for a fuller group once the queued blobs hold SetGroupBytes of records,
// without CommitQueuedNow (the collector's buffer is then only half full,
// and its fetchers fill the other half during the transaction), and not
// before: the blobs commit as one group.
func TestGroupBytesEndsABacklogLinger(t *testing.T) {
	ctx := context.Background()
	const stream = 5
	s, groups := backlogStore(t, stream)
	blobs := make([][]Event, stream)
	var size int64
	for i := range blobs {
		blobs[i] = withRealisticRaw(genEvents(2, t0, fmt.Sprintf("s%d-", i)))
		for _, e := range blobs[i] {
			size += int64(len(e.Raw))
		}
	}
	s.SetGroupBytes(size) // reached by the last blob only
	errs := make(chan error, stream)
	for i := range stream {
		go func() {
			_, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("stream-%d", i)}, blobs[i], nil)
			errs <- err
		}()
	}
	for range stream {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("blobs still waiting for a fuller group with %d bytes queued; groups so far %v", size, groups())
		}
	}
	if want := []int{1, stream}; !slices.Equal(groups(), want) {
		t.Errorf("groups %v, want %v (the stream's blobs in one group, started by their size)", groups(), want)
	}
}

// backlogStore opens a store whose leader, in a backlog, would linger an
// hour for a fuller group, with room for stream more commits, and commits
// one first blob of two events; groups returns the sizes of the groups
// committed so far (that first one included).
func backlogStore(t *testing.T, stream int) (*Store, func() []int) {
	t.Helper()
	var mu sync.Mutex
	var groups []int
	committed := make(chan struct{}, stream+1)
	s, _ := openTest(t, Options{AfterCommit: func(_ context.Context, c Committed) {
		mu.Lock()
		groups = append(groups, len(c.Blobs))
		mu.Unlock()
		committed <- struct{}{}
	}})
	s.lingerFor, s.lingerBlobs = 0, 1
	s.backlogBlobs, s.backlogLinger = 1, time.Hour // a backlog's linger that never runs out here
	if _, err := s.CommitBlob(context.Background(), Blob{ContentType: "Audit.Exchange", ContentID: "first"},
		withRealisticRaw(genEvents(2, t0, "first-")), nil); err != nil {
		t.Fatal(err)
	}
	<-committed
	return s, func() []int {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(groups)
	}
}
