package app

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/auditlight/auditlight/app/profile"
)

// TestProfileLogNeverHoldsASecret: whatever a log line carries (message,
// string attribute, error), the secret and bearer tokens never reach the
// file or stderr.
func TestProfileLogNeverHoldsASecret(t *testing.T) {
	const secret = "Xq8~abcDEFghiJKLmnoPQRstuVWXyz0123456789"
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ4eHh4In0.c2lnbmF0dXJlLXZhbHVl"
	cases := []struct {
		name string
		log  func(*slog.Logger)
	}{
		{"message", func(l *slog.Logger) { l.Info("secret is " + secret) }},
		{"attribute", func(l *slog.Logger) { l.Info("x", "secret", secret) }},
		{"error", func(l *slog.Logger) { l.Warn("x", "err", errors.New("bad client_secret="+secret)) }},
		{"bearer header", func(l *slog.Logger) { l.Info("x", "header", "Authorization: Bearer "+jwt) }},
		{"bare JWT", func(l *slog.Logger) { l.Info("token " + jwt) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := profile.Profile{Dir: t.TempDir()}
			var stderr bytes.Buffer
			l, closeLog := profileLogger(&stderr, p, slog.LevelInfo, secret)
			tc.log(l)
			closeLog()
			file, err := os.ReadFile(p.LogPath())
			if err != nil {
				t.Fatal(err)
			}
			for where, b := range map[string]string{"file": string(file), "stderr": stderr.String()} {
				if b == "" {
					t.Fatalf("%s: nothing logged", where)
				}
				if strings.Contains(b, secret) || strings.Contains(b, jwt) || strings.Contains(b, "eyJhbGci") {
					t.Fatalf("%s holds a secret: %s", where, b)
				}
			}
			if fi, err := os.Stat(p.LogPath()); err != nil || fi.Mode().Perm()&0o077 != 0 {
				t.Fatalf("log file mode %v, %v: readable by others", fi.Mode(), err)
			}
		})
	}
}
