//go:build linux && cgo

package glwarm

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envThreadsHelper makes the test binary run threadsHelper: the check
// needs a fresh process, whose scheduler has made no threads beyond its
// start-up ones.
const envThreadsHelper = "GLWARM_THREADS_HELPER"

// TestPreloadLeavesThreadsForGoroutinesThatBlock: after Preload, the Go
// scheduler has threads for SpareThreads goroutines blocked in system
// calls at once without making a new one. That is what keeps the GUI's
// goroutines (the demo's connect, the collector's file I/O) running while
// the next dlopen holds the loader's locks and no thread can be made. Runs
// in a fresh process (a test binary's earlier tests leave threads behind).
func TestPreloadLeavesThreadsForGoroutinesThatBlock(t *testing.T) {
	if os.Getenv(envThreadsHelper) == "1" {
		threadsHelper(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPreloadLeavesThreadsForGoroutinesThatBlock$", "-test.v")
	cmd.Env = append(os.Environ(), envThreadsHelper+"=1")
	out, err := cmd.CombinedOutput()
	if strings.Contains(string(out), "--- SKIP") {
		t.Skip(strings.TrimSpace(string(out)))
	}
	if err != nil {
		t.Fatalf("in a fresh process: %v\n%s", err, out)
	}
}

func threadsHelper(t *testing.T) {
	if len(Libraries(os.Getenv)) == 0 {
		t.Skip("Preload does nothing on this platform")
	}
	Preload(nil, os.Getenv)
	before := threadCount(t)
	// SpareThreads goroutines each blocked in a read(2) of its own pipe:
	// each holds a thread until the pipe is written.
	var writers []*os.File
	blocked := make(chan struct{}, SpareThreads)
	for range SpareThreads {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		writers = append(writers, w)
		fd := int(r.Fd()) // Fd puts the pipe in blocking mode: read(2) blocks the thread
		go func() {
			blocked <- struct{}{}
			var b [1]byte
			_, _ = syscall.Read(fd, b[:])
		}()
	}
	for range SpareThreads {
		<-blocked
	}
	time.Sleep(100 * time.Millisecond) // all in read(2)
	during := threadCount(t)
	for _, w := range writers {
		_, _ = w.Write([]byte{1})
	}
	if during > before {
		t.Errorf("with %d goroutines blocked in system calls the process went from %d to %d threads: Preload left no threads for them",
			SpareThreads, before, during)
	}
}

// threadCount is the number of the process's threads.
func threadCount(t *testing.T) int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	return len(tasks)
}
