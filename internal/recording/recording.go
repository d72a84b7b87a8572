// Package recording writes the opt-in diagnostics a process can record
// for a developer: a heap profile, a CPU profile and an execution trace,
// each off unless its environment variable names a file.
package recording

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// EnvHeapProfile names an opt-in diagnostic: when set to a file path, the
// process writes a heap profile there every HeapEvery and when it
// ends (read it with `go tool pprof -sample_index=inuse_space BIN FILE`).
// "%p" in the path becomes the process id, so the app and a simulator it
// sits beside do not overwrite each other. Off unless set.
const EnvHeapProfile = "AUDITLIGHT_HEAPPROFILE"

// HeapEvery is how often the opt-in heap profile is rewritten.
const HeapEvery = 10 * time.Second

// StartHeap writes heap profiles to path until ctx ends, then once
// more; the returned function waits for that last write. An empty path
// does nothing.
func StartHeap(ctx context.Context, path string, every time.Duration) (wait func()) {
	if path == "" {
		return func() {}
	}
	path = strings.ReplaceAll(path, "%p", strconv.Itoa(os.Getpid()))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				_ = writeHeap(path)
				return
			case <-t.C:
				_ = writeHeap(path)
			}
		}
	}()
	return func() { <-done }
}

// writeHeap writes the live heap after a collection, atomically
// (a reader never sees half a profile).
func writeHeap(path string) error {
	runtime.GC()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".heapprofile-*")
	if err != nil {
		return fmt.Errorf("writing heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(tmp, 0); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("writing heap profile: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing heap profile: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing heap profile: %w", err)
	}
	return nil
}

// EnvCPUProfile names an opt-in diagnostic: when set to a file path ("%p"
// becomes the process id), the process records a CPU profile from start to
// exit, e.g. to see where launch to green goes. Off unless set.
const EnvCPUProfile = "AUDITLIGHT_CPUPROFILE"

// StartCPU records a CPU profile to path until the returned function
// is called. An empty path does nothing.
func StartCPU(path string) (stop func() error) {
	return record(path, "CPU profile", pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// record runs one of the runtime's recorders (CPU profile,
// execution trace) into the file at path ("%p" becomes the process id)
// until the returned function is called, which stops it, closes the file
// and reports what failed, naming what. An empty path does nothing.
func record(path, what string, start func(io.Writer) error, stopRec func()) (stop func() error) {
	if path == "" {
		return func() error { return nil }
	}
	f, err := os.Create(strings.ReplaceAll(path, "%p", strconv.Itoa(os.Getpid())))
	if err != nil {
		return func() error { return fmt.Errorf("writing %s: %w", what, err) }
	}
	if err := start(f); err != nil {
		f.Close()
		return func() error { return fmt.Errorf("writing %s: %w", what, err) }
	}
	return func() error {
		stopRec()
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", what, err)
		}
		return nil
	}
}
