package store

import (
	"context"
	"slices"
	"testing"
)

// TestIDsFilterKeepsTheFindingsRecords: "Show in Events" lists exactly a
// finding's evidence records, newest first, paged and counted like any
// filter, combined with the other filters; no Ids at all lists nothing.
func TestIDsFilterKeepsTheFindingsRecords(t *testing.T) {
	evs := genEvents(400, t0, "")
	s, _ := openTest(t, Options{})
	commitAll(t, s, evs, 100)
	ctx := context.Background()
	var some []string
	for i := 3; i < len(evs); i += 37 {
		some = append(some, evs[i].ID)
	}
	some = append(some, "no-such-record")
	failed := 0
	for _, e := range evs {
		if slices.Contains(some, e.ID) && e.Result == "failure" {
			failed++
		}
	}
	tests := []struct {
		name string
		f    Filter
		want int
	}{
		{"the evidence", Filter{IDs: some}, len(some) - 1},
		{"the evidence that failed", Filter{IDs: some, Result: "failure"}, failed},
		{"no evidence", Filter{IDs: []string{}}, 0},
		{"no Ids filter", Filter{}, len(evs)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := s.Count(ctx, tt.f)
			if err != nil || n != int64(tt.want) {
				t.Fatalf("Count = %d, %v; want %d", n, err, tt.want)
			}
			f := tt.f
			f.Limit = 4
			var got []Event
			for {
				page, err := s.Query(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page...)
				if len(page) < f.Limit {
					break
				}
				last := page[len(page)-1]
				f.Before = &Position{CreationTime: last.CreationTime, ID: last.ID}
			}
			if len(got) != tt.want {
				t.Fatalf("paged Query returned %d rows, want %d", len(got), tt.want)
			}
			for i, e := range got {
				if tt.f.IDs != nil && !slices.Contains(tt.f.IDs, e.ID) {
					t.Errorf("row %s is not one of the Ids", e.ID)
				}
				if i > 0 && e.CreationTime.After(got[i-1].CreationTime) {
					t.Errorf("rows not newest first at %d", i)
				}
			}
		})
	}
}
