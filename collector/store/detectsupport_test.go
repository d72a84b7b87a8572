package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// operationsSince is OperationsSince's answer by brute force: how many of
// evs have one of ops and were created at or after since, and the newest
// one's time (the zero unix time when none).
func operationsSince(evs []Event, ops []string, since time.Time) (int64, time.Time) {
	var n int64
	newest := fromMS(0)
	for _, e := range evs {
		if slices.Contains(ops, e.Operation) && !e.CreationTime.Before(since) {
			n++
			if e.CreationTime.After(newest) {
				newest = e.CreationTime
			}
		}
	}
	return n, newest
}

// TestOperationsSince: without an index on the operation, the detection
// test's count and newest record are those of the records themselves, for
// a since days old and minutes old, for the walkthrough's operations
// (common and rare, sharing words), case variants and operations without
// an ASCII word, whether the span is read from the feed index or the word
// index; records stored out of time order (a backfill: older records
// after newer ones) are counted wherever their search block lies.
func TestOperationsSince(t *testing.T) {
	ctx := context.Background()
	recent := operationEvents(600)
	old := operationEvents(600)
	for i := range old {
		old[i].ID = "old-" + old[i].ID
		old[i].CreationTime = old[i].CreationTime.Add(-72 * time.Hour)
	}
	opLists := [][]string{
		{"New-InboxRule", "Set-InboxRule", "UpdateInboxRules"},
		{"Add member to role."},
		{"FileAccessed"},
		{"FileAccessedExtended", "New-Mailbox"},
		{"New-Mailbox", "Set-InboxRule"},
		{"Add member to role.", "New-InboxRule"},
		{"new-inboxrule"},
		{"Änderung", "Set-InboxRule"},
		{"Nothing-Like-This"},
	}
	sinces := []time.Duration{-100 * time.Hour, -74 * time.Hour, -3 * time.Hour, -20 * time.Minute, 0, time.Hour}
	for _, plan := range []struct {
		name     string
		spanRows int
	}{{"feed-index", 1 << 30}, {"word-index", 0}, {"default", spanRows}, {"by-size", 150}} {
		s, _ := openTest(t, Options{})
		s.blockShift, s.spanRows = 4, plan.spanRows
		commitAll(t, s, recent, 60)
		commitAll(t, s, old, 60) // stored after the newer records
		all := append(slices.Clone(recent), old...)
		for _, ops := range opLists {
			for _, d := range sinces {
				since := t0.Add(d)
				t.Run(fmt.Sprintf("%s/%q/%v", plan.name, ops, d), func(t *testing.T) {
					wantN, wantNewest := operationsSince(all, ops, since)
					n, newest, err := s.OperationsSince(ctx, ops, since)
					if err != nil {
						t.Fatal(err)
					}
					if n != wantN || !newest.Equal(wantNewest) {
						t.Errorf("OperationsSince = %d, newest %v; want %d, newest %v", n, newest, wantN, wantNewest)
					}
				})
			}
		}
	}
	s, _ := openTest(t, Options{})
	if n, newest, err := s.OperationsSince(ctx, nil, t0); err != nil || n != 0 || !newest.IsZero() {
		t.Errorf("no operations: %d, %v, %v", n, newest, err)
	}
}

// TestOperationsSincePlans: OperationsSince's statements read the partial
// index of the detection test's operations, a range of the feed index or
// the word index's candidates by rowid: never a scan of the events, never
// an index on every operation.
func TestOperationsSincePlans(t *testing.T) {
	s, _ := openTest(t, Options{})
	commitAll(t, s, operationEvents(300), 60)
	ops := []string{"New-InboxRule", "New-Mailbox"}
	c := opsSince(ops, t0.Add(-time.Hour))
	detect, ok := detectOpsSQL([]string{"Set-InboxRule", "Add member to role."})
	if !ok {
		t.Fatal("the detection test's operations are not answered from their index")
	}
	if _, ok := detectOpsSQL(ops); ok {
		t.Error("New-Mailbox answered from the detection test's index")
	}
	if plan := queryPlan(t, s, `EXPLAIN QUERY PLAN `+detect, ms(t0)); !strings.Contains(plan, "events_detect_ops") {
		t.Errorf("the detection test's operations are not read from events_detect_ops:\n%s", plan)
	}
	for what, q := range map[string]struct {
		sql  string
		args []any
	}{
		"detection": {detect, []any{ms(t0)}},
		"span rows": {spanRowsSQL, []any{ms(t0), spanRows + 1}},
		"span":      {opsSpanSQL + c.sql(), c.args},
		"words":     {opsWordSQL + " AND " + strings.Join(c.conds, " AND "), append([]any{opsMatch(ops), 0, 4095}, c.args...)},
	} {
		plan := queryPlan(t, s, `EXPLAIN QUERY PLAN `+q.sql, q.args...)
		for _, line := range strings.Split(plan, "\n") {
			if line == "SCAN e" || line == "SCAN events" || strings.HasPrefix(line, "SCAN e ") || strings.HasPrefix(line, "SCAN events ") ||
				strings.Contains(line, "events_operation") {
				t.Errorf("%s plan has %q:\n%s", what, line, plan)
			}
		}
	}
}

// TestSchema8DropsTheOperationIndex: a store written before schema 8
// upgrades: events_operation is gone, nothing in the schema names it, and
// the operation filter and OperationsSince answer what they did.
func TestSchema8DropsTheOperationIndex(t *testing.T) {
	ctx := context.Background()
	path, oldA, oldB := openSchema5Fixture(t)
	all := append(slices.Clone(oldA), oldB...)
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version, named int
	if err := s.r.QueryRow(`SELECT version FROM schema_version`).Scan(&version); err != nil || version != len(migrations()) || version < 8 {
		t.Fatalf("schema version %d (%v), want %d", version, err, len(migrations()))
	}
	if err := s.r.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'events_operation' OR sql LIKE '%events_operation%'`).Scan(&named); err != nil || named != 0 {
		t.Errorf("the schema still names events_operation (%d, %v)", named, err)
	}
	for _, op := range []string{"New-InboxRule", "UserLoginFailed", "AlertTriggered", "Set-Mailbox"} {
		f := Filter{Operation: op, Limit: MaxLimit}
		page, err := s.Query(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if want := expect(all, f); len(want) == 0 || !slices.Equal(ids(page), ids(want)) {
			t.Errorf("operation %q: %d rows, want %d", op, len(page), len(want))
		}
		for _, since := range []time.Time{t0.Add(-100 * 24 * time.Hour), t0.Add(-2 * time.Hour)} {
			wantN, wantNewest := operationsSince(all, []string{op}, since)
			n, newest, err := s.OperationsSince(ctx, []string{op}, since)
			if err != nil || n != wantN || !newest.Equal(wantNewest) || n == 0 {
				t.Errorf("OperationsSince(%q, %v) = %d, %v, %v; want %d, %v", op, since, n, newest, err, wantN, wantNewest)
			}
		}
	}
}

// TestDetectOpsListIsTheDetectionTestOperations: the partial index's
// condition lists exactly DetectionTestOperations.
func TestDetectOpsListIsTheDetectionTestOperations(t *testing.T) {
	var quoted []string
	for _, op := range DetectionTestOperations() {
		if strings.Contains(op, "'") {
			t.Fatalf("%q holds a quote", op)
		}
		quoted = append(quoted, "'"+op+"'")
	}
	if got := strings.Join(quoted, ", "); got != detectOpsList {
		t.Errorf("detectOpsList = %s, want %s", detectOpsList, got)
	}
}
