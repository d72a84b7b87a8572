package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestSummariesMatchTheRows: after group commits of new records, of
// duplicates mixed with new ones and of events carrying their own content
// type, type_stats, hourly and seq_blocks hold exactly what the stored rows
// add up to (the dashboard's counts and chart, the text search's blocks).
func TestSummariesMatchTheRows(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		groups [][]Blob // blob content ids and types, group by group
		dupes  bool     // each later group re-sends half of the first group's first blob
		ownCT  bool     // events name another content type than their blob
	}{
		{"all new", [][]Blob{{{ContentType: "Audit.Exchange", ContentID: "a"}, {ContentType: "Audit.SharePoint", ContentID: "b"}},
			{{ContentType: "Audit.General", ContentID: "c"}}}, false, false},
		{"duplicates in later groups", [][]Blob{{{ContentType: "Audit.Exchange", ContentID: "a"}},
			{{ContentType: "Audit.Exchange", ContentID: "a2"}, {ContentType: "Audit.SharePoint", ContentID: "b"}}}, true, false},
		{"events with their own content type", [][]Blob{{{ContentType: "Audit.Exchange", ContentID: "a"}, {ContentType: "Audit.General", ContentID: "b"}}}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			s.blockShift = 4 // several search blocks per group
			var first []Event
			for g, blobs := range tt.groups {
				var reqs []*commitReq
				for b, blob := range blobs {
					evs := withRealisticRaw(genEvents(40, t0.Add(-time.Duration(g*b)*90*time.Minute), fmt.Sprintf("%d-%d-", g, b)))
					for i := range evs {
						evs[i].ContentType, evs[i].ContentID = "", ""
						if tt.ownCT && i%3 == 0 {
							evs[i].ContentType = "Audit.AzureActiveDirectory"
						}
					}
					if g == 0 && b == 0 {
						first = evs
					} else if tt.dupes && b == 0 {
						evs = append(evs, first[:20]...)
					}
					packed, err := s.pack(ctx, blob, evs)
					if err != nil {
						t.Fatal(err)
					}
					r := &commitReq{ctx: ctx, blob: blob, evs: evs, packed: packed, done: make(chan struct{})}
					r.tally = tallyOf(r)
					reqs = append(reqs, r)
				}
				if err := s.commitTx(reqs); err != nil {
					t.Fatal(err)
				}
			}
			for _, q := range []struct{ kept, rows string }{
				{`SELECT content_type, total, last_record FROM type_stats WHERE total > 0 ORDER BY 1`,
					`SELECT b.content_type, count(*), max(e.creation_time) FROM events AS e JOIN blobs AS b ON b.ref = e.blob GROUP BY 1 ORDER BY 1`},
				{`SELECT hour, content_type, workload, count FROM hourly ORDER BY 1, 2, 3`,
					`SELECT (e.creation_time / 3600000) * 3600000 AS h, b.content_type, e.workload, count(*)
					FROM events AS e JOIN blobs AS b ON b.ref = e.blob GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`},
				{`SELECT block, min_ct, max_ct FROM seq_blocks ORDER BY 1`,
					`SELECT seq >> 4, min(creation_time), max(creation_time) FROM events GROUP BY 1 ORDER BY 1`},
			} {
				kept, rows := queryAll(t, s, q.kept), queryAll(t, s, q.rows)
				if len(rows) == 0 || !reflect.DeepEqual(kept, rows) {
					t.Errorf("%s\n  = %v\nwant what the rows add up to:\n    %v", q.kept, kept, rows)
				}
			}
		})
	}
}

// queryAll returns every row of query on the writer, as strings.
func queryAll(t *testing.T, s *Store, query string) [][]string {
	t.Helper()
	rows, err := s.w.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	return out
}
