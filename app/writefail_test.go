//go:build unix

package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/auditlight/auditlight/app/keychain"
)

// fullWriter fails every write like a full disk.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestEveryWriteFailureIsANonZeroExit: output that could not be written is
// never a success (`status > /dev/full` exited 0; `diagnostics --out` to a
// full disk exited 0 with 0 bytes).
func TestEveryWriteFailureIsANonZeroExit(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/config.json", []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		skip bool
	}{
		{"status to a full stdout", []string{"status"}, false},
		{"status --json to a full stdout", []string{"status", "--json"}, false},
		{"diagnostics to a full stdout", []string{"diagnostics"}, false},
		{"version to a full stdout", []string{"version"}, false},
		{"diagnostics --out /dev/full", []string{"diagnostics", "--out", "/dev/full"}, !exists("/dev/full")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip {
				t.Skip("no /dev/full here")
			}
			var errb bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: fullWriter{}, stderr: &errb, keys: &keychain.Memory{},
				getenv: func(string) string { return "" }}
			code := run(context.Background(), e, append([]string{"--profile", dir}, tc.args...))
			if code == 0 {
				t.Fatalf("exit 0 although nothing could be written")
			}
			if !strings.Contains(errb.String(), "no space left") {
				t.Fatalf("stderr %q does not say why", errb.String())
			}
		})
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return !errors.Is(err, os.ErrNotExist)
}
