package detect

import (
	"fmt"
	"runtime"
	"slices"
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
	held := heldSignals(h.eng)
	// Within 26 h + a timespan of the newest: ~1,600 a correlation; the
	// sweep runs every 4,096 signals, so up to that many more.
	if limit := 2*1600 + sweepEvery; held > limit {
		t.Fatalf("%d signals held after a week of %d failures, want at most %d", held, n, limit)
	}
}

// TestHeldSignalsStaySmall: within the lateness every successful sign-in,
// failed sign-in and download of a busy day is held by a correlation (26 h
// of a 715-user tenant is ~100,000 of them during a 1 M-record drain). Each
// must cost a few hundred bytes — the fields the correlations read — not the
// record's whole map of fields (~1 KB each: the drain's heap held 70 MB of
// them at 1 M records).
func TestHeldSignalsStaySmall(t *testing.T) {
	h := newHarness(t, "")
	const users, perUser = 100, 60 // 6,000 records over 20 hours
	batch := make([][]byte, 0, 500)
	for i := range users * perUser {
		u, at := user(i%users), t0.Add(time.Duration(i)*12*time.Second)
		id := fmt.Sprintf("%08d-1c2b-4a5e-9d3f-7b6a5c4d3e2f", i)
		var raw []byte
		switch i % 3 {
		case 0:
			raw = signIn(id, u, fmt.Sprintf("73.1.%d.%d", i/250%250, i%250), at, "")
		case 1:
			raw = signIn(id, u, fmt.Sprintf("81.2.%d.%d", i/250%250, i%250), at, "50126")
		default:
			raw = rec(map[string]any{"Id": id, "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "FileDownloaded",
				"RecordType": 6, "Workload": "SharePoint", "UserId": u, "ClientIP": "73.1.2.3", "UserAgent": "Mozilla/5.0",
				"ObjectId": fmt.Sprintf("https://northwind.sharepoint.com/sites/finance/Shared Documents/report-%d.xlsx", i),
				"SiteUrl":  "https://northwind.sharepoint.com/sites/finance/", "SourceFileName": fmt.Sprintf("report-%d.xlsx", i)}, nil)
		}
		batch = append(batch, raw)
		if len(batch) == cap(batch) {
			h.process(true, batch...)
			batch = batch[:0]
		}
	}
	held := heldSignals(h.eng)
	if held < users*perUser {
		t.Fatalf("only %d signals held of %d records within the lateness; the test no longer measures what it should", held, users*perUser)
	}
	withState := liveHeap()
	h.eng.mu.Lock()
	h.eng.corr = map[*Rule]map[string]*group{}
	h.eng.mu.Unlock()
	perSignal := (withState - liveHeap()) / uint64(held)
	t.Logf("%d signals held, %d bytes each", held, perSignal)
	if perSignal > 500 {
		t.Errorf("each held signal costs %d bytes of heap, want at most 500", perSignal)
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// heldSignals counts the signals e's correlation groups hold.
func heldSignals(e *Engine) int {
	held := 0
	for _, groups := range e.corr {
		for _, g := range groups {
			held += len(g.sigs)
		}
	}
	return held
}

// TestSweepFollowsEachCorrelationsOwnRecords: content types are collected
// side by side, so a backfill's downloads can run days ahead of its
// sign-ins. A spray whose sign-ins are split around 4,100 downloads two to
// five days later is still found whole: the sweep keeps each correlation's
// signals by the newest record of that correlation, not of any.
func TestSweepFollowsEachCorrelationsOwnRecords(t *testing.T) {
	const ip = "95.165.12.77"
	spray := failures("sp", ip, t0, 12, 30*time.Second)
	downloads := make([][]byte, 0, sweepEvery+10)
	for i := range cap(downloads) {
		downloads = append(downloads, rec(map[string]any{"Id": fmt.Sprintf("dl-%d", i),
			"CreationTime": t0.Add(48*time.Hour + time.Duration(i)*time.Minute).Format("2006-01-02T15:04:05"),
			"Operation":    "FileDownloaded", "RecordType": 6, "Workload": "SharePoint", "UserId": "ana@" + tenantDomain,
			"ClientIP": "81.2.3.4", "ObjectId": fmt.Sprintf("https://x/f%d.docx", i)}, nil))
	}
	tests := []struct {
		name  string
		order [][][]byte // the blobs, in the order they arrive
	}{
		{"sign-ins first", [][][]byte{spray, downloads}},
		{"downloads between the sign-ins", [][][]byte{spray[:6], downloads, spray[6:]}},
	}
	var want []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			for _, blob := range tt.order {
				h.process(true, blob...)
			}
			if n := len(h.byRule(ruleSpray)); n != 1 {
				t.Fatalf("%d spray findings, want 1", n)
			}
			got := canonicalFindings(t, h.st)
			if want == nil {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v", got, want)
			}
		})
	}
}
