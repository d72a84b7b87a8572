package store

import (
	"context"
	"fmt"
	"testing"
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
