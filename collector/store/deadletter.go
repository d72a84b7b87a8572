package store

import (
	"context"
	"errors"
	"time"
)

// AddDeadLetter records that blob b failed (errText says why) and should be
// retried at nextRetry. Recording the same blob again increments its attempts.
func (s *Store) AddDeadLetter(ctx context.Context, b Blob, errText string, nextRetry time.Time) error {
	if b.ContentID == "" {
		return errors.New("adding dead letter: empty content id")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO dead_letters
		(content_id, content_type, content_uri, created, expiration, attempts, last_error, next_retry)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (content_id) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error,
			next_retry = excluded.next_retry, content_uri = excluded.content_uri`,
		b.ContentID, b.ContentType, b.ContentURI, ms(b.Created), ms(b.Expiration), errText, ms(nextRetry))
	return wrap("adding dead letter "+b.ContentID, err)
}

// DeadLetters returns every dead letter, soonest retry first.
func (s *Store) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	return s.deadLetters(ctx, `ORDER BY next_retry, content_id`)
}

// DueDeadLetters returns the dead letters whose retry time is not after now,
// soonest first. Blobs past their expiration are included: the caller
// turns them into gaps (and CommitBlob then clears them).
func (s *Store) DueDeadLetters(ctx context.Context, now time.Time) ([]DeadLetter, error) {
	return s.deadLetters(ctx, `WHERE next_retry <= ? ORDER BY next_retry, content_id`, ms(now))
}

func (s *Store) deadLetters(ctx context.Context, tail string, args ...any) ([]DeadLetter, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT content_id, content_type, content_uri, created, expiration,
		attempts, last_error, next_retry FROM dead_letters `+tail, args...)
	if err != nil {
		return nil, wrap("reading dead letters", err)
	}
	defer rows.Close()
	var out []DeadLetter
	for rows.Next() {
		var d DeadLetter
		var created, expiration, next int64
		if err := rows.Scan(&d.ContentID, &d.ContentType, &d.ContentURI, &created, &expiration,
			&d.Attempts, &d.LastError, &next); err != nil {
			return nil, wrap("reading dead letters", err)
		}
		d.Created, d.Expiration, d.NextRetry = fromMS(created), fromMS(expiration), fromMS(next)
		out = append(out, d)
	}
	return out, wrap("reading dead letters", rows.Err())
}

// RemoveDeadLetter forgets a dead letter (CommitBlob does this by itself).
func (s *Store) RemoveDeadLetter(ctx context.Context, contentID string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM dead_letters WHERE content_id = ?`, contentID)
	return wrap("removing dead letter "+contentID, err)
}
