package profilelock

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/internal/scratch"
)

// TestOneCollectorPerProfile: a second collector on the same profile is
// refused with a message naming the first; Probe sees the holder; closing
// releases it for the next one.
func TestOneCollectorPerProfile(t *testing.T) {
	dir := scratch.Dir(t)
	since := time.Date(2026, 11, 28, 4, 4, 0, 0, time.UTC)
	type step struct {
		name    string
		do      func() error
		wantErr string
	}
	var steps []step
	var first *Lock
	steps = append(steps,
		step{"first acquires", func() (err error) { first, err = Acquire(dir, "collect", since); return err }, ""},
		step{"second is refused", func() error { l, err := Acquire(dir, "gui", since); l.Close(); return err }, "already collecting"},
		step{"probe sees it", func() error {
			held, h, err := Probe(dir)
			if err != nil {
				return err
			}
			if !held || h.Command != "collect" || !h.Since.Equal(since) {
				return errors.New("probe: not held or wrong holder")
			}
			return nil
		}, ""},
		step{"probe does not take it", func() error { l, err := Acquire(dir, "gui", since); l.Close(); return err }, "already collecting"},
		step{"released on close", func() error {
			if err := first.Close(); err != nil {
				return err
			}
			if held, _, err := Probe(dir); err != nil || held {
				return errors.New("still held after Close")
			}
			l, err := Acquire(dir, "gui", since)
			if err != nil {
				return err
			}
			return l.Close()
		}, ""},
	)
	for _, s := range steps {
		err := s.do()
		switch {
		case s.wantErr == "" && err != nil:
			t.Fatalf("%s: %v", s.name, err)
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error(), s.wantErr)):
			t.Fatalf("%s: err %v, want %q", s.name, err, s.wantErr)
		case s.wantErr != "":
			var he *HeldError
			if !errors.As(err, &he) || he.Holder.PID == 0 || !strings.Contains(err.Error(), "collect") {
				t.Fatalf("%s: refusal does not name the holder: %v", s.name, err)
			}
		}
	}
}

// TestProbeWithoutLockFile: a profile that never ran a collector is not held.
func TestProbeWithoutLockFile(t *testing.T) {
	held, _, err := Probe(scratch.Dir(t))
	if err != nil || held {
		t.Fatalf("held=%v err=%v", held, err)
	}
}
