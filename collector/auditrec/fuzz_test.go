package auditrec

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func addSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "samples", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed samples: %v", err)
	}
	files = append(files, filepath.Join("testdata", "samples-blob.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`[]`, `[{"Id":"a","RecordType":"15","CreationTime":"2026-09-03T07:41:09Z","ClientIP":"[::1]:80"}]`,
		`{"Id":"a\u0041","CreationTime":"2026-09-03T07:41:09.123+01:00"}`, `[1,"x",null,true,{}]`, `[{"Id":"a"`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzParseBlob checks ParseBlob against encoding/json: it accepts exactly
// the valid JSON arrays and returns the same element bytes.
func FuzzParseBlob(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseBlob(body)
		trimmed := bytes.TrimPrefix(body, []byte(utf8BOM))
		isArray := json.Valid(trimmed) && bytes.TrimLeft(trimmed, " \t\r\n")[0] == '['
		if (err == nil) != isArray {
			t.Fatalf("ParseBlob err = %v, but valid JSON array = %v", err, isArray)
		}
		if err != nil {
			return
		}
		var want []json.RawMessage
		if err := json.Unmarshal(trimmed, &want); err != nil {
			t.Fatalf("encoding/json rejects what ParseBlob accepted: %v", err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d elements, encoding/json finds %d", len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("element %d = %q, encoding/json %q", i, got[i], want[i])
			}
		}
	})
}

// FuzzParse checks that Parse never panics, accepts only valid JSON objects
// with an Id, and agrees with encoding/json on the Id.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		rec, err := Parse(raw)
		if err == nil {
			if !json.Valid(raw) {
				t.Fatalf("Parse accepted invalid JSON")
			}
			if rec.ID == "" {
				t.Fatalf("Parse accepted a record without Id")
			}
			if rec.CreationTime.Location() != time.UTC {
				t.Fatalf("CreationTime not UTC: %v", rec.CreationTime)
			}
			if rec.Result != "" && rec.Result != ResultSuccess && rec.Result != ResultFailure {
				t.Fatalf("Result %q not normalised", rec.Result)
			}
		} else if rec.ID != "" && !rec.CreationTime.IsZero() {
			t.Fatalf("error %v returned with a complete record", err)
		}
		var probe struct{ Id any }
		if json.Valid(raw) && json.Unmarshal(raw, &probe) == nil {
			if id, ok := probe.Id.(string); ok && strings.TrimSpace(id) != "" && rec.ID != "" && rec.ID != strings.TrimSpace(id) {
				t.Fatalf("Id = %q, encoding/json reads %q", rec.ID, id)
			}
		}
	})
}
