package collector_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/simulator"
)

// BenchmarkDrainBacklog drains a 7-day backlog from the local simulator
// (real HTTPS, real MSAL, real SQLite). The default is ~1,000,000 records
// (715 users × 200 records/day × 7 days); AUDITLIGHT_BENCH_USERS overrides.
// Reported: records/s, blob GETs per blob, and the process's peak RSS (the
// simulator runs in the same process, so RSS is an upper bound).
//
//	go test -run '^$' -bench DrainBacklog -benchtime 1x -timeout 30m ./collector/
func BenchmarkDrainBacklog(b *testing.B) {
	users := benchUsers()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := newRigB(b, simulator.Config{Seed: int64(100 + i), Users: users}, collector.Options{FetchWorkers: 8})
		truth := len(r.sim.GroundTruthSince(r.since))
		b.StartTimer()
		start := time.Now()
		if err := r.coll.Drain(context.Background()); err != nil {
			b.Fatalf("drain: %v", err)
		}
		took := time.Since(start)
		b.StopTimer()
		total, _ := r.store.Total(context.Background())
		if int(total) != truth {
			b.Fatalf("stored %d of %d records", total, truth)
		}
		st := r.sim.Stats()
		blobs := len(st.BlobFetches)
		b.ReportMetric(float64(total)/took.Seconds(), "records/s")
		b.ReportMetric(float64(st.Requests[simulator.KindBlob])/float64(blobs), "GETs/blob")
		b.ReportMetric(float64(st.Requests[simulator.KindContent]), "listings")
		b.ReportMetric(float64(total), "records")
		b.ReportMetric(peakRSSMB(), "peakRSS-MB")
	}
}

// benchUsers is the simulated tenant size of the drain benchmarks: 715 users
// (~1,000,000 records in 7 days) unless AUDITLIGHT_BENCH_USERS says otherwise.
func benchUsers() int {
	if v, err := strconv.Atoi(os.Getenv("AUDITLIGHT_BENCH_USERS")); err == nil && v > 0 {
		return v
	}
	return 715
}

// peakRSSMB reads VmHWM from /proc (Linux); 0 elsewhere.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
