package recording

import (
	"context"
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

func TestCPUProfileIsOptIn(t *testing.T) {
	tests := []struct {
		name    string
		set     bool
		wantOut bool
	}{
		{"unset writes nothing", false, false},
		{"set writes a profile when stopped", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cpu.pprof")
			arg := ""
			if tc.set {
				arg = path
			}
			if err := StartCPU(arg)(); err != nil {
				t.Fatalf("stopping the profile: %v", err)
			}
			st, err := os.Stat(path)
			if got := err == nil && st.Size() > 0; got != tc.wantOut {
				t.Fatalf("profile written = %v, want %v (err %v)", got, tc.wantOut, err)
			}
		})
	}
}
