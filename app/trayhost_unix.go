//go:build linux || freebsd || openbsd || netbsd || dragonfly

package app

import (
	"context"
	"os"
	"path/filepath"
	"time"

	dbus "github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the D-Bus name a tray host (KDE, the GNOME
// AppIndicator extension, snixembed, waybar…) owns; fyne's systray registers
// its icon there and there is no fallback.
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// trayHostPresent reports whether a StatusNotifierWatcher owns its name on
// the session bus right now, i.e. whether the tray icon is really visible.
// Without a session bus it is false (and godbus is not allowed to autolaunch
// a private bus, see keychain.checkSessionBus).
func trayHostPresent(ctx context.Context) bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		dir := os.Getenv("XDG_RUNTIME_DIR")
		if dir == "" {
			return false
		}
		if _, err := os.Stat(filepath.Join(dir, "bus")); err != nil {
			return false
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := dbus.SessionBusPrivate(dbus.WithContext(ctx))
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has)
	return err == nil && has
}
