package glwarm

import (
	"runtime"
	"sync"
)

// SpareThreads is how many OS threads Preload makes sure the Go scheduler
// has before it loads the GL driver.
//
// Why. While dlopen loads and relocates Mesa's DRI driver (LLVM: 0.14 s at
// load 3.5, 0.57 s at load 7) it holds the dynamic loader's locks, and
// glibc's pthread_create needs them too (the new thread's TLS). Meanwhile
// the main thread sleeps in glfwInit, waiting on the same lock for its own
// dlopens, and the preload's thread is in the dlopen: both threads the Go
// scheduler had are in cgo calls. Any goroutine that became runnable then
// waited for a new thread that could not be made: in a launch trace the
// demo's connect goroutine, started 1 ms into the window's set-up, first ran
// 135 ms later, when the driver was loaded — and the window's screens wait
// for that connect (BENCHMARKS "Launch to green: the critical path, round
// 9"). With threads made beforehand the scheduler reuses them: two to run
// goroutines on the two processors of a 2-core machine while the main and
// preload threads are in C, two more for goroutines blocked in syscalls
// (file and keychain I/O).
const SpareThreads = 4

// spareThreads makes sure at least n OS threads beyond the caller's exist
// for the Go scheduler, and returns once they do. n goroutines each lock
// themselves to a thread at the same time, so the runtime makes any thread
// it lacks; once all run they unlock and end, and their threads stay with
// the scheduler, idle, for the goroutines that come next.
func spareThreads(n int) {
	var running sync.WaitGroup
	running.Add(n)
	release := make(chan struct{})
	var done sync.WaitGroup
	done.Add(n)
	for range n {
		go func() {
			defer done.Done()
			runtime.LockOSThread()
			running.Done()
			<-release
			runtime.UnlockOSThread() // the thread goes back to the scheduler, not away
		}()
	}
	running.Wait()
	close(release)
	done.Wait()
}
