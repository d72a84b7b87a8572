package numfmt

import "testing"

func TestCount(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {100_000, "100,000"}, {1234567, "1,234,567"}, {1_006_680, "1,006,680"},
		{-4321, "-4,321"}, {-12345, "-12,345"}}
	for _, tc := range tests {
		if got := Count(tc.n); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
