package events

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
)

// CSVSafe neutralises a cell that a spreadsheet would run as a formula (CSV
// injection): a cell starting with = + - @, a tab or a carriage return gets a
// single quote prefixed. Other cells are returned unchanged.
func CSVSafe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

// CSVHeader is the header row written by WriteCSV.
func CSVHeader() []string {
	return []string{"Time (UTC)", "User", "User display name", "Operation", "Workload",
		"Content type", "Client IP", "Result", "Object", "Record ID"}
}

func csvRecord(r Row) []string {
	cells := []string{r.Time.UTC().Format(time.RFC3339), r.User, r.UserDisplay, r.Operation, r.Workload,
		r.ContentType, r.ClientIP, r.Result, r.ObjectID, r.ID}
	for i, c := range cells {
		cells[i] = CSVSafe(c)
	}
	return cells
}

// WriteCSV writes a header and one neutralised row per event to w and
// returns the number of events written. It stops at the first error from
// rows or from w. Package app's Export calls it with a store iterator.
func WriteCSV(w io.Writer, rows iter.Seq2[Row, error]) (int64, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
		return 0, fmt.Errorf("writing CSV header: %w", err)
	}
	var n int64
	for r, err := range rows {
		if err != nil {
			cw.Flush()
			return n, fmt.Errorf("reading events for CSV: %w", err)
		}
		if err := cw.Write(csvRecord(r)); err != nil {
			return n, fmt.Errorf("writing CSV row %d: %w", n+1, err)
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("flushing CSV: %w", err)
	}
	return n, nil
}

// WriteJSONLines writes each event's raw JSON record, compacted onto one
// line, to w and returns the number written. A row without a raw record is
// written as a JSON object of its fields.
func WriteJSONLines(w io.Writer, rows iter.Seq2[Row, error]) (int64, error) {
	var n int64
	var buf bytes.Buffer
	for r, err := range rows {
		if err != nil {
			return n, fmt.Errorf("reading events for JSON lines: %w", err)
		}
		buf.Reset()
		if err := jsonLine(&buf, r); err != nil {
			return n, fmt.Errorf("encoding record %s: %w", r.ID, err)
		}
		buf.WriteByte('\n')
		if _, err := w.Write(buf.Bytes()); err != nil {
			return n, fmt.Errorf("writing JSON line %d: %w", n+1, err)
		}
		n++
	}
	return n, nil
}

func jsonLine(buf *bytes.Buffer, r Row) error {
	if len(bytes.TrimSpace(r.Raw)) > 0 {
		return json.Compact(buf, r.Raw)
	}
	b, err := json.Marshal(struct {
		ID, User, UserDisplay, Operation, Workload, ContentType, ClientIP, Result, ObjectID string
		CreationTime                                                                        time.Time
	}{r.ID, r.User, r.UserDisplay, r.Operation, r.Workload, r.ContentType, r.ClientIP, r.Result, r.ObjectID, r.Time.UTC()})
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}

// prettyJSON indents a raw record for the detail pane; invalid JSON is shown
// as is.
func prettyJSON(raw []byte) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return strings.TrimSpace(string(raw))
	}
	return buf.String()
}
