package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// eventColumnsInsert lists the columns CommitBlob writes, in bind order.
const eventColumnsInsert = `id, content_type, content_id, workload, operation, user_id,
	client_ip, result, result_status, object_id, record_type, creation_time, ingested_at, raw`

// insertChunk is how many events one INSERT statement carries: fewer
// statements means fewer Go/SQLite round trips (14 parameters each, far
// below SQLite's limit).
const insertChunk = 64

// insertSQL returns a multi-row insert of n events that skips record Ids
// already stored (and only those: any other constraint still fails).
func insertSQL(n int) string {
	row := "(" + placeholders(14) + ")"
	return "INSERT INTO events (" + eventColumnsInsert + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + " ON CONFLICT (id) DO NOTHING"
}

// CommitBlob stores the events of one blob in ONE transaction: new events are
// inserted (an event whose record Id is already stored is skipped and not
// counted), the blob is recorded as seen, removed from the dead letters, and,
// when cur is not nil, the cursor of cur.ContentType is advanced to cur.Next
// (never moved backwards; use SetCursor to rewind). A crash or error at any
// point leaves either all of it or none of it. Events with an empty
// ContentType or ContentID take the blob's.
func (s *Store) CommitBlob(ctx context.Context, b Blob, evs []Event, cur *Cursor) (inserted int, err error) {
	if b.ContentID == "" {
		return 0, errors.New("committing blob: empty content id")
	}
	op := "committing blob " + b.ContentID
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap(op, err)
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
				s.log.Warn("rollback failed", "content_id", b.ContentID, "err", rbErr)
			}
		}
	}()
	now := ms(s.now())
	// Every row this transaction inserts gets a seq above the current
	// maximum (AUTOINCREMENT never reuses one), which identifies them below.
	var baseSeq int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&baseSeq); err != nil {
		return 0, wrap(op, err)
	}
	if inserted, err = s.insertEvents(ctx, tx, b, evs, now); err != nil {
		return 0, wrap(op, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO content (content_id, content_type, created, expiration, fetched_at, records)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (content_id) DO UPDATE SET fetched_at = excluded.fetched_at, records = excluded.records`,
		b.ContentID, b.ContentType, ms(b.Created), ms(b.Expiration), now, len(evs)); err != nil {
		return 0, wrap(op+": recording content", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO type_stats (content_type, total, last_record, last_content)
		VALUES (?, 0, 0, ?)
		ON CONFLICT (content_type) DO UPDATE SET last_content = max(last_content, excluded.last_content)`,
		b.ContentType, ms(b.Created)); err != nil {
		return 0, wrap(op+": updating counters", err)
	}
	if inserted > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO type_stats (content_type, total, last_record, last_content)
			SELECT content_type, count(*), max(creation_time), 0 FROM events WHERE seq > ? GROUP BY content_type
			ON CONFLICT (content_type) DO UPDATE SET total = total + excluded.total,
				last_record = max(last_record, excluded.last_record)`, baseSeq); err != nil {
			return 0, wrap(op+": updating counters", err)
		}
	}
	if inserted > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO hourly (hour, content_type, workload, count)
			SELECT (creation_time / 3600000) * 3600000 AS h, content_type, workload, count(*) FROM events
			WHERE seq > ? GROUP BY h, content_type, workload
			ON CONFLICT (hour, content_type, workload) DO UPDATE SET count = count + excluded.count`, baseSeq); err != nil {
			return 0, wrap(op+": updating hourly counts", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dead_letters WHERE content_id = ?`, b.ContentID); err != nil {
		return 0, wrap(op+": clearing dead letter", err)
	}
	if cur != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (content_type, next_start, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (content_type) DO UPDATE SET next_start = max(next_start, excluded.next_start),
				updated_at = excluded.updated_at`,
			cur.ContentType, ms(cur.Next), now); err != nil {
			return 0, wrap(op+": advancing cursor", err)
		}
	}
	if inserted > 0 {
		// Last statement before COMMIT: one FTS5 flush per blob (see schema).
		if _, err := tx.ExecContext(ctx, `INSERT INTO events_fts (rowid, user_id, operation, client_ip, object_id)
			SELECT seq, user_id, operation, client_ip, object_id FROM events WHERE seq > ?`, baseSeq); err != nil {
			return 0, wrap(op+": indexing text", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, wrap(op+": commit", err)
	}
	return inserted, nil
}

// insertEvents inserts evs in multi-row statements and returns how many
// were new.
func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, b Blob, evs []Event, now int64) (int, error) {
	var full *sql.Stmt
	inserted := 0
	args := make([]any, 0, 14*insertChunk)
	for start := 0; start < len(evs); start += insertChunk {
		part := evs[start:min(start+insertChunk, len(evs))]
		args = args[:0]
		for i := range part {
			e := &part[i]
			ct, cid := e.ContentType, e.ContentID
			if ct == "" {
				ct = b.ContentType
			}
			if cid == "" {
				cid = b.ContentID
			}
			args = append(args, e.ID, ct, cid, e.Workload, e.Operation, e.UserID, e.ClientIP, e.Result,
				e.ResultStatus, e.ObjectID, e.RecordType, ms(e.CreationTime), now, []byte(e.Raw))
		}
		var res sql.Result
		var err error
		if len(part) == insertChunk {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertSQL(insertChunk)); err != nil {
					return 0, fmt.Errorf("preparing insert: %w", err)
				}
				defer full.Close()
			}
			res, err = full.ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, insertSQL(len(part)), args...)
		}
		if err != nil {
			return 0, fmt.Errorf("inserting events %d-%d: %w", start, start+len(part)-1, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("inserting events: %w", err)
		}
		inserted += int(n)
	}
	return inserted, nil
}

// SeenContent reports which of ids have already been committed (blob-level
// dedupe: a blob listed again is not fetched again).
func (s *Store) SeenContent(ctx context.Context, ids []string) (map[string]bool, error) {
	seen := make(map[string]bool, len(ids))
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.r.QueryContext(ctx, `SELECT content_id FROM content WHERE content_id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, wrap("checking seen content", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, wrap("checking seen content", err)
			}
			seen[id] = true
		}
		if err := rows.Close(); err != nil {
			return nil, wrap("checking seen content", err)
		}
		if err := rows.Err(); err != nil {
			return nil, wrap("checking seen content", err)
		}
	}
	return seen, nil
}

// SetCursor sets the cursor of c.ContentType to exactly c.Next (it may move
// backwards, e.g. to re-collect a range).
func (s *Store) SetCursor(ctx context.Context, c Cursor) error {
	if c.ContentType == "" {
		return errors.New("setting cursor: empty content type")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO cursors (content_type, next_start, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (content_type) DO UPDATE SET next_start = excluded.next_start, updated_at = excluded.updated_at`,
		c.ContentType, ms(c.Next), ms(s.now()))
	return wrap("setting cursor "+c.ContentType, err)
}

// Cursors returns every stored cursor by content type.
func (s *Store) Cursors(ctx context.Context) (map[string]Cursor, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT content_type, next_start FROM cursors`)
	if err != nil {
		return nil, wrap("reading cursors", err)
	}
	defer rows.Close()
	out := map[string]Cursor{}
	for rows.Next() {
		var c Cursor
		var next int64
		if err := rows.Scan(&c.ContentType, &next); err != nil {
			return nil, wrap("reading cursors", err)
		}
		c.Next = fromMS(next)
		out[c.ContentType] = c
	}
	return out, wrap("reading cursors", rows.Err())
}

// placeholders returns "?, ?, ..." with n markers.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
