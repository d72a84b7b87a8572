package instance

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestQuitAsksTheOwnerAndWaitsUntilItHasGone(t *testing.T) {
	dir := t.TempDir()
	quitAsked := make(chan struct{}, 1)
	owner := make(chan *Instance, 1)
	inst, err := AcquireWith(dir, Handlers{Quit: func() { _ = (<-owner).Close(); quitAsked <- struct{}{} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close() })
	owner <- inst

	pid, err := Quit(dir)
	if err != nil {
		t.Fatalf("Quit: %v", err)
	}
	if pid != os.Getpid() {
		t.Fatalf("Quit returned process %d, want the owner %d", pid, os.Getpid())
	}
	select {
	case <-quitAsked:
	case <-time.After(waitTimeout):
		t.Fatal("the owner was not asked to quit")
	}
	// The owner's process is this test, so the probe says when it "exits".
	var exited atomic.Bool
	alive := func(p int) bool {
		if p != pid {
			t.Errorf("probed process %d, want %d", p, pid)
		}
		return !exited.Load()
	}
	tick := make(chan time.Time)
	done := make(chan error, 1)
	go func() { done <- waitGone(context.Background(), filepath.Join(dir, FileName), pid, alive, tick) }()
	tick <- time.Time{} // file gone (Close), process still there: keeps waiting
	select {
	case err := <-done:
		t.Fatalf("WaitGone returned %v while the process still ran", err)
	default:
	}
	exited.Store(true)
	// The first tick woke waitGone, which probes right after it: it may
	// have seen the exit already and returned without another tick.
	select {
	case tick <- time.Time{}:
	case err := <-done:
		done <- err
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("WaitGone: %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("WaitGone did not return once the process had exited")
	}
}

func TestQuitWithNobodyRunning(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"no instance file", func(*testing.T, string) {}},
		{"stale file of a crashed instance", func(t *testing.T, dir string) {
			inst := mustAcquire(t, dir, nil)
			data, err := os.ReadFile(filepath.Join(dir, FileName))
			if err != nil {
				t.Fatal(err)
			}
			_ = inst.Close() // the listener is gone, the file is put back
			if err := os.WriteFile(filepath.Join(dir, FileName), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"garbage file", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(t, dir)
			if _, err := Quit(dir); !errors.Is(err, ErrNotRunning) {
				t.Fatalf("Quit = %v, want ErrNotRunning", err)
			}
		})
	}
}

func TestOwnerWithoutQuitHandlerRefuses(t *testing.T) {
	dir := t.TempDir()
	mustAcquire(t, dir, nil)
	_, err := Quit(dir)
	if err == nil || errors.Is(err, ErrNotRunning) {
		t.Fatalf("Quit = %v, want a refusal by the running owner", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("the refusing owner's instance file: %v", err)
	}
}

func TestWaitGoneGivesUpWithTheContext(t *testing.T) {
	dir := t.TempDir()
	mustAcquire(t, dir, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := waitGone(ctx, filepath.Join(dir, FileName), os.Getpid(), func(int) bool { return true }, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("waitGone = %v, want the context's error", err)
	}
}
