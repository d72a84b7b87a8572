// Command traywatcher is the tray host of the Xvfb benchmarks (issue 12): a
// minimal org.kde.StatusNotifierWatcher on the session bus. Without one, a
// Fyne app has no tray icon, and AuditLight, asked to start --hidden,
// rightly shows its window instead (it never runs invisibly) — so an idle
// benchmark without a watcher measures a shown window beside a hello world
// whose window stays hidden. With it, both register their tray icons as on
// a desktop with a tray, and both stay in the tray.
//
// It accepts every item registration and reports a host as registered; it
// reads nothing back (a real host also fetches icons and menus, the same
// for both programs measured). It prints "ready" once it owns the name and
// runs until killed.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	dbus "github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

const (
	name  = "org.kde.StatusNotifierWatcher"
	iface = "org.kde.StatusNotifierWatcher"
	path  = dbus.ObjectPath("/StatusNotifierWatcher")
)

// watcher implements the StatusNotifierWatcher methods.
type watcher struct {
	conn  *dbus.Conn
	props *prop.Properties

	mu    sync.Mutex
	items []string
}

// RegisterStatusNotifierItem records an item (a bus name or an object path
// on the caller's connection) and announces it.
func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	item := service
	if len(service) > 0 && service[0] == '/' {
		item = string(sender) + service
	}
	w.mu.Lock()
	w.items = append(w.items, item)
	items := append([]string(nil), w.items...)
	w.mu.Unlock()
	w.props.SetMust(iface, "RegisteredStatusNotifierItems", items)
	if err := w.conn.Emit(path, iface+".StatusNotifierItemRegistered", item); err != nil {
		fmt.Fprintln(os.Stderr, "traywatcher: announcing an item:", err)
	}
	return nil
}

// RegisterStatusNotifierHost accepts a host (this process is the only one).
func (w *watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "traywatcher:", err)
		os.Exit(1)
	}
}

func run() error {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Errorf("connecting to the session bus: %w", err)
	}
	defer conn.Close()
	w := &watcher{conn: conn}
	if err := conn.Export(w, path, iface); err != nil {
		return fmt.Errorf("exporting the watcher: %w", err)
	}
	w.props, err = prop.Export(conn, path, prop.Map{iface: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
	}})
	if err != nil {
		return fmt.Errorf("exporting the watcher's properties: %w", err)
	}
	node := &introspect.Node{Name: string(path), Interfaces: []introspect.Interface{
		introspect.IntrospectData, prop.IntrospectData,
		{Name: iface, Methods: introspect.Methods(w), Properties: w.props.Introspection(iface)},
	}}
	if err := conn.Export(introspect.NewIntrospectable(node), path, "org.freedesktop.DBus.Introspectable"); err != nil {
		return fmt.Errorf("exporting the introspection: %w", err)
	}
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil {
		return fmt.Errorf("owning %s: %w", name, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return fmt.Errorf("%s is already owned (another tray host runs on this bus)", name)
	}
	fmt.Println("ready")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}
