package fynelog

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// TestFyneErrorsAreLoggedAndGraphicsFailureExplained: Fyne's own error
// lines (fyne.LogError, the real function) reach the profile log — in a
// Windows GUI they went to a stderr nobody sees — and a window that cannot
// open for lack of OpenGL 2.1 is explained to the user once, with the cause
// and the workaround; other Fyne errors are only logged.
func TestFyneErrorsAreLoggedAndGraphicsFailureExplained(t *testing.T) {
	cases := []struct {
		name     string
		reason   string
		cause    error
		wantTold bool
		wantExit bool // Fyne would panic next: the process ends with status 1 instead
	}{
		{"no OpenGL 2.1 (Windows VM)", "window creation error", errors.New("VersionUnavailable: WGL: The driver does not appear to support OpenGL"), true, false},
		{"GLFW cannot start", "failed to initialise GLFW", errors.New("PlatformUnavailable: Failed to detect any supported platform"), true, true},
		{"OpenGL functions missing", "failed to initialise OpenGL", errors.New("gl: glBindVertexArray missing"), true, true},
		{"a tray icon error", "Failed to convert systray icon", errors.New("bad png"), false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			var told []string
			var exits []int
			restore := Route(slog.New(slog.NewTextHandler(&logs, nil)), "/home/me/.config/auditlight/logs/auditlight.log",
				func(msg string) { told = append(told, msg) }, func(code int) { exits = append(exits, code) })
			fyne.LogError(tc.reason, tc.cause)
			fyne.LogError(tc.reason, tc.cause) // Fyne may report twice; the user is told once
			restore()
			if !strings.Contains(logs.String(), tc.reason) || !strings.Contains(logs.String(), tc.cause.Error()) {
				t.Fatalf("the profile log lacks Fyne's error:\n%s", logs.String())
			}
			if !tc.wantTold {
				if len(told) != 0 {
					t.Fatalf("told the user %q for an error that does not stop the window", told)
				}
				return
			}
			if len(told) != 1 {
				t.Fatalf("told the user %d times, want once", len(told))
			}
			if wantExits := map[bool]int{true: 1, false: 0}[tc.wantExit]; len(exits) != wantExits || (wantExits == 1 && exits[0] != 1) {
				t.Fatalf("exits %v, want %d exit with status 1", exits, wantExits)
			}
			for _, want := range []string{"OpenGL 2.1", tc.cause.Error(), "collect", "auditlight.log"} {
				if !strings.Contains(told[0], want) {
					t.Errorf("message lacks %q:\n%s", want, told[0])
				}
			}
		})
	}
}

// TestGraphicsMessageNamesThePlatformsWayOut: Windows users get the VM /
// Remote Desktop advice and the console twin; others the desktop session
// and Mesa's software renderer.
func TestGraphicsMessageNamesThePlatformsWayOut(t *testing.T) {
	cases := []struct {
		goos string
		want []string
	}{
		{"windows", []string{"3D acceleration", "opengl32.dll", "auditlight-cli.exe collect"}},
		{"linux", []string{"DISPLAY", "LIBGL_ALWAYS_SOFTWARE=1", "auditlight collect"}},
		{"darwin", []string{"auditlight collect"}},
	}
	for _, tc := range cases {
		msg := graphicsMessage(tc.goos, "window creation error", "no GL", "")
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message lacks %q:\n%s", tc.goos, w, msg)
			}
		}
		if strings.Contains(msg, "Details:") {
			t.Errorf("%s: names a log file although none was given", tc.goos)
		}
	}
}
