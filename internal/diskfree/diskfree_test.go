package diskfree

import (
	"os"
	"testing"
)

// TestBytesOfTheTempDir: the temp dir's file system reports some free space;
// a missing path is an error, not zero bytes free.
func TestBytesOfTheTempDir(t *testing.T) {
	cases := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"temp dir", scratchDir(t), false},
		{"missing path", scratchDir(t) + "/no/such/dir", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Bytes(tc.path)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tc.wantErr)
			}
			if !tc.wantErr && n == 0 {
				t.Fatal("0 bytes free reported for a writable temp dir")
			}
		})
	}
}

// scratchDir is t.TempDir for tests that also run under Wine
// (scripts/wine-unit.sh), whose Wine 8 cannot run Go's RemoveAll
// ("unlinkat: Invalid function"): the clean-up is best effort there.
func scratchDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "auditlight-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}
