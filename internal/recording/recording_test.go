package recording

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestHeapProfileIsOptIn(t *testing.T) {
	tests := []struct {
		name    string
		set     bool
		wantOut bool
	}{
		{"unset writes nothing", false, false},
		{"set writes a profile when the process ends", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "heap.pprof")
			arg := ""
			if tc.set {
				arg = path
			}
			ctx, cancel := context.WithCancel(context.Background())
			wait := StartHeap(ctx, arg, time.Hour)
			cancel()
			wait()
			st, err := os.Stat(path)
			if got := err == nil && st.Size() > 0; got != tc.wantOut {
				t.Fatalf("profile written = %v, want %v (err %v)", got, tc.wantOut, err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".heapprofile-*"))
			if len(left) > 0 {
				t.Fatalf("temporary files left behind: %v", left)
			}
		})
	}
}

// The CPU profile and the execution trace are written only when their
// variable names a file, and then when the recording stops.
func TestRecordingsAreOptIn(t *testing.T) {
	recorders := []struct {
		what  string
		start func(path string) (stop func() error)
	}{{"CPU profile", StartCPU}, {"execution trace", StartTrace}}
	for _, r := range recorders {
		for _, set := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s set=%v", r.what, set), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "out")
				arg := ""
				if set {
					arg = path
				}
				if err := r.start(arg)(); err != nil {
					t.Fatalf("stopping the %s: %v", r.what, err)
				}
				st, err := os.Stat(path)
				if got := err == nil && st.Size() > 0; got != set {
					t.Fatalf("%s written = %v, want %v (err %v)", r.what, got, set, err)
				}
			})
		}
	}
}
