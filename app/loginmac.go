package app

import (
	"fmt"
	"path"
	"strings"
)

// macLoginExecutable chooses the program the macOS LaunchAgent starts. A
// copy run from the mounted .dmg (/Volumes/…) or one Gatekeeper runs from a
// random read-only place because it was opened where it was downloaded
// (App Translocation, …/AppTranslocation/…) is gone at the next login, so
// the installed copy in /Applications or ~/Applications is named instead;
// without one, turning on Start at login fails with what to do. Paths are
// macOS paths (slash-separated) whatever system runs the tests.
func macLoginExecutable(exe, home string, exists func(string) bool) (string, error) {
	if !strings.HasPrefix(exe, "/Volumes/") && !strings.Contains(exe, "/AppTranslocation/") {
		return exe, nil
	}
	if i := strings.LastIndex(exe, ".app/Contents/MacOS/"); i >= 0 {
		bundle, inner := path.Base(exe[:i+len(".app")]), exe[i+len(".app/"):]
		for _, dir := range []string{"/Applications", path.Join(home, "Applications")} {
			if p := path.Join(dir, bundle, inner); exists(p) {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("AuditLight is running from the disk image or from where it was downloaded (%s), which is gone at the next login: drag AuditLight to Applications, open it from there, then turn on Start at login", exe)
}
