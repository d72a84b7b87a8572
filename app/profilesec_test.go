//go:build unix

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditlight/auditlight/app/keychain"
)

// TestUnsafeProfileIsRefused: a profile directory or config that other
// users can change (or a config that is a symlink) is refused before the
// config is read — another user had replaced config.json with a login URL of
// theirs and the real secret was sent there.
func TestUnsafeProfileIsRefused(t *testing.T) {
	cfg := `{"tenant":"contoso.onmicrosoft.com","clientId":"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21","cloud":"commercial"}`
	cases := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		refused string // "" = accepted
	}{
		{"owner-only profile", func(*testing.T, string) {}, ""},
		{"world-writable directory", func(t *testing.T, dir string) { chmod(t, dir, 0o777) }, "can be changed by other users"},
		{"group-writable directory", func(t *testing.T, dir string) { chmod(t, dir, 0o770) }, "can be changed by other users"},
		{"world-writable config", func(t *testing.T, dir string) { chmod(t, filepath.Join(dir, "config.json"), 0o666) }, "can be changed by other users"},
		{"config is a symlink", func(t *testing.T, dir string) {
			other := filepath.Join(t.TempDir(), "evil.json")
			if err := os.WriteFile(other, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			cp := filepath.Join(dir, "config.json")
			if err := os.Remove(cp); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, cp); err != nil {
				t.Fatal(err)
			}
		}, "symbolic link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "profile")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, dir)
			c := &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{EnvSecret: "s3cr3t~value"}}
			for _, cmd := range [][]string{{"status"}, {"collect", "--once"}} {
				code, _, stderr := c.run("", append([]string{"--profile", dir}, cmd...)...)
				if tc.refused == "" {
					if strings.Contains(stderr, "other users") || strings.Contains(stderr, "symbolic link") {
						t.Fatalf("%v: a safe profile was refused: %s", cmd, stderr)
					}
					continue
				}
				if code == 0 || !strings.Contains(stderr, tc.refused) {
					t.Fatalf("%v: exit %d, stderr %q; want refusal %q", cmd, code, stderr, tc.refused)
				}
			}
		})
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
