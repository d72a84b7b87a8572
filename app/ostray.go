package app

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/systray"
)

// ownTray is the system-tray icon driven through fyne.io/systray by the app
// itself rather than through Fyne's driver (where platformTray makes one:
// the StatusNotifierItem desktops). Fyne's driver, the first time a tray
// menu is set, also makes a hidden "SystrayMonitor" GL window (fyne v2.8.1
// internal/driver/glfw/driver_desktop.go:58-93): on macOS its close is how
// Cmd-Q reaches the app, elsewhere nothing uses it, yet it is a second GL
// context made on the main thread before the first frame — ~0.13–0.18 s of
// the main thread's CPU on the path to the first green (issue 12,
// BENCHMARKS "Launch to green: the critical path, round 9").
//
// Icon, menu and tooltip may be set before start: they are kept and
// published when the icon registers. Menu clicks run the item's action
// through do (the app's gate: the Fyne goroutine), as Fyne's driver does.
type ownTray struct {
	items menuSink
	do    func(func())
	start func()
	stop  func()

	mu      sync.Mutex
	started bool
	ended   bool
}

// menuSink is the part of fyne.io/systray that a tray menu is written to.
type menuSink interface {
	reset()
	add(parent *systray.MenuItem, label string, checked bool) *systray.MenuItem
	separator(parent *systray.MenuItem)
}

// systrayMenu writes to fyne.io/systray's one process-wide menu.
type systrayMenu struct{}

func (systrayMenu) reset() { systray.ResetMenu() }

func (systrayMenu) add(parent *systray.MenuItem, label string, checked bool) *systray.MenuItem {
	switch {
	case parent == nil && checked:
		return systray.AddMenuItemCheckbox(label, "", true)
	case parent == nil:
		return systray.AddMenuItem(label, "")
	case checked:
		return parent.AddSubMenuItemCheckbox(label, "", true)
	default:
		return parent.AddSubMenuItem(label, "")
	}
}

func (systrayMenu) separator(parent *systray.MenuItem) {
	if parent == nil {
		systray.AddSeparator()
		return
	}
	parent.AddSeparator()
}

// setIcon shows r (PNG, or any image format Go decodes) as the tray icon.
func (o *ownTray) setIcon(r fyne.Resource) {
	b, err := pngIcon(r.Content())
	if err != nil {
		fyne.LogError("converting the tray icon "+r.Name(), err)
		return
	}
	systray.SetIcon(b)
}

// setTooltip sets the icon's tooltip.
func (o *ownTray) setTooltip(s string) { systray.SetTooltip(s) }

// setMenu replaces the tray menu with m. A click on an item runs its action
// on the Fyne goroutine; the items of the menu replaced stop listening.
func (o *ownTray) setMenu(m *fyne.Menu) {
	o.items.reset()
	o.addItems(m, nil)
}

func (o *ownTray) addItems(m *fyne.Menu, parent *systray.MenuItem) {
	if m == nil {
		return
	}
	for _, it := range m.Items {
		if it.IsSeparator {
			o.items.separator(parent)
			continue
		}
		item := o.items.add(parent, it.Label, it.Checked)
		if it.Disabled {
			item.Disable()
		}
		if it.Icon != nil {
			if b, err := pngIcon(it.Icon.Content()); err == nil {
				item.SetIcon(b)
			} else {
				fyne.LogError("converting the tray menu icon of "+it.Label, err)
			}
		}
		if it.ChildMenu != nil {
			o.addItems(it.ChildMenu, item)
		}
		action := it.Action
		// ResetMenu closes ClickedCh, which ends this goroutine.
		go func() {
			for range item.ClickedCh {
				if action != nil {
					o.do(action)
				}
			}
		}()
	}
}

// run registers the icon with the desktop's tray host, once; call it just
// before Fyne's event loop starts (as Fyne's driver starts its tray).
func (o *ownTray) run() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started || o.ended {
		return
	}
	o.started = true
	o.start()
}

// end removes the icon; once ended the tray is never shown again.
func (o *ownTray) end() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ended {
		return
	}
	o.ended = true
	if o.started {
		o.stop()
	}
}

// pngIcon returns icon as PNG, the format the StatusNotifierItem systray
// takes: PNG bytes as they are, another image format decoded and encoded.
func pngIcon(icon []byte) ([]byte, error) {
	img, format, err := image.Decode(bytes.NewReader(icon))
	if err != nil {
		return nil, fmt.Errorf("decoding the icon: %w", err)
	}
	if format == "png" {
		return icon, nil
	}
	nrgba := image.NewNRGBA(img.Bounds())
	draw.Draw(nrgba, nrgba.Bounds(), img, img.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, nrgba); err != nil {
		return nil, fmt.Errorf("encoding the icon as PNG: %w", err)
	}
	return buf.Bytes(), nil
}
