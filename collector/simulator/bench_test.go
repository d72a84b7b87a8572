package simulator

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// BenchmarkRenderBlob measures record generation alone (records/s reported).
func BenchmarkRenderBlob(b *testing.B) {
	s, _ := startSim(b, Config{Seed: 50, Users: 715})
	f := Faults{}
	var buf []byte
	records := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c, k := i%auditgen.NumContentTypes, int64(1000+i/auditgen.NumContentTypes)
		buf = s.gen.AppendBlob(buf[:0], c, k, &f, time.Time{})
		records += s.gen.Size(c, k)
		b.SetBytes(int64(len(buf)))
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkServeBlob measures blob GETs end to end over TLS (records/s reported).
// The per-tenant budget is lifted: at this rate the real 2,000 requests/minute
// quota would throttle.
func BenchmarkServeBlob(b *testing.B) {
	s, _ := startSim(b, Config{Seed: 50, Users: 715, Faults: &Faults{RequestsPerMinute: 1 << 30}})
	tok := token(b, s, apiScope)
	startAll(b, s, tok)
	items, _ := listAll(b, s, tok, ContentSharePoint, s.Now().Add(-24*time.Hour), s.Now())
	if len(items) == 0 {
		b.Fatal("no content")
	}
	client := s.Client()
	records := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest(http.MethodGet, items[i%len(items)].ContentURI+"?PublisherIdentifier="+s.Tenant().ID, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		b.SetBytes(n)
	}
	records = s.Stats().RecordsServed
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkStart is the simulator's own share of `auditlight --demo`'s
// launch to green (keys, certificates, listener; issue 12).
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		s, err := Start(context.Background(), Config{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
