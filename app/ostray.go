package app

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"

	"fyne.io/fyne/v2"
	"fyne.io/systray"
)

// ownTray is the system-tray icon driven through fyne.io/systray by the app
// itself rather than through Fyne's driver (where platformTray makes one:
// the StatusNotifierItem desktops and Windows). Fyne's driver, the first
// time a tray menu is set, also makes a hidden "SystrayMonitor" GL window
// (fyne v2.8.1 internal/driver/glfw/driver_desktop.go:58-93): on macOS its
// close is how Cmd-Q reaches the app, elsewhere nothing uses it, yet it is a
// second GL context made on the main thread before the first frame —
// ~0.13–0.18 s of the main thread's CPU on the path to the first green
// (issue 12, BENCHMARKS "Launch to green: the critical path, round 9").
//
// Icon, menu and tooltip may be set before start: they are kept and
// published when the icon registers. Menu clicks run the item's action
// through do (the app's gate: the Fyne goroutine), as Fyne's driver does.
type ownTray struct {
	items menuSink
	look  lookSink
	do    func(func())
	start func()
	stop  func()
	// encode turns a PNG (or any image Go decodes) into the bytes the
	// platform's systray takes: PNG for a StatusNotifierItem, ICO on Windows.
	encode func([]byte) ([]byte, error)
	// early is true where the platform's systray keeps what it is given
	// before start (StatusNotifierItem); else ownTray keeps the latest icon,
	// tooltip and menu and sends them when the icon registers (Windows: no
	// window exists to take them before then).
	early bool
	// tipMax, when not 0, is the longest tooltip the platform shows, in
	// UTF-16 units (Windows: 127); a longer one is cut at a word with "…".
	tipMax int

	mu      sync.Mutex
	started bool
	ended   bool
	icon    []byte
	tip     *string
	menu    *fyne.Menu
}

// lookSink is the part of fyne.io/systray that shows the icon and tooltip.
type lookSink interface {
	setIcon(icon []byte)
	setTooltip(tip string)
}

// systrayLook writes to fyne.io/systray's one process-wide icon.
type systrayLook struct{}

func (systrayLook) setIcon(icon []byte)   { systray.SetIcon(icon) }
func (systrayLook) setTooltip(tip string) { systray.SetTooltip(tip) }

// menuSink is the part of fyne.io/systray that a tray menu is written to;
// a nil parent is the menu itself.
type menuSink interface {
	reset()
	add(parent menuEntry, label string, checked bool) menuEntry
	separator(parent menuEntry)
}

// menuEntry is one item of the platform's tray menu.
type menuEntry interface {
	disable()
	setIcon(icon []byte)
	// clicked receives each click; it is closed when the menu is reset.
	clicked() <-chan struct{}
}

// systrayMenu writes to fyne.io/systray's one process-wide menu.
type systrayMenu struct{}

// systrayItem is a fyne.io/systray menu item.
type systrayItem struct{ *systray.MenuItem }

func (i systrayItem) disable()                 { i.Disable() }
func (i systrayItem) setIcon(icon []byte)      { i.SetIcon(icon) }
func (i systrayItem) clicked() <-chan struct{} { return i.ClickedCh }

func (systrayMenu) reset() { systray.ResetMenu() }

func (systrayMenu) add(parent menuEntry, label string, checked bool) menuEntry {
	p, sub := parent.(systrayItem)
	switch {
	case !sub && checked:
		return systrayItem{systray.AddMenuItemCheckbox(label, "", true)}
	case !sub:
		return systrayItem{systray.AddMenuItem(label, "")}
	case checked:
		return systrayItem{p.AddSubMenuItemCheckbox(label, "", true)}
	default:
		return systrayItem{p.AddSubMenuItem(label, "")}
	}
}

func (systrayMenu) separator(parent menuEntry) {
	if p, sub := parent.(systrayItem); sub {
		p.AddSeparator()
		return
	}
	systray.AddSeparator()
}

// setIcon shows r (PNG, or any image format Go decodes) as the tray icon.
func (o *ownTray) setIcon(r fyne.Resource) {
	b, err := o.encode(r.Content())
	if err != nil {
		fyne.LogError("converting the tray icon "+r.Name(), err)
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.icon = b
	if o.live() {
		o.look.setIcon(b)
	}
}

// setTooltip sets the icon's tooltip.
func (o *ownTray) setTooltip(s string) {
	if o.tipMax > 0 {
		s = fitTooltip(s, o.tipMax)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tip = &s
	if o.live() {
		o.look.setTooltip(s)
	}
}

// setMenu replaces the tray menu with m. A click on an item runs its action
// on the Fyne goroutine; the items of the menu replaced stop listening.
func (o *ownTray) setMenu(m *fyne.Menu) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.menu = m
	if o.live() {
		o.sendMenu(m)
	}
}

// live reports whether what is set goes to the platform now; o.mu is held.
func (o *ownTray) live() bool { return !o.ended && (o.started || o.early) }

// sendMenu writes m to the platform; o.mu is held.
func (o *ownTray) sendMenu(m *fyne.Menu) {
	o.items.reset()
	o.addItems(m, nil)
}

func (o *ownTray) addItems(m *fyne.Menu, parent menuEntry) {
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
			item.disable()
		}
		if it.Icon != nil {
			if b, err := o.encode(it.Icon.Content()); err == nil {
				item.setIcon(b)
			} else {
				fyne.LogError("converting the tray menu icon of "+it.Label, err)
			}
		}
		if it.ChildMenu != nil {
			o.addItems(it.ChildMenu, item)
		}
		action := it.Action
		// A reset closes the clicks' channel, which ends this goroutine.
		clicks := item.clicked()
		go func() {
			for range clicks {
				if action != nil {
					o.do(action)
				}
			}
		}()
	}
}

// run registers the icon with the desktop's tray host, once; call it just
// before Fyne's event loop starts (as Fyne's driver starts its tray), on
// the goroutine that runs the loop: on Windows the icon's hidden window
// belongs to the calling thread, whose messages that loop pumps. What was
// set before is sent once the icon exists.
func (o *ownTray) run() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started || o.ended {
		return
	}
	o.started = true
	o.start()
	if o.early {
		return
	}
	if o.icon != nil {
		o.look.setIcon(o.icon)
	}
	if o.tip != nil {
		o.look.setTooltip(*o.tip)
	}
	if o.menu != nil {
		o.sendMenu(o.menu)
	}
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

// fitTooltip cuts s to at most max UTF-16 units (the unit of a Windows
// tooltip's fixed buffer), at a word where it can, ending in "…"; s fits
// as it is when it can.
func fitTooltip(s string, max int) string {
	if len(utf16.Encode([]rune(s))) <= max {
		return s
	}
	var b strings.Builder
	n := 1 // the ellipsis
	lastSpace := -1
	for _, r := range s {
		w := utf16.RuneLen(r)
		if n+w > max {
			break
		}
		if unicode.IsSpace(r) {
			lastSpace = b.Len()
		}
		b.WriteRune(r)
		n += w
	}
	cut := b.String()
	if lastSpace > 0 {
		cut = cut[:lastSpace]
	}
	return strings.TrimRightFunc(cut, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("—–-,;:.", r) }) + "…"
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
