package reminders

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// zone is a fixed user time zone so tests do not depend on the machine's.
var zone = time.FixedZone("UTC+1", 3600)

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) set(t time.Time)         { c.t = t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func daysBefore(expiry time.Time, days int) time.Time {
	return expiry.AddDate(0, 0, -days)
}

func newScheduler(t *testing.T, path string, clk *fakeClock) *Scheduler {
	t.Helper()
	s, err := New(path, clk.now)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func due(t *testing.T, s *Scheduler, expiry time.Time) []Reminder {
	t.Helper()
	r, err := s.Due(expiry)
	if err != nil {
		t.Fatalf("Due: %v", err)
	}
	return r
}

func TestEachThresholdFiresExactlyOnce(t *testing.T) {
	expiry := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	clk := &fakeClock{t: daysBefore(expiry, 40)}
	s := newScheduler(t, filepath.Join(t.TempDir(), "reminders.json"), clk)

	var fired []int
	end := expiry.AddDate(0, 0, 3)
	for ; clk.t.Before(end); clk.advance(time.Hour) {
		for _, r := range due(t, s, expiry) {
			fired = append(fired, r.Threshold)
			d := daysLeft(expiry, clk.t)
			switch {
			case r.Threshold == ThresholdExpired:
				if clk.t.Before(expiry) {
					t.Errorf("expired reminder at %v, before the expiry", clk.t)
				}
			case d != r.Threshold:
				t.Errorf("threshold %d fired with %d days left (at %v), want on the first hour it is reached", r.Threshold, d, clk.t)
			}
		}
	}
	want := append(Thresholds(), ThresholdExpired)
	if !slices.Equal(fired, want) {
		t.Fatalf("fired %v, want each of %v exactly once in that order", fired, want)
	}
}

func TestReminderText(t *testing.T) {
	expiry := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	tests := []struct {
		name      string
		now       time.Time
		threshold int
		title     string
		body      string
		level     string
	}{
		{name: "30 days", now: daysBefore(expiry, 30), threshold: 30, title: "Client secret expires in 30 days — 2026-12-02", body: "Rotate secret", level: LevelWarning},
		{name: "7 days", now: daysBefore(expiry, 7), threshold: 7, title: "Client secret expires in 7 days — 2026-12-02", body: "Rotate secret", level: LevelWarning},
		{name: "1 day", now: daysBefore(expiry, 1), threshold: 1, title: "Client secret expires in 1 day — 2026-12-02", body: "Rotate secret", level: LevelCritical},
		{name: "on the day", now: expiry.Add(-9 * time.Hour), threshold: 0, title: "Client secret expires today", body: "It stops working at 10:00", level: LevelCritical},
		{name: "expired", now: expiry.Add(time.Minute), threshold: ThresholdExpired, title: "Client secret expired on 2026-12-02", body: "AuditLight can no longer collect. Create a new secret and use Rotate secret.", level: LevelCritical},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: tc.now}
			s := newScheduler(t, filepath.Join(t.TempDir(), "reminders.json"), clk)
			got := due(t, s, expiry)
			if len(got) != 1 {
				t.Fatalf("got %d reminders, want 1", len(got))
			}
			r := got[0]
			if r.Threshold != tc.threshold || r.Title != tc.title || r.Level != tc.level || !strings.Contains(r.Body, tc.body) {
				t.Fatalf("got %+v, want threshold %d, title %q, level %s, body containing %q", r, tc.threshold, tc.title, tc.level, tc.body)
			}
		})
	}
}

func TestOnlyMostUrgentFiresWhenSeveralAreDue(t *testing.T) {
	expiry := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	tests := []struct {
		name       string
		firstStart int // days before expiry
		threshold  int // the one reminder expected
		superseded []int
	}{
		{name: "5 days before", firstStart: 5, threshold: 7, superseded: []int{30, 14}},
		{name: "20 days before", firstStart: 20, threshold: 30},
		{name: "2 days before", firstStart: 2, threshold: 3, superseded: []int{30, 14, 7}},
		{name: "after expiry", firstStart: -3, threshold: ThresholdExpired, superseded: []int{30, 14, 7, 3, 1, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: daysBefore(expiry, tc.firstStart)}
			s := newScheduler(t, filepath.Join(t.TempDir(), "reminders.json"), clk)
			got := due(t, s, expiry)
			if len(got) != 1 || got[0].Threshold != tc.threshold {
				t.Fatalf("first start %d days before: got %+v, want one reminder for threshold %d", tc.firstStart, got, tc.threshold)
			}
			if tc.firstStart > 1 {
				want := fmt.Sprintf("Client secret expires in %d days — 2026-12-02", tc.firstStart)
				if got[0].Title != want {
					t.Errorf("title %q, want the real days left: %q", got[0].Title, want)
				}
			}
			sent := s.Sent(expiry)
			if !sent[tc.threshold] {
				t.Errorf("threshold %d not recorded as sent: %v", tc.threshold, sent)
			}
			for _, th := range tc.superseded {
				if v, ok := sent[th]; !ok || v {
					t.Errorf("threshold %d: recorded=%v sent=%v, want superseded", th, ok, v)
				}
			}
			if again := due(t, s, expiry); len(again) != 0 {
				t.Fatalf("second call fired again: %+v", again)
			}
		})
	}
}

func TestRestartDoesNotRefire(t *testing.T) {
	expiry := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	path := filepath.Join(t.TempDir(), "profile", "reminders.json")
	clk := &fakeClock{t: daysBefore(expiry, 7)}
	s := newScheduler(t, path, clk)
	if got := due(t, s, expiry); len(got) != 1 || got[0].Threshold != 7 {
		t.Fatalf("got %+v, want the 7-day reminder", got)
	}

	steps := []struct {
		name string
		at   time.Time
		want []int
	}{
		{name: "restart the same hour", at: clk.t, want: nil},
		{name: "restart next day", at: daysBefore(expiry, 6), want: nil},
		{name: "restart at 3 days", at: daysBefore(expiry, 3), want: []int{3}},
		{name: "restart again at 3 days", at: daysBefore(expiry, 3).Add(2 * time.Hour), want: nil},
	}
	for _, st := range steps {
		clk.set(st.at)
		s := newScheduler(t, path, clk) // a fresh process reading the file
		var got []int
		for _, r := range due(t, s, expiry) {
			got = append(got, r.Threshold)
		}
		if !slices.Equal(got, st.want) {
			t.Fatalf("%s: fired %v, want %v", st.name, got, st.want)
		}
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("state file mode %o, want 600", fi.Mode().Perm())
		}
	}
}

func TestNewExpiryStartsOver(t *testing.T) {
	old := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	tests := []struct {
		name      string
		newExpiry time.Time
		at        time.Time
		want      []int
	}{
		{name: "rotated to a 2-year secret: quiet now", newExpiry: old.AddDate(2, 0, 0), at: daysBefore(old, 7), want: nil},
		{name: "rotated secret reaches 30 days", newExpiry: old.AddDate(2, 0, 0), at: daysBefore(old.AddDate(2, 0, 0), 30), want: []int{30}},
		{name: "rotated to a secret that also expires soon", newExpiry: old.AddDate(0, 0, 3), at: daysBefore(old, 7), want: []int{14}},
		{name: "same day, later time is a different secret", newExpiry: old.Add(3 * time.Hour), at: daysBefore(old, 7), want: []int{7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "reminders.json")
			clk := &fakeClock{t: daysBefore(old, 7)}
			s := newScheduler(t, path, clk)
			if got := due(t, s, old); len(got) != 1 {
				t.Fatalf("old secret: got %+v, want one reminder", got)
			}
			clk.set(tc.at)
			s = newScheduler(t, path, clk)
			var got []int
			for _, r := range due(t, s, tc.newExpiry) {
				got = append(got, r.Threshold)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("new expiry %v at %v: fired %v, want %v", tc.newExpiry, tc.at, got, tc.want)
			}
		})
	}
}

func TestCorruptStateIsReplaced(t *testing.T) {
	expiry := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	tests := []struct {
		name    string
		content string
	}{
		{name: "garbage", content: "\x00\x01not json"},
		{name: "truncated", content: `{"version":1,"secrets":{"2026-12-02T09:00:00Z":{"expiry":`},
		{name: "empty", content: ""},
		{name: "unknown version", content: `{"version":99,"secrets":{}}`},
		{name: "entry without thresholds", content: `{"version":1,"secrets":{"x":null}}`},
		{name: "wrong types", content: `{"version":"one"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "reminders.json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			clk := &fakeClock{t: daysBefore(expiry, 7)}
			s, err := New(path, clk.now)
			if !errors.Is(err, ErrStateReset) {
				t.Fatalf("New = %v, want ErrStateReset", err)
			}
			if s == nil {
				t.Fatal("New returned no Scheduler for a corrupt file")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), path+".corrupt") {
				t.Errorf("error %q does not name the file and where it went", err)
			}
			if kept, rerr := os.ReadFile(path + ".corrupt"); rerr != nil || string(kept) != tc.content {
				t.Errorf("corrupt file not kept for inspection: %v", rerr)
			}
			if got := due(t, s, expiry); len(got) != 1 {
				t.Fatalf("after reset: got %+v, want the 7-day reminder", got)
			}
			if _, err := New(path, clk.now); err != nil {
				t.Fatalf("the replaced file does not load cleanly: %v", err)
			}
		})
	}
}

func TestUnreadableStateIsAnError(t *testing.T) {
	dir := t.TempDir() // a directory where the file should be
	s, err := New(dir, nil)
	if err == nil || s != nil || errors.Is(err, ErrStateReset) {
		t.Fatalf("New on a directory = %v, %v; want a plain error and no Scheduler", s, err)
	}
}

func TestDueWhenSavingFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profile")
	expiry := time.Date(2026, 12, 2, 10, 0, 0, 0, zone)
	clk := &fakeClock{t: daysBefore(expiry, 3)}
	s := newScheduler(t, filepath.Join(dir, "reminders.json"), clk)
	// The profile directory is replaced by a file: every save fails.
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.Due(expiry)
	if err == nil || len(got) != 1 {
		t.Fatalf("Due = %+v, %v; want the reminder and the save error", got, err)
	}
	if again, _ := s.Due(expiry); len(again) != 0 {
		t.Fatalf("reminder repeated in the same process after a failed save: %+v", again)
	}
}

func TestZeroExpiryNeverReminds(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, zone)}
	s := newScheduler(t, filepath.Join(t.TempDir(), "reminders.json"), clk)
	if got := due(t, s, time.Time{}); len(got) != 0 {
		t.Fatalf("got %+v for an unknown expiry", got)
	}
}

func TestCountdown(t *testing.T) {
	expiry := time.Date(2026, 12, 17, 10, 0, 0, 0, zone)
	tests := []struct {
		name   string
		expiry time.Time
		now    time.Time
		text   string
		level  string
	}{
		{name: "23 days", expiry: expiry, now: daysBefore(expiry, 23), text: "Client secret expires in 23 days — 2026-12-17", level: LevelWarning},
		{name: "31 days", expiry: expiry, now: daysBefore(expiry, 31), text: "Client secret expires in 31 days — 2026-12-17", level: LevelInfo},
		{name: "30 days", expiry: expiry, now: daysBefore(expiry, 30), text: "Client secret expires in 30 days — 2026-12-17", level: LevelWarning},
		{name: "2 days", expiry: expiry, now: daysBefore(expiry, 2), text: "Client secret expires in 2 days — 2026-12-17", level: LevelWarning},
		{name: "1 day", expiry: expiry, now: daysBefore(expiry, 1), text: "Client secret expires in 1 day — 2026-12-17", level: LevelCritical},
		{name: "later today", expiry: expiry, now: expiry.Add(-time.Hour), text: "Client secret expires today", level: LevelCritical},
		{name: "expired", expiry: expiry, now: expiry.Add(time.Second), text: "Client secret expired on 2026-12-17: AuditLight can no longer collect. Create a new secret and use Rotate secret.", level: LevelCritical},
		{name: "tomorrow by the calendar, 2 hours away", expiry: time.Date(2026, 12, 18, 0, 30, 0, 0, zone), now: time.Date(2026, 12, 17, 22, 30, 0, 0, zone), text: "Client secret expires in 1 day — 2026-12-18", level: LevelCritical},
		{name: "date in the user's zone", expiry: time.Date(2026, 12, 17, 23, 30, 0, 0, time.UTC), now: time.Date(2026, 12, 10, 12, 0, 0, 0, zone), text: "Client secret expires in 8 days — 2026-12-18", level: LevelWarning},
		{name: "unknown", now: expiry, text: "Client secret expiry unknown", level: LevelInfo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, level := Countdown(tc.expiry, tc.now)
			if text != tc.text || level != tc.level {
				t.Fatalf("Countdown = %q, %s; want %q, %s", text, level, tc.text, tc.level)
			}
		})
	}
}

func TestCountdownAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	// 2026-11-01 is the end of DST in New York: that day has 25 hours.
	now := time.Date(2026, 10, 31, 12, 0, 0, 0, ny)
	expiry := time.Date(2026, 11, 3, 9, 0, 0, 0, ny)
	if text, _ := Countdown(expiry, now); text != "Client secret expires in 3 days — 2026-11-03" {
		t.Fatalf("Countdown across DST = %q", text)
	}
}
