package recording

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTraceIsOptIn(t *testing.T) {
	tests := []struct {
		name    string
		set     bool
		wantOut bool
	}{
		{"unset writes nothing", false, false},
		{"set writes a trace when stopped", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trace.out")
			arg := ""
			if tc.set {
				arg = path
			}
			if err := StartTrace(arg)(); err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if got := err == nil && st.Size() > 0; got != tc.wantOut {
				t.Fatalf("trace written = %v, want %v (err %v)", got, tc.wantOut, err)
			}
		})
	}
}
