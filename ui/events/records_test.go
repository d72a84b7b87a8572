package events

import "testing"

// The records line says how many of the finding's records are shown.
func TestRecordsLineText(t *testing.T) {
	tests := []struct {
		n, total int
		want     string
	}{
		{3, 3, "Showing the 3 records of finding Spray: 203.0.113.7 —"},
		{1, 1, "Showing the record of finding Spray: 203.0.113.7 —"},
		{500, 2164, "Showing 500 of the 2,164 records of finding Spray: 203.0.113.7 —"},
	}
	for _, tt := range tests {
		if got := recordsText(tt.n, tt.total, "Spray: 203.0.113.7"); got != tt.want {
			t.Errorf("recordsText(%d, %d) = %q, want %q", tt.n, tt.total, got, tt.want)
		}
	}
}
