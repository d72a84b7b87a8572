package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/findings"
)

func fwdFinding(id int64, sev finding.Severity, st finding.Status) finding.Finding {
	return finding.Finding{ID: id, RuleID: "fwd", RuleTitle: "External forwarding inbox rule", Key: "anna@contoso.example",
		Severity: sev, Status: st, FirstSeen: feedNow.Add(-time.Hour), LastSeen: feedNow.Add(-time.Hour), Count: 1,
		DetectedAt: feedNow, Evidence: []string{"e1"}, EvidenceCount: 1, What: "forwards to partner.example", Why: "attackers do it"}
}

// Collection health and tenant safety are two answers: a green light with
// a new high finding must not read "all fine".
func TestDashboardSafetyLineIsSeparateFromTheLight(t *testing.T) {
	tests := []struct {
		name     string
		findings []finding.Finding
		want     string
		imp      widget.Importance
	}{
		{"nothing", nil, "no findings need your attention", widget.SuccessImportance},
		{"new high", []finding.Finding{fwdFinding(1, finding.High, finding.StatusNew)}, "1 new finding (1 high) — review them", widget.DangerImportance},
		{"new medium and acknowledged", []finding.Finding{fwdFinding(2, finding.Medium, finding.StatusNew), fwdFinding(1, finding.High, finding.StatusAcknowledged)},
			"1 new finding — review them", widget.WarningImportance},
		{"only acknowledged", []finding.Finding{fwdFinding(1, finding.High, finding.StatusAcknowledged)}, "no new findings (1 finding acknowledged, still open)", widget.SuccessImportance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newFakeBackend()
			b.setFindings(tt.findings...)
			m, q, _, _ := newTestMainWindow(t, b, nil)
			b.status <- health.Status{State: health.Healthy, Colour: "green", Reason: "Polled 1 minute ago."}
			q.Until(t, "green light and safety line", func() bool {
				return m.Dashboard.Status().State == health.Healthy && strings.Contains(m.Dashboard.SafetyLine(), tt.want)
			})
			if got := m.Dashboard.light.Label(); got != "Collecting" {
				t.Errorf("light title = %q: collection health must stay its own answer", got)
			}
			if m.Dashboard.safety.text.Importance != tt.imp {
				t.Errorf("safety importance = %v, want %v", m.Dashboard.safety.text.Importance, tt.imp)
			}
		})
	}
}

// "Open findings" beside the light opens the Findings tab on new findings,
// and a status change there updates the dashboard line.
func TestDashboardLineOpensFindingsAndFollowsStatus(t *testing.T) {
	b := newFakeBackend()
	b.setFindings(fwdFinding(1, finding.High, finding.StatusNew))
	var badges []bool
	m, q, _, _ := newTestMainWindow(t, b, nil)
	m.opts.OnFindings = func(_ finding.Summary, openMedium bool) { badges = append(badges, openMedium) }
	m.ReloadFindings()
	q.Until(t, "summary", func() bool { return m.Summary().New == 1 && len(badges) == 1 })
	test.Tap(m.Dashboard.safety.open)
	if m.tabs.Selected() != m.findingsTab || m.Findings.Scope() != findings.ScopeNew {
		t.Fatalf("Open findings shows tab %q scope %q", m.tabs.Selected().Text, m.Findings.Scope())
	}
	q.Until(t, "finding shown", func() bool { return m.Findings.Current().ID == 1 })
	m.Findings.Resolve()
	q.Until(t, "line updated", func() bool { return strings.Contains(m.Dashboard.SafetyLine(), "no findings need your attention") })
	if badges[len(badges)-1] {
		t.Error("the tray badge stays after the only finding was resolved")
	}
}

// New events (detections run as records are committed) refresh the line.
func TestNewEventsRefreshFindings(t *testing.T) {
	b := newFakeBackend()
	m, q, _, _ := newTestMainWindow(t, b, nil)
	q.Until(t, "first summary", func() bool { return strings.Contains(m.Dashboard.SafetyLine(), "no findings") })
	b.addFinding(fwdFinding(7, finding.Critical, finding.StatusNew))
	b.ticks <- 3
	q.Until(t, "new finding on the dashboard", func() bool { return strings.Contains(m.Dashboard.SafetyLine(), "1 new finding (1 high)") })
}

func TestTrayBadgeAndFindingsLine(t *testing.T) {
	plain := fyne.NewStaticResource("plain", nil)
	badged := fyne.NewStaticResource("badged", nil)
	tests := []struct {
		name       string
		summary    finding.Summary
		openMedium bool
		wantIcon   fyne.Resource
		wantLine   string // "" = no findings line
	}{
		{"nothing open", finding.Summary{}, false, plain, ""},
		{"new high", finding.Summary{New: 3, NewHigh: 1, Open: 3, Highest: finding.High}, true, badged, "3 new findings — open"},
		{"acknowledged medium only", finding.Summary{Open: 1}, true, badged, ""},
		{"new low only", finding.Summary{New: 1, Open: 1, Highest: finding.Low}, false, plain, "1 new finding — open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var icon fyne.Resource
			var menu *fyne.Menu
			opened := 0
			ts := &TraySync{
				Icon:       func(health.State) fyne.Resource { return plain },
				BadgedIcon: func(health.State) fyne.Resource { return badged },
				SetIcon:    func(r fyne.Resource) { icon = r },
				SetMenu:    func(m *fyne.Menu) { menu = m },
				Actions:    TrayActions{Open: func() {}, OpenFindings: func() { opened++ }},
			}
			ts.Apply(health.Status{State: health.Healthy})
			ts.SetFindings(tt.summary, tt.openMedium)
			if icon != tt.wantIcon {
				t.Errorf("icon = %v, want %v", icon.Name(), tt.wantIcon.Name())
			}
			if ts.Badged() != (tt.wantIcon == badged) {
				t.Errorf("Badged() = %v", ts.Badged())
			}
			var line *fyne.MenuItem
			for i, it := range menu.Items {
				if strings.Contains(it.Label, "new finding") {
					line = it
					if i == 0 || menu.Items[i-1].IsSeparator || !strings.HasPrefix(menu.Items[0].Label, "AuditLight") {
						t.Errorf("the findings line is not right under the status (at %d)", i)
					}
				}
			}
			switch {
			case tt.wantLine == "" && line != nil:
				t.Errorf("unexpected findings line %q", line.Label)
			case tt.wantLine != "" && (line == nil || line.Label != tt.wantLine):
				t.Fatalf("findings line = %v, want %q", line, tt.wantLine)
			case line != nil:
				line.Action()
				if opened != 1 || line.Disabled {
					t.Errorf("the line did not open the findings (disabled=%v)", line.Disabled)
				}
			}
			// a status repaint keeps the badge and the line
			ts.Apply(health.Status{State: health.Degraded, Reason: "Throttled."})
			if (icon == badged) != (tt.wantIcon == badged) {
				t.Error("the badge was lost on a status change")
			}
		})
	}
}

func TestSelectTab(t *testing.T) {
	tests := []struct {
		name, want string
		wantErr    bool
	}{
		{"findings", "Findings", false}, {"Events", "Events", false}, {"tests", "Test detections", false},
		{"status", "Status", false}, {"nope", "Status", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, q, _, _ := newTestMainWindow(t, newFakeBackend(), nil)
			q.Drain()
			err := m.SelectTab(tt.name)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if got := m.tabs.Selected().Text; got != tt.want {
				t.Errorf("tab = %q, want %q", got, tt.want)
			}
		})
	}
}
