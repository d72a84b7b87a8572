package keychain

import (
	"os"
	"path/filepath"
)

// secretServiceOS reports whether goos reaches its keychain through a
// D-Bus Secret Service.
func secretServiceOS(goos string) bool {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// checkSessionBus fails with ErrUnavailable when a Secret Service platform
// has no D-Bus session bus. Without this check godbus would "autolaunch" a
// private dbus-daemon through dbus-launch, which D-Bus-activates a fresh,
// locked gnome-keyring and leaves both processes running after AuditLight
// exits; the user would get a confusing "locked" error instead of being
// told that no keyring session exists. The check mirrors godbus's own
// discovery: $DBUS_SESSION_BUS_ADDRESS, then $XDG_RUNTIME_DIR/bus.
func checkSessionBus(op, goos string, getenv func(string) string, exists func(string) bool) error {
	if !secretServiceOS(goos) {
		return nil
	}
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" && exists(filepath.Join(dir, "bus")) {
		return nil
	}
	return &Error{
		Op:       op,
		Keychain: keychainName(goos),
		Kind:     ErrUnavailable,
		Hint:     hintNoSessionBus,
		Detail:   "DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist",
	}
}

// pathExists reports whether path exists (used for the session bus socket).
func pathExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
