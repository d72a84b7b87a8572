package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
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
func TestParseSecretExpiry(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in    string
		order DateOrder
		want  time.Time
		ok    bool
	}{
		{"2027-11-24", DateOrderUnknown, day(2027, 11, 24), true},
		{"2027-05-03", MonthFirst, day(2027, 5, 3), true},
		{"05/03/2027", DayFirst, day(2027, 3, 5), true},   // UK: 5 March
		{"05/03/2027", MonthFirst, day(2027, 5, 3), true}, // US: 3 May
		{"05/03/2027", DateOrderUnknown, time.Time{}, false},
		{"27/03/2027", MonthFirst, day(2027, 3, 27), true}, // only one reading exists
		{"27/03/2027", DayFirst, day(2027, 3, 27), true},
		{" 11/24/2027 ", DayFirst, day(2027, 11, 24), true},
		{"24.11.2027", DateOrderUnknown, day(2027, 11, 24), true},
		{"03.03.2027", DateOrderUnknown, day(2027, 3, 3), true},
		{"31/02/2027", DayFirst, time.Time{}, false},
		{"2028-11-24", DateOrderUnknown, day(2028, 11, 24), true}, // exactly 24 months
		{"2028-11-26", DateOrderUnknown, time.Time{}, false},      // beyond 24 months
		{"2026-11-24", DateOrderUnknown, time.Time{}, false},      // today is not in the future
		{"next year", DateOrderUnknown, time.Time{}, false},
		{"", DateOrderUnknown, time.Time{}, false},
	}
	for _, tc := range tests {
		got, err := parseSecretExpiry(tc.in, now, tc.order)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseSecretExpiry(%q, %v) = %v, %v", tc.in, tc.order, got, err)
		}
		if err != nil && (err.Error()[0] < 'A' || err.Error()[0] > 'Z') && err.Error()[0] != '"' {
			t.Errorf("error %q does not start as a sentence", err)
		}
	}
	if _, err := parseSecretExpiry("05/03/2027", now, DateOrderUnknown); err == nil ||
		!strings.Contains(err.Error(), "5 March 2027") || !strings.Contains(err.Error(), "3 May 2027") {
		t.Errorf("ambiguous date error %v does not name both readings", err)
	}
}

func TestLocaleDateOrder(t *testing.T) {
	tests := []struct {
		loc  fyne.Locale
		want DateOrder
	}{{"en-GB", DayFirst}, {"en-US", MonthFirst}, {"en_US", MonthFirst}, {"de-DE", DayFirst}, {"en", DateOrderUnknown}, {"", DateOrderUnknown}}
	for _, tc := range tests {
		if got := LocaleDateOrder(tc.loc); got != tc.want {
			t.Errorf("LocaleDateOrder(%q) = %v, want %v", tc.loc, got, tc.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-4321, "-4,321"}}
	for _, tc := range tests {
		if got := FormatCount(tc.n); got != tc.want {
			t.Errorf("formatCount(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestFormatDurationAndAgo(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		d    time.Duration
		want string
	}{
		{45 * time.Second, "45 s"},
		{12 * time.Minute, "12 min"},
		{3*time.Hour + 5*time.Minute, "3 h 5 min"},
		{52 * time.Hour, "2 d 4 h"},
	}
	for _, tc := range tests {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
		if got := FormatAgo(now, now.Add(-tc.d)); got != tc.want+" ago" {
			t.Errorf("formatAgo(%v) = %q", tc.d, got)
		}
	}
	if got := FormatAgo(now, time.Time{}); got != "never" {
		t.Errorf("formatAgo(zero) = %q", got)
	}
	if got := FormatAgo(now, now.Add(time.Minute)); got != "0 s ago" {
		t.Errorf("future time (clock skew) = %q", got)
	}
}
