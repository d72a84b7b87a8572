package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/profilelock"
	"github.com/auditlight/auditlight/collector/store"
)

// TestStatusReliesOnlyOnTheHoldersOwnCheck: `auditlight status` reads the
// whole store file for damage (seconds at a million records) unless the
// collector holding the profile found the file sound after it took the
// profile. The store here is damaged after such a record was made, so a
// red status shows that status checked the file itself, and a saved status
// shows that it relied on the collector's check.
func TestStatusReliesOnlyOnTheHoldersOwnCheck(t *testing.T) {
	c, base, p := damageProfile(t, 20000)
	now := time.Now()
	ctx := context.Background()
	s, err := store.Open(ctx, p.StorePath(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSound(ctx, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scribbleMidStore(t, p)

	for _, tc := range []struct {
		name      string
		heldSince time.Duration // before now; 0 = no collector holds the profile
		wantRed   bool
	}{
		{"no collector runs", 0, true},
		{"the holder checked after it started", 2 * time.Hour, false},
		{"the check predates the holder", 30 * time.Minute, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.heldSince > 0 {
				l, err := profilelock.Acquire(p.Dir, "collect", now.Add(-tc.heldSince))
				if err != nil {
					t.Fatal(err)
				}
				defer l.Close()
			}
			st := statusOf(t, c, base)
			red := st.Colour == "red" && strings.Contains(st.Reason, "damaged")
			if red != tc.wantRed {
				t.Errorf("status %s %q; want damage said = %v", st.Colour, st.Reason, tc.wantRed)
			}
		})
	}
}

// TestRecentSoundCheck is the rule by which a running collector's check
// stands in for status's own.
func TestRecentSoundCheck(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		since, sound time.Time
		want         bool
	}{
		{"checked after start", now.Add(-3 * time.Hour), now.Add(-2 * time.Hour), true},
		{"checked at start", now.Add(-time.Hour), now.Add(-time.Hour), true},
		{"checked before start", now.Add(-time.Hour), now.Add(-2 * time.Hour), false},
		{"last check 7 h 1 min ago", now.Add(-24 * time.Hour), now.Add(-7*time.Hour - time.Minute), false},
		{"last check 6 h 59 min ago", now.Add(-24 * time.Hour), now.Add(-6*time.Hour - 59*time.Minute), true},
		{"check stamped in the future", now.Add(-time.Hour), now.Add(time.Hour), false},
	} {
		if got := recentSoundCheck(tc.since, tc.sound, now); got != tc.want {
			t.Errorf("%s: recentSoundCheck = %v, want %v", tc.name, got, tc.want)
		}
	}
}
