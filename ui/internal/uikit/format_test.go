package uikit

import (
	"testing"
	"time"
)

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
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
		if got := FormatAgo(now, now.Add(-tc.d)); got != tc.want+" ago" {
			t.Errorf("FormatAgo(%v) = %q", tc.d, got)
		}
	}
	if got := FormatAgo(now, time.Time{}); got != "never" {
		t.Errorf("FormatAgo(zero) = %q", got)
	}
	if got := FormatAgo(now, now.Add(time.Minute)); got != "0 s ago" {
		t.Errorf("future time (clock skew) = %q", got)
	}
}

func TestPluralAndWorkloadName(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Plural(1, "event"), "1 event"},
		{Plural(0, "event"), "0 events"},
		{Plural(2, "finding"), "2 findings"},
		{PluralWord(1, "event"), "event"},
		{PluralWord(3, "event"), "events"},
		{WorkloadName("AzureActiveDirectory"), "Entra ID"},
		{WorkloadName("Exchange"), "Exchange"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
