package findings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// fakeSource is an in-memory Source. Safe for concurrent use.
type fakeSource struct {
	mu       sync.Mutex
	fs       []finding.Finding // newest first
	allowed  []finding.Entry
	setErr   error
	filters  []finding.Filter
	statuses []finding.Status
}

func (s *fakeSource) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.filters = append(s.filters, f)
	var out []finding.Finding
	for _, x := range s.fs {
		if len(f.Statuses) == 0 || slices.Contains(f.Statuses, x.Status) {
			x.Evidence = nil // lists leave evidence empty, as the store does
			out = append(out, x)
		}
	}
	return out, nil
}

func (s *fakeSource) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.fs {
		if x.ID == id {
			return x, nil
		}
	}
	return finding.Finding{}, fmt.Errorf("finding %d: %w", id, errors.New("not found"))
}

func (s *fakeSource) SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (finding.Finding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.setErr != nil {
		return finding.Finding{}, s.setErr
	}
	s.statuses = append(s.statuses, st)
	if allow != nil {
		s.allowed = append(s.allowed, *allow)
	}
	for i := range s.fs {
		if s.fs[i].ID == id {
			s.fs[i].Status = st
			if allow != nil {
				s.fs[i].Note = allow.Note
			}
			return s.fs[i], nil
		}
	}
	return finding.Finding{}, errors.New("not found")
}

func (s *fakeSource) status(id int64) finding.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.fs {
		if x.ID == id {
			return x.Status
		}
	}
	return ""
}

// sampleFindings are three findings: a forwarding rule (new, high, with an
// allow value), a spray (acknowledged, medium, repeated) and a resolved one.
func sampleFindings() []finding.Finding {
	return []finding.Finding{
		{ID: 3, RuleID: "fwd", RuleTitle: "External forwarding inbox rule", Key: "anna@contoso.example", Severity: finding.High,
			Status: finding.StatusNew, FirstSeen: testNow.Add(-2 * time.Hour), LastSeen: testNow.Add(-2 * time.Hour), Count: 1,
			Evidence: []string{"rec-fwd-1"}, EvidenceCount: 1,
			What:      "Anna's mailbox got an inbox rule that forwards every message to partner.example.",
			Why:       "Attackers who steal a password add such rules (Settings → Mail → Rules) to keep reading mail after the password is reset.",
			Steps:     []finding.Step{{Text: "Remove the rule: Settings → Mail → Rules.", Link: "https://admin.exchange.microsoft.com/#/mailboxes"}, {Text: "Reset Anna's password."}},
			AllowKind: "forwarding domain", AllowValues: []string{"partner.example"}},
		{ID: 2, RuleID: "spray", RuleTitle: "Password spray", Key: "203.0.113.7", Severity: finding.Medium,
			Status: finding.StatusAcknowledged, FirstSeen: testNow.Add(-26 * time.Hour), LastSeen: testNow.Add(-25 * time.Hour), Count: 4,
			Evidence: []string{"s1", "s2", "s3"}, EvidenceCount: 3, What: "Failed sign-ins for 12 users from one IP.", Why: "Spray.",
			AllowKind: "IP address", AllowValues: []string{"203.0.113.7"}},
		{ID: 1, RuleID: "mfa", RuleTitle: "MFA method removed", Key: "bob@contoso.example", Severity: finding.Low,
			Status: finding.StatusResolved, FirstSeen: testNow.Add(-72 * time.Hour), LastSeen: testNow.Add(-72 * time.Hour), Count: 1,
			Evidence: []string{"m1"}, EvidenceCount: 1, What: "Bob removed his phone.", Why: "Could be an attacker."},
	}
}
