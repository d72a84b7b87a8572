package ui

import (
	"slices"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
)

// trayFindings is TraySync's findings state: the summary for the menu line
// and whether open findings of medium or higher severity badge the icon.
type trayFindings struct {
	summary    finding.Summary
	badge      bool // open medium+ findings exist
	shownBadge bool // the icon last sent has the badge
	lastStatus health.Status
}

// badged reports whether the icon should carry the findings badge.
func (t *TraySync) badged() bool { return t.badge && t.BadgedIcon != nil }

// iconFor picks the plain or the badged light.
func (t *TraySync) iconFor(s health.State, badge bool) fyne.Resource {
	if badge {
		return t.BadgedIcon(s)
	}
	return t.Icon(s)
}

// SetFindings updates the tray for a findings summary: openMedium reports
// whether open (new or acknowledged) findings of medium or higher severity
// exist, which badges the icon; new findings add the line "N new findings —
// open" to the menu. It re-applies the last status (only what changed is
// sent). Use it on the Fyne goroutine.
func (t *TraySync) SetFindings(s finding.Summary, openMedium bool) {
	t.summary, t.badge = s, openMedium
	if t.sent {
		t.Apply(t.lastStatus)
	}
}

// Badged reports whether the icon last sent carries the findings badge.
func (t *TraySync) Badged() bool { return t.shownBadge }

// FindingsMenuLine is the tray menu's findings line ("" when nothing is
// new): "3 new findings — open".
func FindingsMenuLine(s finding.Summary) string {
	if s.New == 0 {
		return ""
	}
	return NewFindingsText(s) + " — open"
}

// withFindingsLine inserts the findings line after the status lines of m
// (before the first separator). open nil leaves it disabled.
func withFindingsLine(m *fyne.Menu, s finding.Summary, open func()) *fyne.Menu {
	label := FindingsMenuLine(s)
	if label == "" {
		return m
	}
	it := fyne.NewMenuItem(label, open)
	it.Disabled = open == nil
	at := slices.IndexFunc(m.Items, func(i *fyne.MenuItem) bool { return i.IsSeparator })
	if at < 0 {
		at = len(m.Items)
	}
	m.Items = slices.Insert(m.Items, at, it)
	return m
}
