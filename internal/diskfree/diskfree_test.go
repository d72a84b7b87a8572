package diskfree

import (
	"testing"

	"github.com/auditlight/auditlight/internal/scratch"
)

// TestBytesOfTheTempDir: the temp dir's file system reports some free space;
// a missing path is an error, not zero bytes free.
func TestBytesOfTheTempDir(t *testing.T) {
	cases := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"temp dir", scratch.Dir(t), false},
		{"missing path", scratch.Dir(t) + "/no/such/dir", true},
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
