//go:build linux || freebsd || openbsd || netbsd || dragonfly

package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui"
)

// sniWatcher is the StatusNotifierWatcher a tray host owns: it records the
// items that register.
type sniWatcher struct{ items chan string }

func (w *sniWatcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w.items <- string(sender) + "|" + service
	return nil
}

// dbusMenuLayout is com.canonical.dbusmenu's (ia{sv}av) layout node.
type dbusMenuLayout struct {
	ID         int32
	Properties map[string]dbus.Variant
	Children   []dbus.Variant
}

// TestOwnTrayUnderAStatusNotifierHost runs the tray the app drives itself
// (no Fyne tray, so no hidden GL window) under a StatusNotifierWatcher on a
// private session bus, and reads back what a tray host shows: the icon
// registers, its title, tooltip and icon follow the status, the menu has
// the status lines, the actions and Quit with their enabled state, and a
// click on an item runs its action on the Fyne goroutine. Needs
// dbus-daemon; skipped without it. fyne.io/systray keeps one icon per
// process, so this is the package's only test that starts it.
func TestOwnTrayUnderAStatusNotifierHost(t *testing.T) {
	addr := privateSessionBus(t)

	host, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	w := &sniWatcher{items: make(chan string, 4)}
	if err := host.Export(w, "/StatusNotifierWatcher", statusNotifierWatcher); err != nil {
		t.Fatal(err)
	}
	if reply, err := host.RequestName(statusNotifierWatcher, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the watcher name: %v %v", reply, err)
	}

	ran := make(chan string, 4)
	queued := make(chan func(), 4)
	do := func(f func()) { queued <- f } // the Fyne goroutine's queue
	own := platformTray("AuditLight", do)
	ts := &ui.TraySync{Icon: trayIcon, Actions: ui.TrayActions{
		Open:           func() { ran <- "open" },
		TestConnection: func() { ran <- "test" },
		Quit:           func() { ran <- "quit" },
	}, SetIcon: own.setIcon, SetMenu: own.setMenu, SetTooltip: own.setTooltip}
	now := time.Now()
	waiting := health.Evaluate(health.Inputs{Configured: true}, now, health.Thresholds{})
	ts.Apply(waiting) // before the icon registers, as newTray does
	own.run()
	defer own.end()

	var sender, itemPath string
	select {
	case reg := <-w.items:
		sender, itemPath, _ = strings.Cut(reg, "|")
	case <-time.After(10 * time.Second):
		t.Fatal("the tray icon never registered with the StatusNotifierWatcher")
	}
	item := host.Object(sender, dbus.ObjectPath(itemPath))
	prop := func(name string) dbus.Variant {
		t.Helper()
		v, err := item.GetProperty("org.kde.StatusNotifierItem." + name)
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		return v
	}
	if got := prop("Title").Value(); got != "AuditLight" {
		t.Errorf("Title = %v, want AuditLight", got)
	}
	tooltip := func() string {
		var tip struct {
			Icon  string
			Image []struct {
				W, H int32
				Pix  []byte
			}
			Title, Body string
		}
		if err := prop("ToolTip").Store(&tip); err != nil {
			t.Fatalf("reading the tooltip: %v", err)
		}
		return tip.Title
	}
	icon := func() []byte {
		var px []struct {
			W, H int32
			Pix  []byte
		}
		if err := prop("IconPixmap").Store(&px); err != nil || len(px) == 0 {
			t.Fatalf("reading the icon: %v (%d pixmaps)", err, len(px))
		}
		return px[0].Pix
	}
	if got, want := tooltip(), ui.TrayTooltip(waiting, false); got != want {
		t.Errorf("tooltip = %q, want %q", got, want)
	}
	greyIcon := icon()

	menuObj := host.Object(sender, "/StatusNotifierItem/menu")
	layout := func() (labels []string, ids map[string]int32) {
		t.Helper()
		var rev uint32
		var root dbusMenuLayout
		if err := menuObj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
			t.Fatalf("reading the menu: %v", err)
		}
		ids = map[string]int32{}
		for _, c := range root.Children {
			var node dbusMenuLayout
			if err := dbus.Store([]any{c.Value()}, &node); err != nil {
				t.Fatalf("a menu node: %v", err)
			}
			label, _ := node.Properties["label"].Value().(string)
			if typ, _ := node.Properties["type"].Value().(string); typ == "separator" {
				labels = append(labels, "---")
				continue
			}
			if visible, ok := node.Properties["visible"].Value().(bool); ok && !visible {
				continue
			}
			if enabled, ok := node.Properties["enabled"].Value().(bool); ok && !enabled {
				label = "(" + label + ")"
			}
			labels = append(labels, label)
			ids[label] = node.ID
		}
		return labels, ids
	}
	wantLayout := func(st health.Status) []string {
		var want []string
		for _, it := range ui.BuildTrayMenu(st, false, ts.Actions).Items {
			switch {
			case it.IsSeparator:
				want = append(want, "---")
			case it.Disabled:
				want = append(want, "("+it.Label+")")
			default:
				want = append(want, it.Label)
			}
		}
		return want
	}
	if got, _ := layout(); strings.Join(got, "\n") != strings.Join(wantLayout(waiting), "\n") {
		t.Errorf("menu before green:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantLayout(waiting), "\n"))
	}

	green := waiting
	green.State, green.Colour, green.Reason = health.Healthy, health.Healthy.Colour(), "Online and logging."
	ts.Apply(green)
	if got, want := tooltip(), ui.TrayTooltip(green, false); got != want {
		t.Errorf("tooltip after green = %q, want %q", got, want)
	}
	if bytes.Equal(icon(), greyIcon) {
		t.Error("the tray icon did not change with the status")
	}
	labels, ids := layout()
	if got, want := labels, wantLayout(green); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("menu after green:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	ts.Apply(waiting)
	if !bytes.Equal(icon(), greyIcon) {
		t.Error("the tray icon did not go back with the status")
	}
	ts.Apply(green)
	labels, ids = layout()
	for _, click := range []struct{ label, action string }{{"Open AuditLight", "open"}, {"Quit", "quit"}} {
		id, ok := ids[click.label]
		if !ok {
			t.Fatalf("no %q in the menu %v", click.label, labels)
		}
		if err := menuObj.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(0)).Err; err != nil {
			t.Fatalf("clicking %q: %v", click.label, err)
		}
		select {
		case f := <-queued:
			runQueuedClick(t, click.label, click.action, f, ran)
		case <-time.After(5 * time.Second):
			t.Fatalf("clicking %q ran nothing", click.label)
		}
	}
}
