package app

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui"
)

// fakeSystray is the platform tray as a tray host would see it: the icon,
// the tooltip, and the menu as lines ("---" a separator, "(x)" disabled,
// "[x] " checked, "  " under a parent), with a click per line.
type fakeSystray struct {
	mu       sync.Mutex
	started  bool
	stopped  bool
	icon     []byte
	icons    int
	tip      string
	lines    []string
	entries  []*fakeEntry
	beforeOn []string // what was sent before start
}

type fakeEntry struct {
	t     *fakeSystray
	line  int
	label string
	ch    chan struct{}
}

func (e *fakeEntry) disable() {
	e.t.mu.Lock()
	defer e.t.mu.Unlock()
	e.t.lines[e.line] = strings.Replace(e.t.lines[e.line], e.label, "("+e.label+")", 1)
}
func (e *fakeEntry) setIcon([]byte)           {}
func (e *fakeEntry) clicked() <-chan struct{} { return e.ch }

func (f *fakeSystray) note(what string) {
	if !f.started {
		f.beforeOn = append(f.beforeOn, what)
	}
}

func (f *fakeSystray) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.note("menu")
	for _, e := range f.entries {
		close(e.ch)
	}
	f.lines, f.entries = nil, nil
}

func (f *fakeSystray) add(parent menuEntry, label string, checked bool) menuEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := label
	if checked {
		line = "[x] " + line
	}
	if parent != nil {
		line = "  " + line
	}
	e := &fakeEntry{t: f, line: len(f.lines), label: label, ch: make(chan struct{})}
	f.lines = append(f.lines, line)
	f.entries = append(f.entries, e)
	return e
}

func (f *fakeSystray) separator(parent menuEntry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := "---"
	if parent != nil {
		line = "  ---"
	}
	f.lines = append(f.lines, line)
}

func (f *fakeSystray) setIcon(icon []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.note("icon")
	f.icon, f.icons = icon, f.icons+1
}

func (f *fakeSystray) setTooltip(tip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.note("tooltip")
	f.tip = tip
}

func (f *fakeSystray) menu() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.lines, "\n")
}

// click clicks the first entry labelled label.
func (f *fakeSystray) click(t *testing.T, label string) {
	t.Helper()
	f.mu.Lock()
	var e *fakeEntry
	for _, c := range f.entries {
		if c.label == label {
			e = c
			break
		}
	}
	f.mu.Unlock()
	if e == nil {
		t.Fatalf("no %q in the tray menu:\n%s", label, f.menu())
	}
	select {
	case e.ch <- struct{}{}:
	case <-time.After(5 * time.Second):
		t.Fatalf("nothing listens to clicks on %q", label)
	}
}

// newFakeOwnTray is an ownTray over a fakeSystray, as platformTray makes
// it where the platform keeps what it gets before start (early) or not.
func newFakeOwnTray(early bool, tipMax int, encode func([]byte) ([]byte, error)) (*ownTray, *fakeSystray, chan func()) {
	f := &fakeSystray{}
	queued := make(chan func(), 8)
	o := &ownTray{items: f, look: f, do: func(fn func()) { queued <- fn }, encode: encode, early: early, tipMax: tipMax,
		start: func() { f.mu.Lock(); f.started = true; f.mu.Unlock() },
		stop:  func() { f.mu.Lock(); f.stopped = true; f.mu.Unlock() }}
	return o, f, queued
}

// wantMenuLines is how a tray host lists m (see fakeSystray).
func wantMenuLines(m *fyne.Menu, indent string) []string {
	var out []string
	for _, it := range m.Items {
		switch {
		case it.IsSeparator:
			out = append(out, indent+"---")
			continue
		}
		label := it.Label
		if it.Disabled {
			label = "(" + label + ")"
		}
		if it.Checked {
			label = "[x] " + label
		}
		out = append(out, indent+label)
		if it.ChildMenu != nil {
			out = append(out, wantMenuLines(it.ChildMenu, "  ")...)
		}
	}
	return out
}

// TestOwnTrayMenuModel checks the menu the app's own tray writes (Linux and
// Windows share it): every item, separator, enabled state, checkmark and
// submenu of the Fyne menu, in order; a click runs the item's action on the
// Fyne goroutine only; a new menu replaces the old one, whose items stop
// listening.
func TestOwnTrayMenuModel(t *testing.T) {
	ran := make(chan string, 8)
	act := func(name string) func() { return func() { ran <- name } }
	green := health.Status{State: health.Healthy, Colour: health.Healthy.Colour(), Reason: "Online and logging."}
	waiting := health.Evaluate(health.Inputs{Configured: true}, time.Now(), health.Thresholds{})
	actions := ui.TrayActions{Open: act("open"), TestConnection: act("test"), Quit: act("quit")}
	checked := fyne.NewMenuItem("Start at sign-in", act("autostart"))
	checked.Checked = true
	more := fyne.NewMenuItem("More", nil)
	more.ChildMenu = fyne.NewMenu("", fyne.NewMenuItem("Logs", act("logs")), fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Off", Disabled: true})
	custom := fyne.NewMenu("", checked, more, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Quit", act("quit")))
	menus := []struct {
		name   string
		menu   *fyne.Menu
		clicks map[string]string // label -> the action it runs
	}{
		{"waiting", ui.BuildTrayMenu(waiting, false, actions), map[string]string{"Open AuditLight": "open", "Quit": "quit"}},
		{"green", ui.BuildTrayMenu(green, false, actions), map[string]string{"Test connection": "test", "Quit": "quit"}},
		{"checkmarks and a submenu", custom, map[string]string{"Start at sign-in": "autostart", "Logs": "logs"}},
	}
	for _, early := range []bool{true, false} {
		t.Run(fmt.Sprintf("early=%v", early), func(t *testing.T) {
			o, f, queued := newFakeOwnTray(early, 0, pngIcon)
			o.run()
			for _, m := range menus {
				o.setMenu(m.menu)
				if got, want := f.menu(), strings.Join(wantMenuLines(m.menu, ""), "\n"); got != want {
					t.Fatalf("%s: the tray shows\n%s\nwant\n%s", m.name, got, want)
				}
				for label, want := range m.clicks {
					f.click(t, label)
					select {
					case got := <-ran:
						t.Fatalf("%s: clicking %q ran %q off the Fyne goroutine", m.name, label, got)
					case fn := <-queued:
						fn()
						if got := <-ran; got != want {
							t.Errorf("%s: clicking %q ran %q, want %q", m.name, label, got, want)
						}
					case <-time.After(5 * time.Second):
						t.Fatalf("%s: clicking %q ran nothing", m.name, label)
					}
				}
			}
		})
	}
}

// TestOwnTrayKeepsWhatIsSetBeforeItRegisters: newTray sets the icon,
// tooltip and menu before Fyne's loop starts. Where the platform cannot take
// them yet (Windows: the icon's window is made when it registers) the tray
// keeps the latest of each and sends it once it runs; nothing is sent
// after it ended.
func TestOwnTrayKeepsWhatIsSetBeforeItRegisters(t *testing.T) {
	grey, greenIcon := trayIcon(health.NotConfigured), trayIcon(health.Healthy)
	for _, tc := range []struct {
		early      bool
		wantBefore []string
	}{
		{early: true, wantBefore: []string{"icon", "tooltip", "menu", "icon", "tooltip"}},
		{early: false, wantBefore: nil},
	} {
		t.Run(fmt.Sprintf("early=%v", tc.early), func(t *testing.T) {
			o, f, _ := newFakeOwnTray(tc.early, 0, pngIcon)
			o.setIcon(grey)
			o.setTooltip("AuditLight — Not set up")
			o.setMenu(fyne.NewMenu("", fyne.NewMenuItem("Quit", func() {})))
			o.setIcon(greenIcon)
			o.setTooltip("AuditLight — Online")
			if got := strings.Join(f.beforeOn, ","); got != strings.Join(tc.wantBefore, ",") {
				t.Errorf("sent before the icon registered: %q, want %q", got, strings.Join(tc.wantBefore, ","))
			}
			o.run()
			if !bytes.Equal(f.icon, greenIcon.Content()) || f.tip != "AuditLight — Online" || f.menu() != "Quit" {
				t.Errorf("after run the tray shows icon %v, tooltip %q, menu %q; want the green icon, %q, Quit",
					bytes.Equal(f.icon, greenIcon.Content()), f.tip, f.menu(), "AuditLight — Online")
			}
			o.end()
			if !f.stopped {
				t.Error("end did not remove the icon")
			}
			icons := f.icons
			o.setIcon(grey)
			o.setTooltip("late")
			if f.icons != icons || f.tip == "late" {
				t.Error("the tray was changed after it ended")
			}
			o.run()
			if f.icons != icons {
				t.Error("run after end showed the icon again")
			}
		})
	}
}

// TestFitTooltip: a Windows notify icon shows at most 127 UTF-16 units of
// tooltip; a longer status is cut at a word with "…" instead of running
// past the buffer's end.
func TestFitTooltip(t *testing.T) {
	long := ui.TrayTooltip(health.Status{State: health.ActionNeeded, Reason: strings.Repeat("The client secret was refused by Entra; ", 5)}, false)
	emoji := strings.Repeat("🔒", 100) // two UTF-16 units each
	for _, tc := range []struct {
		name, in string
		max      int
	}{
		{"short", "AuditLight — Online", 127},
		{"exactly 127", strings.Repeat("a", 127), 127},
		{"a long reason", long, 127},
		{"surrogate pairs", emoji, 127},
		{"one long word", strings.Repeat("x", 300), 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fitTooltip(tc.in, tc.max)
			n := len(utf16.Encode([]rune(got)))
			if n > tc.max {
				t.Fatalf("%d UTF-16 units, want ≤ %d: %q", n, tc.max, got)
			}
			if len(utf16.Encode([]rune(tc.in))) <= tc.max {
				if got != tc.in {
					t.Errorf("a tooltip that fits was changed: %q → %q", tc.in, got)
				}
				return
			}
			if !strings.HasSuffix(got, "…") {
				t.Errorf("a cut tooltip does not end in …: %q", got)
			}
			kept := strings.TrimSuffix(got, "…")
			if !strings.HasPrefix(tc.in, kept) {
				t.Errorf("the cut tooltip %q is not the start of %q", got, tc.in)
			}
			if next, _ := utf8.DecodeRuneInString(tc.in[len(kept):]); strings.Contains(tc.in, " ") && !strings.ContainsRune(" —–-,;:.", next) {
				t.Errorf("cut inside a word: %q", got)
			}
			if n < tc.max/2 {
				t.Errorf("cut to %d units, far below %d: %q", n, tc.max, got)
			}
		})
	}
}

// runQueuedClick checks one tray menu click that the tray queued for the
// Fyne goroutine as f: nothing ran before f (no callback off the Fyne
// goroutine), and running f runs the item's action (its name sent on ran).
func runQueuedClick(t *testing.T, label, action string, f func(), ran chan string) {
	t.Helper()
	select {
	case got := <-ran:
		t.Fatalf("%q ran %q off the Fyne goroutine", label, got)
	default:
	}
	f()
	if got := <-ran; got != action {
		t.Errorf("clicking %q ran %q, want %q", label, got, action)
	}
}
