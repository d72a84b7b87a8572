package ui

import (
	"testing"
	"time"
)

func TestExpiryCountdown(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		expiry time.Time
		want   string
		level  ExpiryLevel
	}{
		{"unknown", time.Time{}, "Client secret expiry unknown — enter it with Rotate secret", ExpiryUnknown},
		{"31 days is fine", now.Add(31 * 24 * time.Hour), "Client secret expires in 31 days — 2026-12-25", ExpiryOK},
		{"30 days turns amber", now.Add(30 * 24 * time.Hour), "Client secret expires in 30 days — 2026-12-24", ExpirySoon},
		{"tomorrow", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "Client secret expires tomorrow — 2026-11-25", ExpirySoon},
		{"4.6 days away is 5 days, as the status says", time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), "Client secret expires in 5 days — 2026-11-29", ExpirySoon},
		{"118.6 days away is 119", time.Date(2027, 3, 23, 0, 0, 0, 0, time.UTC), "Client secret expires in 119 days — 2027-03-23", ExpiryOK},
		{"later today", now.Add(8 * time.Hour), "Client secret expires today — 2026-11-24", ExpirySoon},
		{"expired this morning", now.Add(-time.Hour), "Client secret expired on 2026-11-24 — create a new one and rotate it", ExpiryExpired},
		{"expired exactly now", now, "Client secret expired on 2026-11-24 — create a new one and rotate it", ExpiryExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, level := ExpiryCountdown(now, tc.expiry)
			if got != tc.want || level != tc.level {
				t.Errorf("got %q %v, want %q %v", got, level, tc.want, tc.level)
			}
		})
	}
}

// Numeric dates follow the OS locale's order, an impossible reading is never
// taken, and an ambiguous one without a known order is refused (issue 10,
// item 4: 05/03/2027 was read the US way for a UK admin, 27/03/2027 refused).
