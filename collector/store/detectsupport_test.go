package store

import (
	"context"
	"fmt"
	"slices"
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

// TestOperationsSince: the detection test's count and newest record are
// those of the records themselves, for a since days old and minutes old,
// for the walkthrough's operations (common and rare, sharing words), case
// variants and operations without an ASCII word; records stored out of
// time order (a backfill: older records after newer ones) are counted
// wherever their search block lies. What any plan without
// events_operation must keep.
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
	{
		s, _ := openTest(t, Options{})
		s.blockShift = 4
		commitAll(t, s, recent, 60)
		commitAll(t, s, old, 60) // stored after the newer records
		all := append(slices.Clone(recent), old...)
		for _, ops := range opLists {
			for _, d := range sinces {
				since := t0.Add(d)
				t.Run(fmt.Sprintf("%q/%v", ops, d), func(t *testing.T) {
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
