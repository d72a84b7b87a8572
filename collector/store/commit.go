package store

import (
	"context"
	"errors"
	"strings"
)

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
