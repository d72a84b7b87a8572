package auditrec

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestParseBlob(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("testdata", "samples-blob.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want []json.RawMessage
	if err := json.Unmarshal(sample, &want); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		body    []byte
		want    []json.RawMessage
		wantErr error // checked with errors.Is when set
		fails   bool
	}{
		{name: "reference samples", body: sample, want: want},
		{name: "empty array", body: []byte(" [ ] \n"), want: []json.RawMessage{}},
		{name: "byte order mark", body: []byte("\xEF\xBB\xBF[{\"Id\":\"a\"}]"), want: []json.RawMessage{json.RawMessage(`{"Id":"a"}`)}},
		{name: "whitespace kept inside elements", body: []byte("[ {\"Id\" : \"a\"} ,\n{\"Id\":\"b\"}]"),
			want: []json.RawMessage{json.RawMessage(`{"Id" : "a"}`), json.RawMessage(`{"Id":"b"}`)}},
		{name: "object not array", body: []byte(`{"Id":"a"}`), wantErr: ErrNotArray, fails: true},
		{name: "error body from the service", body: []byte(`{"error":{"code":"AF20051","message":"expired"}}`), wantErr: ErrNotArray, fails: true},
		{name: "empty body", body: nil, wantErr: errTruncated, fails: true},
		{name: "truncated mid record", body: sample[:len(sample)/2], wantErr: errTruncated, fails: true},
		{name: "missing closing bracket", body: []byte(`[{"Id":"a"}`), wantErr: errTruncated, fails: true},
		{name: "trailing garbage", body: []byte(`[{"Id":"a"}]]`), fails: true},
		{name: "trailing comma", body: []byte(`[{"Id":"a"},]`), fails: true},
		{name: "html error page", body: []byte(`<html>503</html>`), fails: true},
		{name: "two arrays", body: []byte(`[] []`), fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBlob(tt.body)
			if tt.fails {
				if err == nil {
					t.Fatal("ParseBlob succeeded, want error")
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBlob: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d elements, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !bytes.Equal(got[i], tt.want[i]) {
					t.Errorf("element %d = %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseBlobElementsParse(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("testdata", "samples-blob.json"))
	if err != nil {
		t.Fatal(err)
	}
	raws, err := ParseBlob(sample)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, raw := range raws {
		rec, err := Parse(raw)
		if err != nil {
			t.Fatalf("element %d: %v", i, err)
		}
		if seen[rec.ID] {
			t.Errorf("duplicate id %s", rec.ID)
		}
		seen[rec.ID] = true
	}
	if len(seen) != 7 {
		t.Errorf("parsed %d distinct records, want the 7 reference samples", len(seen))
	}
}
