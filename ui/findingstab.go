package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/findings"
)

// evidencePages caps how many feed pages the evidence lookup reads for one
// finding (a finding's records all lie within its first/last seen span).
const evidencePages = 20

// evidenceLoader returns the Findings view's evidence loader: it reads the
// stored events of the finding's time span and keeps its evidence records.
func evidenceLoader(b Backend) func(ctx context.Context, f finding.Finding) ([]findings.Record, error) {
	return func(ctx context.Context, f finding.Finding) ([]findings.Record, error) {
		want := make(map[string]bool, len(f.Evidence))
		for _, id := range f.Evidence {
			want[id] = true
		}
		filter := events.Filter{Since: f.FirstSeen, Until: f.LastSeen.Add(time.Second), Limit: 500}
		var out []findings.Record
		for page := 0; page < evidencePages && len(out) < len(want); page++ {
			rows, err := b.Events(ctx, filter)
			if err != nil {
				return out, fmt.Errorf("reading evidence records: %w", err)
			}
			for _, r := range rows {
				if want[r.ID] {
					user := r.User
					if r.UserDisplay != "" {
						user = r.UserDisplay + " (" + r.User + ")"
					}
					out = append(out, findings.Record{ID: r.ID, Time: r.Time, User: user, Operation: r.Operation,
						ClientIP: r.ClientIP, Result: r.Result})
				}
			}
			if len(rows) < filter.Limit {
				break
			}
			filter.Before = rows[len(rows)-1].Position()
		}
		// oldest first, like the finding's evidence
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out, nil
	}
}

// ShowFindings shows the Findings tab with the new findings.
func (m *MainWindow) ShowFindings() {
	m.ShowDashboard()
	m.tabs.Select(m.findingsTab)
	m.Findings.SetScope(findings.ScopeNew)
}

// ShowFindingInEvents opens the Events tab on the records of f (its
// evidence), with a line naming the finding and a Clear button back to the
// normal feed: the findings detail's "Show in Events".
func (m *MainWindow) ShowFindingInEvents(f finding.Finding) {
	m.ShowDashboard()
	m.tabs.Select(m.eventsTab)
	m.Feed.ShowRecords(f.Title(), f.Evidence, f.EvidenceCount, f.FirstSeen, f.LastSeen)
}

// Summary returns the findings summary last loaded.
func (m *MainWindow) Summary() finding.Summary { return m.summary }

// ReloadFindings re-reads the findings summary (dashboard line, tray badge)
// in the background and, when the Findings tab is shown, its list.
func (m *MainWindow) ReloadFindings() {
	if m.built {
		if m.tabs.Selected() == m.findingsTab {
			m.Findings.Reload()
		} else {
			m.Findings.Outdated() // reloaded, saying so, when its tab is shown
		}
	}
	go func() {
		s, err := m.b.FindingSummary(m.ctx)
		if err != nil {
			m.opts.logger().Warn("loading the findings summary", "err", err)
			return
		}
		openMedium, err := m.b.Findings(m.ctx, finding.Filter{
			Statuses:    []finding.Status{finding.StatusNew, finding.StatusAcknowledged},
			MinSeverity: finding.Medium, Limit: 1,
		})
		if err != nil {
			m.opts.logger().Warn("loading open findings for the tray badge", "err", err)
		}
		m.opts.do(func() {
			m.summary, m.hasSummary = s, true
			if m.built {
				m.Dashboard.SetFindingSummary(s)
			}
			if m.opts.OnFindings != nil {
				m.opts.OnFindings(s, len(openMedium) > 0)
			}
		})
	}()
}

// walkerOf returns the detection test's machine getter (nil before the
// first connection, never a typed nil).
func walkerOf(b Backend) func() findings.Walker {
	return func() findings.Walker {
		if m := b.Walkthrough(); m != nil {
			return m
		}
		return nil
	}
}

// SelectTab shows the named tab: "status", "findings", "events" or "tests"
// (the --tab flag).
func (m *MainWindow) SelectTab(name string) error {
	m.build()
	for _, it := range m.tabs.Items() {
		if tabName(it.Text) == strings.ToLower(strings.TrimSpace(name)) {
			if it == m.findingsTab {
				m.ShowFindings()
				return nil
			}
			m.ShowDashboard()
			m.tabs.Select(it)
			return nil
		}
	}
	return fmt.Errorf("no tab %q (want status, findings, events or tests)", name)
}

// tabName is a tab's --tab name: its first word in lower case, "test" as "tests".
func tabName(text string) string {
	w := strings.ToLower(strings.Fields(text + " x")[0])
	if w == "test" {
		return "tests"
	}
	return w
}
