//go:build unix

package app

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/auditlight/auditlight/app/keychain"
)

// TestBadInputIsRejectedWithAClearMessage: each input that was accepted (or
// hung, or ran out of memory) is refused with a message naming the problem,
// and nothing is saved.
func TestBadInputIsRejectedWithAClearMessage(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "profile")
	fifo := filepath.Join(dir, "ca.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, maxCAFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	configure := func(extra ...string) []string {
		return append([]string{"--profile", prof, "configure", "--tenant", "contoso.onmicrosoft.com",
			"--client-id", "6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21", "--no-check"}, extra...)
	}
	longURL := "https://login.example.com/" + strings.Repeat("a", 128<<10)
	cases := []struct {
		name   string
		args   []string
		secret string
		want   string
	}{
		{"CA file /dev/zero", configure("--ca-file", "/dev/zero"), "s3cr3t~value", "not a regular file"},
		{"CA file FIFO", configure("--ca-file", fifo), "s3cr3t~value", "not a regular file"},
		{"CA file too big", configure("--ca-file", big), "s3cr3t~value", "at most 4 MiB"},
		{"1 MiB secret", configure(), strings.Repeat("x", 1<<20), "at most 512 accepted"},
		{"secret with a control character", configure(), "s3cr3t\x1b[2Jvalue", "control character"},
		{"extra positional argument", configure("s3cr3t"), "s3cr3t~value", `unexpected argument "s3cr3t"`},
		{"status x --json", []string{"--profile", prof, "status", "x", "--json"}, "", `unexpected argument "x"`},
		{"negative requests per minute", configure("--requests-per-minute", "-5"), "s3cr3t~value", "-5 is negative"},
		{"year-0 expiry", configure("--secret-expiry", "0000-01-01"), "s3cr3t~value", "not a plausible expiry date"},
		{"128 KiB URL", configure("--cloud", "custom", "--login-url", longURL), "s3cr3t~value", "at most 2048 are accepted"},
		{"events --limit -1", []string{"--profile", prof, "events", "--limit", "-1"}, "", "-1 is negative"},
		{"events --since -24h", []string{"--profile", prof, "events", "--since", "-24h"}, "", "negative duration"},
		{"events --until before --since", []string{"--profile", prof, "events", "--since", "2026-11-20", "--until", "2026-11-10"}, "", "is not after --since"},
	}
	// events needs a configuration to get as far as its flags.
	if err := os.MkdirAll(prof, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := `{"tenant":"contoso.onmicrosoft.com","clientId":"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21","cloud":"commercial"}`
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(prof, "config.json"), []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			c := &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{}}
			args := tc.args
			if tc.secret != "" {
				args = append(args, "--secret-stdin")
			}
			code, stdout, stderr := c.run(tc.secret+"\n", args...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q, want it to contain %q (stdout %.200q)", code, stderr, tc.want, stdout)
			}
			if c.keys.Len() != 0 {
				t.Fatal("a secret was stored despite the rejected input")
			}
		})
	}
}
