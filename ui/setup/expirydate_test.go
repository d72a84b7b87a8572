package setup

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

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
