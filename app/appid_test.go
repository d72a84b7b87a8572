package app

import (
	"os"
	"regexp"
	"testing"
)

// TestAppIDIsTheBundleID: the ID Fyne runs under (preferences, storage)
// must be the bundle identifier the release puts in Info.plist and the
// Windows AppUserModelID, both taken from FyneApp.toml; otherwise macOS
// notifications, the Keychain prompt and Windows toasts name another app.
func TestAppIDIsTheBundleID(t *testing.T) {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ID\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no [Details] ID")
	}
	if string(m[1]) != ID {
		t.Fatalf("FyneApp.toml ID %q, app.ID %q", m[1], ID)
	}
}
