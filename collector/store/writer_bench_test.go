package store

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// drainGroup builds one group commit shaped like a backfill's (issue 12,
// scripts/drain.sh at 200 users): blobs of perBlob records from 203 users,
// 32 operations, 8 workloads and ~10,000 client IPs, whose creation times
// fall in a few regions of the 7-day window (the collector fetches several
// windows and content types at once). Group g's records never repeat
// another group's. The records are packed as CommitBlob does, so only the
// writer's work remains.
func drainGroup(ctx context.Context, s *Store, g, blobs, perBlob int) []*commitReq {
	cts := []string{"Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General"}
	end := time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)
	reqs := make([]*commitReq, 0, blobs)
	for b := 0; b < blobs; b++ {
		ct := cts[b%len(cts)]
		// Four time regions per group, moving through the week group by group.
		region := end.Add(-time.Duration((g*4+b%4)*37%(7*24)) * time.Hour)
		evs := make([]Event, perBlob)
		for i := range evs {
			n := (g*blobs+b)*perBlob + i
			id := fmt.Sprintf("%08x-%04x-4000-8000-%012d", uint32(n*2654435761), n%65536, n)
			evs[i] = Event{
				ID: id, Workload: []string{"AzureActiveDirectory", "Exchange", "SharePoint", "OneDrive",
					"MicrosoftTeams", "SecurityComplianceCenter", "PowerBI", "Yammer"}[n%8],
				Operation:    fmt.Sprintf("Operation%02d", (n*7)%32),
				UserID:       fmt.Sprintf("user%03d.surname@northwind-lab.onmicrosoft.com", (n*13)%203),
				ClientIP:     fmt.Sprintf("203.0.%d.%d", (n/256)%40, n%256),
				Result:       []string{"Succeeded", "Failed", ""}[n%3],
				ResultStatus: "Succeeded",
				ObjectID:     fmt.Sprintf("https://northwindlab.sharepoint.com/sites/Finance/Shared Documents/report-%d.xlsx", n%20000),
				RecordType:   n % 60, CreationTime: region.Add(-time.Duration(i) * 3 * time.Second),
			}
			evs[i].Raw = json.RawMessage(fmt.Sprintf(`{"CreationTime":%q,"Id":%q,"Operation":%q,"UserId":%q,"ClientIP":%q,"ObjectId":%q,"Workload":%q,"RecordType":%d,"ResultStatus":"Succeeded","OrganizationId":"4f1c2d3e-0000-4000-8000-000000000001","UserType":0,"Version":1}`,
				evs[i].CreationTime.Format("2006-01-02T15:04:05"), id, evs[i].Operation, evs[i].UserID, evs[i].ClientIP, evs[i].ObjectID, evs[i].Workload, evs[i].RecordType))
		}
		blob := Blob{ContentType: ct, ContentID: fmt.Sprintf("20260909%06d$%s$%d", g, ct, b), Created: region, Expiration: region.Add(7 * 24 * time.Hour)}
		packed, err := s.pack(ctx, blob, evs)
		if err != nil {
			panic(err)
		}
		reqs = append(reqs, &commitReq{ctx: ctx, blob: blob, evs: evs, packed: packed, done: make(chan struct{})})
	}
	return reqs
}

// BenchmarkWriterDrain measures the serial writer alone (commitTx) on
// drain-shaped group commits of 100 blobs x 30 records into a store that
// already holds 30 such groups (90,000 records): the part of `collect
// --once` that no second core can share. cpu-µs/event is the process's CPU
// per stored record.
func BenchmarkWriterDrain(b *testing.B) {
	ctx := context.Background()
	s, _ := openTest(b, Options{})
	const blobs, perBlob, prefill = 100, 30, 30
	for g := 0; g < prefill; g++ {
		if err := s.commitTx(drainGroup(ctx, s, g, blobs, perBlob)); err != nil {
			b.Fatal(err)
		}
	}
	g, n := prefill, 0
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		reqs := drainGroup(ctx, s, g, blobs, perBlob)
		g++
		b.StartTimer()
		c0 := processCPU()
		if err := s.commitTx(reqs); err != nil {
			b.Fatal(err)
		}
		cpu += processCPU() - c0
		for _, r := range reqs {
			n += r.inserted
		}
	}
	if n != b.N*blobs*perBlob {
		b.Fatalf("stored %d records, want %d", n, b.N*blobs*perBlob)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/event")
}
