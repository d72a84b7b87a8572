package glyph

import "testing"

func TestSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Settings → Mail → Rules", "Settings › Mail › Rules"},
		{"no arrow", "no arrow"},
		{"", ""},
	} {
		if got := Safe(tc.in); got != tc.want {
			t.Errorf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
