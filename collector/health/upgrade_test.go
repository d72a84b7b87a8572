package health

import (
	"strings"
	"testing"
	"time"
)

// TestStoreUpgradeIsAmberWithProgress: while the event store is upgraded
// nothing is collected, so the light is not green however fresh the last
// poll; the reason says how far the upgrade got, the fix that nothing needs
// doing, and no button is offered.
func TestStoreUpgradeIsAmberWithProgress(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	fresh := Inputs{Configured: true, SubscribedAt: now.Add(-48 * time.Hour), LastPoll: now.Add(-time.Minute),
		Workloads: []WorkloadInput{{ContentType: "Audit.Exchange", Subscribed: true, LastRecord: now.Add(-10 * time.Minute),
			LastContent: now.Add(-10 * time.Minute), Cursor: now.Add(-time.Minute), LastSuccess: now.Add(-time.Minute)}}}
	if st := Evaluate(fresh, now, Thresholds{}); st.State != Healthy {
		t.Fatalf("the same inputs without an upgrade are %v (%s), want healthy", st.State, st.Reason)
	}
	tests := []struct {
		name string
		u    StoreUpgrade
		want string
	}{
		{"counting", StoreUpgrade{}, "Upgrading the event store, once for this version of AuditLight; collection starts after it."},
		{"copying", StoreUpgrade{Done: 450_000, Total: 1_006_680},
			"Upgrading the event store: 44 % (450,000 of 1,006,680 records), once for this version of AuditLight; collection starts after it."},
		{"finishing", StoreUpgrade{Done: 1_006_680, Total: 1_006_680, Finishing: true},
			"Upgrading the event store: all 1,006,680 records copied, rebuilding its indexes; collection starts after it."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := fresh
			in.StoreUpgrade = &tc.u
			st := Evaluate(in, now, Thresholds{})
			if st.State != Degraded || st.Action != ActionNone {
				t.Errorf("state %v action %q, want degraded (amber) with no action", st.State, st.Action)
			}
			if st.Reason != tc.want {
				t.Errorf("reason %q, want %q", st.Reason, tc.want)
			}
			if !strings.HasPrefix(st.Fix, "Nothing to do") || st.StoreUpgrade == nil || *st.StoreUpgrade != tc.u {
				t.Errorf("fix %q, upgrade %+v", st.Fix, st.StoreUpgrade)
			}
		})
	}
}
