package collector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestLocalClockFastIsNamedAndCountsStay: this computer's clock is 8 days
// ahead of Microsoft's. The status says so (not "8 days behind Microsoft"),
// the 24-hour counts are not zeroed, and nothing is missed.
func TestLocalClockFastIsNamedAndCountsStay(t *testing.T) {
	r := newRig(t, simulator.Config{Seed: 91, Users: 3, RecordsPerUserDay: 50,
		Faults: &simulator.Faults{ClockSkew: -8 * 24 * time.Hour}}, collector.Options{})
	if err := r.coll.Drain(context.Background()); err != nil {
		t.Fatalf("drain: %v", err)
	}
	st, _ := r.coll.Status()
	if !strings.Contains(st.Reason, "clock is 8 days fast") {
		t.Fatalf("reason %q does not name the fast clock", st.Reason)
	}
	var n24 int64
	for _, w := range st.Workloads {
		n24 += w.Records24h
		if w.Lag > time.Hour {
			t.Errorf("%s: lag %v (the skew read as lag)", w.Name, w.Lag)
		}
	}
	if n24 == 0 {
		t.Fatalf("24-hour counts are all 0 although records of the last 24 hours were stored")
	}
	if missing, extra := r.compare(t); missing != 0 || extra != 0 {
		t.Fatalf("missing %d, extra %d", missing, extra)
	}
}
