package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
)

// TestGUICommandsWarmTheGLDriverFirst: the GUI and --demo start loading
// the GL driver's libraries before they make the app and its windows
// (issue 12: launch to green), and a headless command never loads them
// (its memory footprint). This build has no GUI driver, so the GUI
// commands stop with that error right after.
func TestGUICommandsWarmTheGLDriverFirst(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantWarm bool
	}{
		{"demo", []string{"--demo"}, true},
		{"gui", []string{"gui"}, true},
		{"default command is the gui", nil, true},
		{"status", []string{"status"}, false},
		{"version", []string{"version"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			warmed := 0
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, keys: &keychain.Memory{},
				getenv:  func(string) string { return "" },
				warmGL:  func(*slog.Logger) { warmed++ },
				profile: t.TempDir()}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			run(ctx, e, append([]string{"--profile", e.profile}, tc.args...))
			if got := warmed > 0; got != tc.wantWarm {
				t.Fatalf("GL warm-up started: %v, want %v (stderr %q)", got, tc.wantWarm, errb.String())
			}
			if warmed > 1 {
				t.Fatalf("GL warm-up started %d times", warmed)
			}
			if tc.wantWarm && !strings.Contains(errb.String(), "no GUI driver") {
				t.Fatalf("the GUI command did not reach the window: %q", errb.String())
			}
		})
	}
}
