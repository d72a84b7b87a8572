package detect

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

// countingStore counts the engine's finding transactions; failBatch makes
// its batch transaction fail.
type countingStore struct {
	*store.Store
	one, batches int
	failBatch    bool
}

func (c *countingStore) UpsertFinding(ctx context.Context, m finding.Match) (finding.Finding, store.Outcome, error) {
	c.one++
	return c.Store.UpsertFinding(ctx, m)
}

func (c *countingStore) UpsertFindings(ctx context.Context, ms []finding.Match) ([]store.Upserted, error) {
	c.batches++
	if c.failBatch {
		return nil, errors.New("storing findings: disk I/O error")
	}
	return c.Store.UpsertFindings(ctx, ms)
}

// oneByOne hides UpsertFindings: the engine stores each match on its own.
type oneByOne struct{ Store }

// TestABlobsMatchesWaitForTheWriterOnce: each finding transaction waits for
// the store's one writer connection, which the group commit holds, while
// the engine's lock is held (issue 12, round 8: 276 waits of 40 ms in a
// 200-user drain); a Process call's matches are stored in one transaction,
// and the findings and notices are those of storing them one by one — also
// when that transaction fails and the engine falls back to one by one.
func TestABlobsMatchesWaitForTheWriterOnce(t *testing.T) {
	ctx := context.Background()
	var raws [][]byte
	for i := range 12 {
		raws = append(raws, signIn(fmt.Sprintf("sp-%d", i), user(i), "95.165.12.77", t0.Add(time.Duration(i)*20*time.Second), "50126"))
	}
	raws = append(raws, rec(sample(t, "C-"), nil), rec(sample(t, "D-"), nil))
	type result struct {
		findings []finding.Finding
		notices  int
	}
	run := func(wrap func(*store.Store) Store) result {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{Clock: func() time.Time { return t0.Add(time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		h := &harness{t: t, st: st}
		evs := make([]store.Event, len(raws))
		for i, r := range raws {
			evs[i] = h.event(r)
		}
		if _, err := st.CommitBlob(ctx, store.Blob{ContentType: "Audit.General", ContentID: "blob"}, evs, nil); err != nil {
			t.Fatal(err)
		}
		var notices int
		eng, err := New(ctx, Options{Store: wrap(st), Locate: fakeLocator, OnFinding: func(Notice) { notices++ }})
		if err != nil {
			t.Fatal(err)
		}
		eng.SetTenantDomains([]string{tenantDomain, "northwind.example"})
		if err := eng.Process(ctx, evs, false); err != nil {
			t.Fatal(err)
		}
		fs, err := st.Findings(ctx, finding.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return result{fs, notices}
	}
	want := run(func(st *store.Store) Store { return oneByOne{st} })
	if len(want.findings) < 3 {
		t.Fatalf("setup: %d findings", len(want.findings))
	}
	tests := []struct {
		name                string
		failBatch           bool
		wantOne, wantBatchs int
	}{
		{name: "one transaction", wantBatchs: 1},
		{name: "the batch fails: one by one", failBatch: true, wantBatchs: 1, wantOne: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs *countingStore
			got := run(func(st *store.Store) Store { cs = &countingStore{Store: st, failBatch: tt.failBatch}; return cs })
			if cs.batches != tt.wantBatchs || (tt.wantOne >= 0 && cs.one != tt.wantOne) || (tt.wantOne < 0 && cs.one < len(want.findings)) {
				t.Errorf("finding transactions: %d batches and %d single, want %d batches and %s single", cs.batches, cs.one,
					tt.wantBatchs, map[bool]string{true: "one per match", false: fmt.Sprint(tt.wantOne)}[tt.wantOne < 0])
			}
			if got.notices != want.notices {
				t.Errorf("%d notices, want %d", got.notices, want.notices)
			}
			if len(got.findings) != len(want.findings) {
				t.Fatalf("%d findings, want %d", len(got.findings), len(want.findings))
			}
			for i, w := range want.findings {
				g := got.findings[i]
				if g.RuleID != w.RuleID || g.Key != w.Key || g.Count != w.Count || g.EvidenceCount != w.EvidenceCount ||
					!g.FirstSeen.Equal(w.FirstSeen) || !g.LastSeen.Equal(w.LastSeen) || g.Severity != w.Severity || g.What != w.What {
					t.Errorf("finding %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// heldStore holds every finding transaction until release is closed.
type heldStore struct {
	*store.Store
	entered chan struct{}
	release chan struct{}
}

func (h *heldStore) UpsertFinding(ctx context.Context, m finding.Match) (finding.Finding, store.Outcome, error) {
	h.entered <- struct{}{}
	<-h.release
	return h.Store.UpsertFinding(ctx, m)
}

func (h *heldStore) UpsertFindings(ctx context.Context, ms []finding.Match) ([]store.Upserted, error) {
	h.entered <- struct{}{}
	<-h.release
	return h.Store.UpsertFindings(ctx, ms)
}

// TestEvaluationGoesOnWhileAFindingWaitsForTheWriter: a finding transaction
// waits for the store's writer connection (the group commit's); meanwhile
// the next blob is evaluated, and a blob that matches nothing is done
// without waiting (round 8: the engine's lock was held through each wait,
// and ~41 blobs queued behind it, each holding its buffer budget).
func TestEvaluationGoesOnWhileAFindingWaitsForTheWriter(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{Clock: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hs := &heldStore{Store: st, entered: make(chan struct{}, 8), release: make(chan struct{})}
	eng, err := New(ctx, Options{Store: hs, Locate: fakeLocator})
	if err != nil {
		t.Fatal(err)
	}
	eng.SetTenantDomains([]string{tenantDomain, "northwind.example"})
	h := &harness{t: t, st: st}
	matching := []store.Event{h.event(rec(sample(t, "C-"), nil))}                                 // an inbox rule forwarding out
	quiet := []store.Event{h.event(signIn("q-1", user(1), "73.1.2.3", t0.Add(time.Minute), "0"))} // a sign-in from home
	first := make(chan error, 1)
	go func() { first <- eng.Process(ctx, matching, false) }()
	select {
	case <-hs.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the matching blob never stored its finding")
	}
	second := make(chan error, 1)
	go func() { second <- eng.Process(ctx, quiet, false) }()
	select {
	case err := <-second:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Error("a blob that matches nothing waited for another blob's finding transaction")
	}
	close(hs.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	fs, err := st.Findings(ctx, finding.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(fs, func(f finding.Finding) bool { return f.RuleID == ruleInboxForward }) {
		t.Errorf("%d findings, none of the inbox forwarding rule: the held finding was lost", len(fs))
	}
}
