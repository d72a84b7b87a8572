package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
)

// The group commit keeps three summaries of the events beside them:
// type_stats (records and newest record per content type), hourly (records
// per UTC hour, content type and workload) and seq_blocks (the creation-time
// span of each block of ingest sequences, for the text search). They count
// only the rows a transaction inserted, not the duplicates it skipped.
//
// When every event of a group was new (a drain: no duplicates), its counts
// are those of its requests, tallied by the fetchers in CommitBlob, and the
// new rows' sequences are the last len(events) below the new maximum, so the
// writer adds the summaries from Go values in three statements. The SQL
// aggregates over the new rows (joined with blobs, grouped through a
// sorter) took ~4 % of a drain's CPU on the serial writer (issue 12). A group
// that skipped a duplicate is summarised from its rows by SQL as before.

// hourKey is one row of hourly.
type hourKey struct {
	hour              int64
	contentType, work string
}

// typeTally is one content type's part of a request.
type typeTally struct {
	records, newest int64
}

// tally is what one request's events add to hourly and type_stats when all
// of them are new.
type tally struct {
	hours map[hourKey]int64
	types map[string]typeTally
	// domains are the UPN domains its events add to user_domains
	// (userDomain), each once.
	domains []string
}

// tallyOf counts r's events by hour, content type and workload (run by the
// CommitBlob caller's goroutine).
func tallyOf(r *commitReq) tally {
	t := tally{hours: map[hourKey]int64{}, types: map[string]typeTally{}}
	for i := range r.evs {
		e := &r.evs[i]
		ct := r.blobKey(e).contentType
		at := ms(e.CreationTime)
		t.hours[hourKey{hour: (at / 3600000) * 3600000, contentType: ct, work: e.Workload}]++
		tt := t.types[ct]
		tt.records++
		tt.newest = max(tt.newest, at)
		t.types[ct] = tt
		if d, ok := userDomain(e); ok && !slices.Contains(t.domains, d) {
			t.domains = append(t.domains, d)
		}
	}
	return t
}

// summarise adds the group's new rows (seq in (baseSeq, topSeq]) to
// type_stats, hourly and seq_blocks.
func (s *Store) summarise(ctx context.Context, tx *sql.Tx, reqs []*commitReq, baseSeq, topSeq int64, inserted int) error {
	events := 0
	for _, r := range reqs {
		events += len(r.evs)
	}
	if events != inserted || topSeq-baseSeq < int64(inserted) {
		return s.summariseRows(ctx, tx, baseSeq)
	}
	hours := map[hourKey]int64{}
	types := map[string]typeTally{}
	blocks := map[int64][2]int64{}
	seq := topSeq - int64(inserted)
	for _, r := range reqs {
		if r.tally.types == nil { // a request not made by CommitBlob
			r.tally = tallyOf(r)
		}
		for k, n := range r.tally.hours {
			hours[k] += n
		}
		for ct, t := range r.tally.types {
			cur := types[ct]
			cur.records += t.records
			cur.newest = max(cur.newest, t.newest)
			types[ct] = cur
		}
		for i := range r.evs {
			seq++
			at := ms(r.evs[i].CreationTime)
			b := seq >> s.blockShift
			span, ok := blocks[b]
			if !ok {
				span = [2]int64{at, at}
			}
			blocks[b] = [2]int64{min(span[0], at), max(span[1], at)}
		}
	}
	typeRows := make([][3]any, 0, len(types))
	for ct, t := range types {
		typeRows = append(typeRows, [3]any{ct, t.records, t.newest})
	}
	hourRows := make([][4]any, 0, len(hours))
	for k, n := range hours {
		hourRows = append(hourRows, [4]any{k.hour, k.contentType, k.work, n})
	}
	blockRows := make([][3]int64, 0, len(blocks))
	for b, span := range blocks {
		blockRows = append(blockRows, [3]int64{b, span[0], span[1]})
	}
	for _, st := range []struct {
		what, query string
		rows        any
	}{
		{"updating counters", `INSERT INTO type_stats (content_type, total, last_record, last_content)
			SELECT value ->> 0, value ->> 1, value ->> 2, 0 FROM json_each(?) WHERE true
			ON CONFLICT (content_type) DO UPDATE SET total = total + excluded.total,
				last_record = max(last_record, excluded.last_record)`, typeRows},
		{"updating hourly counts", `INSERT INTO hourly (hour, content_type, workload, count)
			SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?) WHERE true
			ON CONFLICT (hour, content_type, workload) DO UPDATE SET count = count + excluded.count`, hourRows},
		{"updating search blocks", `INSERT INTO seq_blocks (block, min_ct, max_ct)
			SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true
			ON CONFLICT (block) DO UPDATE SET min_ct = min(min_ct, excluded.min_ct), max_ct = max(max_ct, excluded.max_ct)`, blockRows},
	} {
		arg, err := json.Marshal(st.rows)
		if err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
		if _, err := s.stmts.exec(ctx, tx, st.query, string(arg)); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	return nil
}

// summariseRows adds the rows with seq > baseSeq to the summaries by SQL
// aggregates over them.
func (s *Store) summariseRows(ctx context.Context, tx *sql.Tx, baseSeq int64) error {
	if _, err := s.stmts.exec(ctx, tx, `INSERT INTO type_stats (content_type, total, last_record, last_content)
		SELECT b.content_type, count(*), max(e.creation_time), 0 FROM events AS e JOIN blobs AS b ON b.ref = e.blob
		WHERE e.seq > ? GROUP BY b.content_type
		ON CONFLICT (content_type) DO UPDATE SET total = total + excluded.total,
			last_record = max(last_record, excluded.last_record)`, baseSeq); err != nil {
		return fmt.Errorf("updating counters: %w", err)
	}
	if _, err := s.stmts.exec(ctx, tx, `INSERT INTO hourly (hour, content_type, workload, count)
		SELECT (e.creation_time / 3600000) * 3600000 AS h, b.content_type, e.workload, count(*)
		FROM events AS e JOIN blobs AS b ON b.ref = e.blob
		WHERE e.seq > ? GROUP BY h, b.content_type, e.workload
		ON CONFLICT (hour, content_type, workload) DO UPDATE SET count = count + excluded.count`, baseSeq); err != nil {
		return fmt.Errorf("updating hourly counts: %w", err)
	}
	if _, err := s.stmts.exec(ctx, tx, `INSERT INTO seq_blocks (block, min_ct, max_ct)
		SELECT seq >> ?, min(creation_time), max(creation_time) FROM events WHERE seq > ? GROUP BY 1
		ON CONFLICT (block) DO UPDATE SET min_ct = min(min_ct, excluded.min_ct), max_ct = max(max_ct, excluded.max_ct)`,
		s.blockShift, baseSeq); err != nil {
		return fmt.Errorf("updating search blocks: %w", err)
	}
	return nil
}
