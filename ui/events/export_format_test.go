package events

import (
	"bytes"
	"encoding/csv"
	"errors"
	"iter"
	"strings"
	"testing"
	"time"
)

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+2", "'=1+2"},
		{"+491701234567", "'+491701234567"},
		{"-10", "'-10"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"alice@contoso.com", "alice@contoso.com"},
		{"FileDownloaded", "FileDownloaded"},
		{"a=b", "a=b"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := CSVSafe(tc.in); got != tc.want {
			t.Errorf("CSVSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func rowsOf(rs ...Row) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func TestWriteCSV(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	var buf bytes.Buffer
	n, err := WriteCSV(&buf, rowsOf(
		Row{ID: "1", Time: at, User: "=cmd()", Operation: "New-InboxRule", ObjectID: "-2+3", Workload: "Exchange", ClientIP: "203.0.113.5", Result: "Succeeded"},
		Row{ID: "2", Time: at, User: "bob@contoso.com", ObjectID: "line1\nline2, \"quoted\""},
	))
	if err != nil || n != 2 {
		t.Fatalf("WriteCSV = %d, %v", n, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(CSVHeader(), ",") {
		t.Fatalf("records %v", recs)
	}
	if recs[1][0] != "2026-11-24T08:30:00Z" {
		t.Errorf("time %q, want UTC RFC 3339", recs[1][0])
	}
	if recs[1][1] != "'=cmd()" || recs[1][3] != "New-InboxRule" || recs[1][8] != "'-2+3" {
		t.Errorf("cells %q %q %q: want formulas neutralised, others untouched", recs[1][1], recs[1][3], recs[1][8])
	}
	if recs[2][8] != "line1\nline2, \"quoted\"" {
		t.Errorf("quoted cell %q did not round-trip", recs[2][8])
	}
}

func TestWriteCSVStopsOnError(t *testing.T) {
	boom := errors.New("disk gone")
	seq := func(yield func(Row, error) bool) {
		if !yield(Row{ID: "1"}, nil) {
			return
		}
		yield(Row{}, boom)
	}
	n, err := WriteCSV(&bytes.Buffer{}, seq)
	if !errors.Is(err, boom) || n != 1 {
		t.Errorf("WriteCSV = %d, %v; want 1 row and the error", n, err)
	}
}

func TestWriteJSONLines(t *testing.T) {
	var buf bytes.Buffer
	n, err := WriteJSONLines(&buf, rowsOf(
		Row{ID: "1", Raw: []byte("{\n  \"Id\": \"1\",\n  \"Operation\": \"UserLoggedIn\"\n}")},
		Row{ID: "2", User: "bob", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
	))
	if err != nil || n != 2 {
		t.Fatalf("WriteJSONLines = %d, %v", n, err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 || lines[0] != `{"Id":"1","Operation":"UserLoggedIn"}` {
		t.Fatalf("lines %q", lines)
	}
	if !strings.Contains(lines[1], `"User":"bob"`) || !strings.Contains(lines[1], `"CreationTime":"2026-01-02T03:04:05Z"`) {
		t.Errorf("fallback line %q", lines[1])
	}
}
