package store

import (
	"context"
	"strings"
	"testing"
)

// TestEventInsertKeepsNoStatementJournal: the events insert has no
// constraint that aborts the statement (an aborting NOT NULL or CHECK made
// SQLite copy every page a multi-row insert touched to a statement journal
// first, ~9 % of the writer's CPU in a drain); insertEvents refuses such
// records itself (TestCommitBlobAtomic, TestGroupFailureIsolated).
func TestEventInsertKeepsNoStatementJournal(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	for _, n := range []int{1, insertChunk} {
		args := make([]any, n*eventInsertColumns)
		for i := range args {
			args[i] = "x"
		}
		rows, err := s.w.QueryContext(ctx, "EXPLAIN "+insertSQL(n), args...)
		if err != nil {
			t.Fatal(err)
		}
		var aborts []string
		for rows.Next() {
			var addr, p1, p2, p3 int64
			var op string
			var p4, p5, comment any
			if err := rows.Scan(&addr, &op, &p1, &p2, &p3, &p4, &p5, &comment); err != nil {
				t.Fatal(err)
			}
			// Halt with an error code: a constraint that aborts the statement.
			if strings.HasPrefix(op, "Halt") && p1 != 0 {
				aborts = append(aborts, op)
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if len(aborts) > 0 {
			t.Errorf("the %d-row insert can abort mid-statement (%v): SQLite journals every page it touches", n, aborts)
		}
	}
}
