package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/collector/health"
)

// TestStatusWithoutAUsableConfigIsGrey: a config of `{}` (or one missing the
// client ID) is not a configuration; status is grey "not configured", and
// collect refuses with the setup hint instead of an obscure sign-in error.
func TestStatusWithoutAUsableConfigIsGrey(t *testing.T) {
	cases := []struct{ name, config string }{
		{"empty object", "{}"},
		{"no client id", `{"tenant":"contoso.onmicrosoft.com","cloud":"commercial"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			c := &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{}}
			code, stdout, stderr := c.run("", "--profile", dir, "status", "--json")
			var st health.Status
			if code != 0 || json.Unmarshal([]byte(stdout), &st) != nil {
				t.Fatalf("status exit %d: %s %s", code, stdout, stderr)
			}
			if st.State != health.NotConfigured || st.Colour != "grey" {
				t.Fatalf("status %s (%s): %s", st.State, st.Colour, st.Reason)
			}
			code, _, stderr = c.run("", "--profile", dir, "collect", "--once")
			if code == 0 || !strings.Contains(stderr, "no tenant is configured") {
				t.Fatalf("collect exit %d: %s", code, stderr)
			}
		})
	}
}
