package detect

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/store"
)

// benchStream builds n records of a small tenant's ordinary day (the mix of
// operations the simulator's healthy scenario produces: mostly mailbox and
// file activity, sign-ins, some inbox rules and mailbox changes), spread
// over 50 users and 7 days. Nothing in it is an attack.
func benchStream(b *testing.B, h *harness, n int) []store.Event {
	b.Helper()
	mix := []struct {
		share int
		mk    func(i int, at time.Time, u string) []byte
	}{
		{30, func(i int, at time.Time, u string) []byte {
			return rec(map[string]any{"Id": "b", "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "MailItemsAccessed", "RecordType": 50,
				"Workload": "Exchange", "UserId": u, "ClientIP": "73.1.2.3", "OperationProperties": params("MailAccessType", "Bind", "IsThrottled", "False"),
				"Folders": []map[string]any{{"Path": "\\Inbox", "FolderItems": []map[string]string{{"InternetMessageId": "<a@b>"}}}}}, nil)
		}},
		{20, func(i int, at time.Time, u string) []byte {
			return rec(map[string]any{"Id": "b", "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "FileAccessed", "RecordType": 6,
				"Workload": "SharePoint", "UserId": u, "ClientIP": "73.1.2.3", "ObjectId": "https://northwind.sharepoint.com/sites/x/doc.docx",
				"SiteUrl": "https://northwind.sharepoint.com/sites/x/", "SourceFileName": "doc.docx", "UserAgent": "Mozilla/5.0"}, nil)
		}},
		{10, func(i int, at time.Time, u string) []byte {
			return rec(map[string]any{"Id": "b", "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "FileDownloaded", "RecordType": 6,
				"Workload": "SharePoint", "UserId": u, "ClientIP": "73.1.2.3", "ObjectId": fmt.Sprintf("https://northwind.sharepoint.com/sites/x/f%d.xlsx", i)}, nil)
		}},
		{10, func(i int, at time.Time, u string) []byte { return signIn("b", u, "73.1.2.3", at, "") }},
		{3, func(i int, at time.Time, u string) []byte { return signIn("b", u, "73.1.2.3", at, "50126") }},
		{20, func(i int, at time.Time, u string) []byte {
			return rec(map[string]any{"Id": "b", "CreationTime": at.Format("2006-01-02T15:04:05"), "Operation": "Send", "RecordType": 2,
				"Workload": "Exchange", "UserId": u, "ClientIP": "73.1.2.3", "Item": map[string]any{"Subject": "Quote", "ParentFolder": map[string]string{"Path": "\\Sent Items"}}}, nil)
		}},
		{4, func(i int, at time.Time, u string) []byte {
			e := exo("b", "New-InboxRule", at, params("Name", "News", "MoveToFolder", "Newsletters", "StopProcessingRules", "True"))
			e["UserId"] = u
			return rec(e, nil)
		}},
		{3, func(i int, at time.Time, u string) []byte {
			return rec(exo("b", "Set-Mailbox", at, params("Identity", u, "HiddenFromAddressListsEnabled", "False")), nil)
		}},
	}
	var wheel []int
	for k, m := range mix {
		for range m.share {
			wheel = append(wheel, k)
		}
	}
	evs := make([]store.Event, n)
	step := 7 * 24 * time.Hour / time.Duration(n)
	for i := range evs {
		at := t0.Add(time.Duration(i) * step)
		u := fmt.Sprintf("user%02d@%s", i%50, tenantDomain)
		evs[i] = h.event(mix[wheel[(i*7919)%len(wheel)]].mk(i, at, u))
		evs[i].ID = fmt.Sprintf("rec-%08d", i)
	}
	return evs
}

// BenchmarkProcess measures rule evaluation (the whole pack, enrichment,
// correlation state and the store look-ups a match causes) on one core.
// The reference target is 100,000 records/s on one core (BENCHMARKS.md);
// records/cpu-s is the load-independent figure.
//
//	go test -run '^$' -bench Process -cpu 1 ./collector/detect/
func BenchmarkProcess(b *testing.B) {
	ctx := context.Background()
	h := newHarness(b, "")
	const n = 50000
	evs := benchStream(b, h, n)
	cycle := 0
	b.ResetTimer()
	cpu0 := processCPU()
	done := 0
	for done < b.N {
		chunk := evs[:min(len(evs), b.N-done)]
		if err := h.eng.Process(ctx, chunk, false); err != nil {
			b.Fatal(err)
		}
		done += len(chunk)
		b.StopTimer()
		cycle++
		for i := range evs { // the next week: new ids, later times
			evs[i].ID = fmt.Sprintf("rec-%d-%08d", cycle, i)
			evs[i].CreationTime = evs[i].CreationTime.Add(7 * 24 * time.Hour)
		}
		b.StartTimer()
	}
	b.StopTimer()
	cpu := processCPU() - cpu0 // includes the untimed renumbering: an upper bound
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	if cpu > 0 {
		// CPU time is what "one core" means on a shared machine where wall
		// time depends on everyone else's load.
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "records/cpu-s")
	}
	if fs := h.findings(); len(fs) > 0 {
		for _, f := range fs {
			if f.Severity >= 2 {
				b.Errorf("ordinary activity raised %s: %s", f.RuleTitle, f.What)
			}
		}
	}
}
