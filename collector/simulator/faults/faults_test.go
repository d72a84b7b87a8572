package faults

import (
	"testing"
	"time"
)

// TestQuotaCountsPerMinuteOfTheClock: the budget is spent per fixed minute of
// the simulator's clock; the request over budget is refused with the time
// left until the next minute, and the next minute starts afresh.
func TestQuotaCountsPerMinuteOfTheClock(t *testing.T) {
	start := time.Date(2026, 9, 3, 12, 0, 10, 0, time.UTC)
	tests := []struct {
		name      string
		at        time.Time
		wantOK    bool
		wantReset time.Duration
	}{
		{"first", start, true, 50 * time.Second},
		{"second", start.Add(20 * time.Second), true, 30 * time.Second},
		{"over budget", start.Add(40 * time.Second), false, 10 * time.Second},
		{"next minute", start.Add(55 * time.Second), true, 55 * time.Second},
	}
	var q Quota
	for _, tc := range tests {
		ok, reset := q.Take(tc.at, 2)
		if ok != tc.wantOK || reset != tc.wantReset {
			t.Errorf("%s: Take = %v, %v; want %v, %v", tc.name, ok, reset, tc.wantOK, tc.wantReset)
		}
	}
}

// TestEffectiveDefaults: an unset field means the real service's value.
func TestEffectiveDefaults(t *testing.T) {
	tests := []struct {
		name string
		f    Faults
		want [4]any
	}{
		{"unset", Faults{}, [4]any{3599 * time.Second, 2000, 2 * time.Second, 6 * time.Hour}},
		{"set", Faults{TokenLifetime: time.Minute, RequestsPerMinute: 120, RetryAfter: 5 * time.Second, LateBy: time.Hour},
			[4]any{time.Minute, 120, 5 * time.Second, time.Hour}},
		{"no Retry-After header", Faults{RetryAfter: -1}, [4]any{3599 * time.Second, 2000, time.Duration(-1), 6 * time.Hour}},
	}
	for _, tc := range tests {
		got := [4]any{tc.f.EffectiveTokenLifetime(), tc.f.EffectiveBudget(), tc.f.EffectiveRetryAfter(), tc.f.EffectiveLateBy()}
		if got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
