package ui

import (
	"strings"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
)

// TrayActions are the callbacks behind the tray menu items. Nil callbacks
// leave their item disabled.
type TrayActions struct {
	Open           func() // show the main window
	TestConnection func() // run the test connection
	PauseResume    func() // toggle collection
	Quit           func() // orderly shutdown (flush collector, then quit)
	OpenFindings   func() // show the Findings view (the "N new findings" line)
}

// maxTrayStatus keeps each status line short enough for every tray.
const maxTrayStatus = 70

// maxTrayStatusLines is how many menu lines the status may take.
const maxTrayStatusLines = 2

// TrayStatusLine is the whole status text of the tray menu, before it is
// wrapped into lines: "AuditLight: Action needed — The client secret…".
func TrayStatusLine(s health.Status, paused bool) string {
	paused = paused || s.Paused
	line := "AuditLight: " + statusTitle(s, paused)
	if s.Reason != "" && s.State != health.Healthy && statusTitle(s, paused) != "Paused" {
		line += " — " + s.Reason
	}
	return line
}

// TrayStatusLines wraps the status into at most two lines of at most
// maxTrayStatus runes, breaking between words; text that does not fit ends
// with "…" after a whole word.
func TrayStatusLines(s health.Status, paused bool) []string {
	return wrapWords(TrayStatusLine(s, paused), maxTrayStatus, maxTrayStatusLines)
}

// TrayTooltip is the text shown when the pointer rests on the tray icon.
func TrayTooltip(s health.Status, paused bool) string {
	t := "AuditLight — " + statusTitle(s, paused || s.Paused)
	if s.Reason != "" {
		t += "\n" + s.Reason
	}
	return t
}

// wrapWords breaks text into at most maxLines lines of at most width runes
// at spaces; a cut-off last line ends with "…". A single word longer than
// width is cut.
func wrapWords(text string, width, maxLines int) []string {
	var words []string
	for _, w := range strings.Fields(text) {
		for r := []rune(w); len(r) > 0; { // an over-long word is cut (no better place)
			n := min(len(r), width-1)
			words = append(words, string(r[:n]))
			r = r[n:]
		}
	}
	var lines []string
	cur := ""
	for i, w := range words {
		cand := w
		if cur != "" {
			cand = cur + " " + w
		}
		if len([]rune(cand)) <= width {
			cur = cand
			continue
		}
		lines = append(lines, cur)
		cur = w
		if len(lines) == maxLines {
			last := lines[maxLines-1]
			if cur != "" || i < len(words)-1 {
				last = strings.TrimSuffix(last, "…")
				for len([]rune(last))+1 > width {
					if sp := strings.LastIndexByte(last, ' '); sp > 0 {
						last = last[:sp]
					} else {
						last = string([]rune(last)[:width-1])
					}
				}
				last += "…"
			}
			lines[maxLines-1] = last
			return lines
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// BuildTrayMenu builds the tray menu for a status: the disabled status
// lines, Open AuditLight, Test connection, Pause/Resume collection (disabled
// until a tenant is set up) and Quit (marked IsQuit so Fyne does not add its
// own). It is pure, so tests call the actions directly; TraySync decides
// when it is sent to the tray.
func BuildTrayMenu(status health.Status, paused bool, actions TrayActions) *fyne.Menu {
	var items []*fyne.MenuItem
	for _, l := range TrayStatusLines(status, paused) {
		it := fyne.NewMenuItem(l, nil)
		it.Disabled = true
		items = append(items, it)
	}
	item := func(label string, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Disabled = f == nil
		return it
	}
	pauseLabel := "Pause collection"
	if paused || status.Paused {
		pauseLabel = "Resume collection"
	}
	pause := item(pauseLabel, actions.PauseResume)
	if !paused && !status.Paused && !status.Collecting() {
		pause.Disabled = true // nothing to pause: not set up, or the collector does not run
	}
	quit := item("Quit", actions.Quit)
	quit.IsQuit = true
	quit.Disabled = false
	items = append(items,
		fyne.NewMenuItemSeparator(),
		item("Open AuditLight", actions.Open),
		item("Test connection", actions.TestConnection),
		pause,
		fyne.NewMenuItemSeparator(),
		quit,
	)
	return fyne.NewMenu("AuditLight", items...)
}

// menuLayout is what a tray host sees of a menu: labels and enabled state.
func menuLayout(m *fyne.Menu) string {
	var b strings.Builder
	for _, it := range m.Items {
		switch {
		case it.IsSeparator:
			b.WriteString("---")
		case it.Disabled:
			b.WriteString("(" + it.Label + ")")
		default:
			b.WriteString(it.Label)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TraySync pushes statuses to the system tray, re-sending the icon, the
// menu and the tooltip only when they change: each menu send makes the tray
// host re-read the whole layout over D-Bus, and backfill publishes statuses
// several times a second. Use it on the Fyne goroutine.
type TraySync struct {
	// Icon returns the tray image for a state (with a glyph per state).
	Icon func(health.State) fyne.Resource
	// BadgedIcon is Icon with the findings badge (see SetFindings); nil
	// never badges.
	BadgedIcon func(health.State) fyne.Resource
	// SetIcon, SetMenu and SetTooltip send to the tray; nil skips that part.
	SetIcon    func(fyne.Resource)
	SetMenu    func(*fyne.Menu)
	SetTooltip func(string)
	// Actions are the menu callbacks.
	Actions TrayActions

	sent      bool
	icon      health.State
	layout    string
	tooltip   string
	lastMenu  *fyne.Menu
	menuSends int
	trayFindings
}

// Apply shows s in the tray.
func (t *TraySync) Apply(s health.Status) {
	paused := s.Paused
	badge := t.badged()
	if t.SetIcon != nil && t.Icon != nil && (!t.sent || s.State != t.icon || badge != t.shownBadge) {
		t.SetIcon(t.iconFor(s.State, badge))
	}
	m := withFindingsLine(BuildTrayMenu(s, paused, t.Actions), t.summary, t.Actions.OpenFindings)
	if layout := menuLayout(m); t.SetMenu != nil && (!t.sent || layout != t.layout) {
		t.SetMenu(m)
		t.layout, t.lastMenu = layout, m
		t.menuSends++
	}
	if tip := TrayTooltip(s, paused); t.SetTooltip != nil && (!t.sent || tip != t.tooltip) {
		t.SetTooltip(tip)
		t.tooltip = tip
	}
	t.sent, t.icon, t.shownBadge, t.lastStatus = true, s.State, badge, s
}

// Menu returns the menu last sent to the tray (nil before the first).
func (t *TraySync) Menu() *fyne.Menu { return t.lastMenu }
