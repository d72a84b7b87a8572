package store

import (
	"context"
	"testing"
)

// The feed sends the words it shows ("Failed"), the CLI what the admin types
// ("fail"); both must find the rows stored as "failure" (issue 10, item 1:
// "Failed" showed 0 of 666 failed sign-ins).
func TestResultFilterAcceptsShownWords(t *testing.T) {
	evs := genEvents(300, t0, "")
	s, _ := openTest(t, Options{})
	commitAll(t, s, evs, 100)
	ctx := context.Background()
	want := map[string]int64{}
	for _, e := range evs {
		want[e.Result]++
	}
	if want["failure"] == 0 || want["success"] == 0 {
		t.Fatalf("test data needs both results: %v", want)
	}
	tests := []struct {
		filter string
		stored string
	}{
		{"Failed", "failure"}, {"failure", "failure"}, {"fail", "failure"},
		{"Succeeded", "success"}, {"SUCCESS", "success"},
	}
	for _, tt := range tests {
		n, err := s.Count(ctx, Filter{Result: tt.filter})
		if err != nil {
			t.Fatal(err)
		}
		if n != want[tt.stored] {
			t.Errorf("Count(Result %q) = %d, want %d", tt.filter, n, want[tt.stored])
		}
		rows, err := s.Query(ctx, Filter{Result: tt.filter, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Result != tt.stored {
				t.Errorf("Query(Result %q) returned a %q row", tt.filter, r.Result)
			}
		}
	}
	if n, _ := s.Count(ctx, Filter{Result: "no such result"}); n != 0 {
		t.Errorf("an unknown result word matched %d rows", n)
	}
}
