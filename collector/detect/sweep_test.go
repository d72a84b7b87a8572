package detect

import (
	"fmt"
	"testing"
	"time"
)

// TestCorrelationStateStaysBounded: a week of sign-in failures, each from an
// IP never seen again (the shape of a busy tenant's noise), leaves only the
// signals a correlation can still use — those within its timespan plus the
// lateness of the newest — not one group per IP for as long as the process
// runs (the drain's heap grew with the records it had seen).
func TestCorrelationStateStaysBounded(t *testing.T) {
	h := newHarness(t, "")
	const n = 7 * 24 * 60 // one a minute for a week
	batch := make([][]byte, 0, 500)
	for i := range n {
		ip := fmt.Sprintf("95.%d.%d.1", 1+i/250, i%250)
		batch = append(batch, signIn(fmt.Sprintf("noise-%d", i), user(1), ip, t0.Add(time.Duration(i)*time.Minute), "50126"))
		if len(batch) == cap(batch) || i == n-1 {
			h.process(true, batch...)
			batch = batch[:0]
		}
	}
	held := 0
	for _, groups := range h.eng.corr {
		for _, g := range groups {
			held += len(g.sigs)
		}
	}
	// Within 26 h + a timespan of the newest: ~1,600 a correlation; the
	// sweep runs every 4,096 signals, so up to that many more.
	if limit := 2*1600 + sweepEvery; held > limit {
		t.Fatalf("%d signals held after a week of %d failures, want at most %d", held, n, limit)
	}
}
