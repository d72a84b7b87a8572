package health

import (
	"strings"
	"testing"
	"time"
)

func TestDaysUntilCountsCalendarDays(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name   string
		now, t time.Time
		want   int
	}{
		{"later today", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC), 0},
		{"tomorrow, less than 24 h away", time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC), 1},
		{"4.6 days is 5 calendar days", time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), 5},
		{"118.6 days is 119", time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), time.Date(2027, 3, 23, 0, 0, 0, 0, time.UTC), 119},
		{"in now's zone", time.Date(2026, 11, 24, 23, 30, 0, 0, berlin), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), 1},
		{"passed", time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), -2},
	}
	for _, tt := range tests {
		if got := DaysUntil(tt.now, tt.t); got != tt.want {
			t.Errorf("%s: DaysUntil = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// The amber "expires in N days" status uses the same count as the dashboard
// countdown and the reminders (issue 10, item 8: "4 days" vs "5 days").
func TestExpiryWarningUsesDaysUntil(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	exp := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	st := Evaluate(Inputs{Configured: true, LastPoll: now, SubscribedAt: now.Add(-48 * time.Hour), TotalRecords: 5,
		Workloads:    []WorkloadInput{{Name: "Exchange", Subscribed: true, Cursor: now, LastContent: now, LastRecord: now}},
		SecretExpiry: exp}, now, Thresholds{})
	if !strings.Contains(st.Reason, "expires in 5 days") {
		t.Errorf("reason %q, want 5 days", st.Reason)
	}
}
