package auditrec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchBlob builds a 1,000-record blob from the reference samples with unique Ids.
func benchBlob(b *testing.B) []byte {
	b.Helper()
	sample, err := os.ReadFile(filepath.Join("testdata", "samples-blob.json"))
	if err != nil {
		b.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(sample, &recs); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := 0; i < 1000; i++ {
		r := recs[i%len(recs)]
		r["Id"] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		enc, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(enc)
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// BenchmarkParseBlobAndRecords is the collector's per-blob parsing cost:
// split a 1,000-record blob and parse every record.
func BenchmarkParseBlobAndRecords(b *testing.B) {
	body := benchBlob(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		raws, err := ParseBlob(body)
		if err != nil {
			b.Fatal(err)
		}
		for _, raw := range raws {
			if _, err := Parse(raw); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkParse measures Parse alone on the reference records.
func BenchmarkParse(b *testing.B) {
	raws, err := ParseBlob(benchBlob(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Parse(raws[i%len(raws)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkStdlibBaseline is the same work done with encoding/json, kept to
// show why Parse has its own scanner.
func BenchmarkStdlibBaseline(b *testing.B) {
	body := benchBlob(b)
	b.SetBytes(int64(len(body)))
	n := 0
	for b.Loop() {
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			b.Fatal(err)
		}
		for _, raw := range raws {
			var v struct {
				Id, CreationTime, Operation, Workload, UserId, UserKey, ClientIP, ResultStatus, ObjectId, OrganizationId string
				RecordType, UserType                                                                                     json.Number
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
