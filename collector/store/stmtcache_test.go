package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// TestGroupCommitParsesItsStatementsOnce: once a blob of a given shape was
// committed, committing more blobs of that shape runs every statement
// prepared: SQLite no longer parses the commit's SQL per blob (with the
// simulator's ~5-record blobs the parsing cost a tenth of the drain's CPU).
func TestGroupCommitParsesItsStatementsOnce(t *testing.T) {
	tests := []struct {
		name   string
		events int // per blob: a full insert chunk, a tail, both
	}{
		{"small blob", 5},
		{"one full chunk", insertChunk},
		{"chunk and tail", insertChunk + 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{})
			misses := make([]int, 3)
			for i := range misses {
				before := s.stmtMisses()
				evs := withRealisticRaw(genEvents(tt.events, t0, fmt.Sprintf("b%d-", i)))
				n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("blob-%d", i)}, evs,
					&Cursor{ContentType: "Audit.Exchange", Next: t0})
				if err != nil {
					t.Fatal(err)
				}
				if n != tt.events {
					t.Fatalf("blob %d: %d of %d events stored", i, n, tt.events)
				}
				misses[i] = s.stmtMisses() - before
			}
			if misses[0] == 0 {
				t.Fatalf("the first commit ran no statement unprepared: the count does not see them")
			}
			if misses[2] != 0 {
				t.Errorf("the third commit of a same-shaped blob parsed %d statements (misses per commit %v), want 0", misses[2], misses)
			}
			total, err := s.Total(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if total != int64(3*tt.events) {
				t.Errorf("total %d, want %d", total, 3*tt.events)
			}
		})
	}
}

// stmtMisses reads the statement cache's count of unprepared runs.
func (s *Store) stmtMisses() int {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	return s.stmts.misses
}

// TestFindingUpsertParsesItsStatementsOnce: once a finding of a given shape
// was upserted, upserting more of that shape runs every statement prepared
// (a backlog's drain upserts thousands of findings; parsing their SQL each
// time was 0.45 s of a 200-user drain's 26 s of CPU). The outcomes stay
// what they were.
func TestFindingUpsertParsesItsStatementsOnce(t *testing.T) {
	tests := []struct {
		name string
		// m returns the i-th upsert's match.
		m    func(i int) finding.Match
		want []Outcome
	}{
		{"new findings", func(i int) finding.Match {
			return match("r1", fmt.Sprintf("user%d@x", i), t0, fmt.Sprintf("rec%d", i))
		}, []Outcome{Created, Created, Created}},
		{"merged into one finding", func(i int) finding.Match {
			return match("r1", "ana@x", t0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("rec%d", i), fmt.Sprintf("rec%d-b", i))
		}, []Outcome{Created, Merged, Merged}},
		{"replays", func(int) finding.Match { return match("r1", "ana@x", t0, "rec") }, []Outcome{Created, Unchanged, Unchanged}},
		{"allow-listed", func(i int) finding.Match {
			m := match("r1", fmt.Sprintf("user%d@x", i), t0, fmt.Sprintf("rec%d", i))
			m.AllowValues = []string{"allowed.example"}
			return m
		}, []Outcome{Suppressed, Suppressed, Suppressed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{})
			start := s.stmtMisses()
			if tt.want[0] == Suppressed {
				allowValue(t, s, "r1", "allowed.example")
			}
			misses := make([]int, len(tt.want))
			for i := range tt.want {
				before := s.stmtMisses()
				_, out, err := s.UpsertFinding(ctx, tt.m(i))
				if err != nil {
					t.Fatal(err)
				}
				if out != tt.want[i] {
					t.Fatalf("upsert %d: outcome %v, want %v", i, out, tt.want[i])
				}
				misses[i] = s.stmtMisses() - before
			}
			if misses[0] == 0 && s.stmtMisses() == start {
				t.Fatalf("no upsert ran a statement unprepared: the count does not see them")
			}
			if last := misses[len(misses)-1]; last != 0 {
				t.Errorf("the last upsert of a same-shaped finding parsed %d statements (misses per upsert %v), want 0", last, misses)
			}
		})
	}
}

// TestUpsertsBesideGroupCommits: findings upserted while the group commit
// writes (the collector's detection beside its writer) share the writer's
// one connection and its statement cache without blocking each other for
// good, and every blob and finding is stored.
func TestUpsertsBesideGroupCommits(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	const rounds = 40
	errs := make(chan error, 2)
	go func() {
		for i := range rounds {
			evs := withRealisticRaw(genEvents(3+i%5, t0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("b%d-", i)))
			if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("blob-%d", i)}, evs,
				&Cursor{ContentType: "Audit.Exchange", Next: t0}); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	}()
	go func() {
		for i := range rounds {
			if _, _, err := s.UpsertFinding(ctx, match("r1", fmt.Sprintf("user%d@x", i), t0, fmt.Sprintf("rec%d", i))); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	}()
	watchdog := time.NewTimer(2 * time.Minute)
	defer watchdog.Stop()
	for range 2 {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-watchdog.C:
			t.Fatal("commits and upserts did not finish within 2 minutes: they block each other")
		}
	}
	fs, err := s.Findings(ctx, finding.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != rounds {
		t.Errorf("%d findings stored, want %d", len(fs), rounds)
	}
	if total, err := s.Total(ctx); err != nil || total == 0 {
		t.Errorf("total %d (%v), want the committed events", total, err)
	}
}

// allowValue allow-lists value for rule the way a user does: a finding
// carrying it marked a false positive with an allow entry.
func allowValue(t *testing.T, s *Store, rule, value string) {
	t.Helper()
	ctx := context.Background()
	m := match(rule, "allow-setup@x", t0.Add(-72*time.Hour), "allow-setup-rec")
	m.AllowValues = []string{value}
	f, _, err := s.UpsertFinding(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetFindingStatus(ctx, f.ID, finding.StatusFalsePositive, &finding.Entry{Value: value}); err != nil {
		t.Fatal(err)
	}
}
