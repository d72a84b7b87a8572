package health

import (
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

// After "Save and keep trying" (audit logging just switched on), audit-off
// is a blue wait for up to 72 hours, then red again; data turns it green by
// itself; other problems keep their colour (issue 10, item 6).
func TestAuditPendingIsABlueWait(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	auditOff := fault.New(fault.AuditOff, "start", "AF20012", "")
	wrongSecret := fault.New(fault.InvalidSecret, "token", "AADSTS7000215", "")
	data := []WorkloadInput{{Name: "Exchange", Subscribed: true, Cursor: now, LastContent: now, LastRecord: now}}
	tests := []struct {
		name   string
		in     Inputs
		want   State
		reason string
	}{
		{"audit off, pending 5 h", Inputs{Configured: true, Err: auditOff, AuditPendingSince: now.Add(-5 * time.Hour)}, WaitingForData, "Waiting for Microsoft to turn on auditing"},
		{"audit off, not pending", Inputs{Configured: true, Err: auditOff}, ActionNeeded, "Unified Audit Logging"},
		{"audit off, pending 73 h", Inputs{Configured: true, Err: auditOff, AuditPendingSince: now.Add(-73 * time.Hour)}, ActionNeeded, "Unified Audit Logging"},
		{"no data yet after 20 h, pending", Inputs{Configured: true, LastPoll: now, SubscribedAt: now.Add(-20 * time.Hour), AuditPendingSince: now.Add(-20 * time.Hour)}, WaitingForData, "can take up to 72 h"},
		{"data arrived", Inputs{Configured: true, LastPoll: now, SubscribedAt: now.Add(-30 * time.Hour), TotalRecords: 10, Workloads: data, AuditPendingSince: now.Add(-30 * time.Hour)}, Healthy, "Online"},
		{"wrong secret stays red", Inputs{Configured: true, Err: wrongSecret, AuditPendingSince: now.Add(-time.Hour)}, ActionNeeded, ""},
	}
	for _, tt := range tests {
		st := Evaluate(tt.in, now, Thresholds{})
		if st.State != tt.want || !strings.Contains(st.Reason, tt.reason) {
			t.Errorf("%s: %s %q, want %s containing %q", tt.name, st.State, st.Reason, tt.want, tt.reason)
		}
	}
}
