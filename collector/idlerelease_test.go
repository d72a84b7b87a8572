package collector

import "testing"

func TestIdleReleaseOncePerQuietSpell(t *testing.T) {
	tests := []struct {
		name   string
		stored []int64 // records stored so far, at each status tick
		want   []bool
	}{
		{"quiet from the start: once", []int64{0, 0, 0}, []bool{true, false, false}},
		{"backfill then quiet", []int64{500, 1200, 1200, 1200}, []bool{false, false, true, false}},
		{"new records start a new spell", []int64{10, 10, 11, 11, 11}, []bool{false, true, false, true, false}},
		{"never quiet", []int64{1, 2, 3}, []bool{false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r idleRelease
			for i, n := range tc.stored {
				if got := r.due(n); got != tc.want[i] {
					t.Fatalf("tick %d (stored %d): due = %v, want %v", i, n, got, tc.want[i])
				}
			}
		})
	}
}
