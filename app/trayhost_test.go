//go:build linux || freebsd || openbsd || netbsd || dragonfly

package app

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	dbus "github.com/godbus/dbus/v5"
)

// TestTrayHostPresentFollowsTheWatcherName: without a StatusNotifierWatcher
// on the session bus the tray is reported missing (so closing the window
// must not hide the app), and present once something owns the name
// (issue 10, item 3). Needs dbus-daemon; skipped without it.
func TestTrayHostPresentFollowsTheWatcherName(t *testing.T) {
	addr := privateSessionBus(t)
	ctx := context.Background()
	if trayHostPresent(ctx) {
		t.Fatal("a tray host reported on a bus without a StatusNotifierWatcher")
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if reply, err := conn.RequestName(statusNotifierWatcher, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the watcher name: %v %v", reply, err)
	}
	if !trayHostPresent(ctx) {
		t.Error("no tray host reported although the watcher name is owned")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if trayHostPresent(ctx) {
		t.Error("a tray host reported without any session bus")
	}
}

// privateSessionBus starts a dbus-daemon of the test's own, makes it the
// session bus (DBUS_SESSION_BUS_ADDRESS) until the test ends, and returns
// its address. The test is skipped without dbus-daemon.
func privateSessionBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon not installed")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	buf := make([]byte, 512)
	n, err := out.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimSpace(string(buf[:n]))
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	return addr
}
