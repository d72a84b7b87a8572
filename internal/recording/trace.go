package recording

import "runtime/trace"

// EnvTrace names an opt-in diagnostic: when set to a file path ("%p"
// becomes the process id), the process records a Go execution trace from
// start to exit (read it with `go tool trace FILE`). The launch's steps
// (simulator, sign-in, store, window, tray, first status) are trace regions,
// so the file is the timeline of launch to green. Off unless set.
const EnvTrace = "AUDITLIGHT_TRACE"

// StartTrace records an execution trace to path until the returned function
// is called. An empty path does nothing.
func StartTrace(path string) (stop func() error) {
	return record(path, "execution trace", trace.Start, trace.Stop)
}
