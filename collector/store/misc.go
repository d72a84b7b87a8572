package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// AddGap records a range of a content type that will never be collected.
func (s *Store) AddGap(ctx context.Context, g Gap) error {
	if g.ContentType == "" {
		return errors.New("adding gap: empty content type")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO gaps (content_type, from_time, to_time, reason, recorded_at)
		VALUES (?, ?, ?, ?, ?)`, g.ContentType, ms(g.From), ms(g.To), g.Reason, ms(s.now()))
	return wrap("adding gap", err)
}

// Gaps returns the recorded gaps, oldest range first.
func (s *Store) Gaps(ctx context.Context) ([]Gap, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT content_type, from_time, to_time, reason, recorded_at
		FROM gaps ORDER BY from_time, content_type, rowid`)
	if err != nil {
		return nil, wrap("reading gaps", err)
	}
	defer rows.Close()
	var out []Gap
	for rows.Next() {
		var g Gap
		var from, to, rec int64
		if err := rows.Scan(&g.ContentType, &from, &to, &g.Reason, &rec); err != nil {
			return nil, wrap("reading gaps", err)
		}
		g.From, g.To, g.RecordedAt = fromMS(from), fromMS(to), fromMS(rec)
		out = append(out, g)
	}
	return out, wrap("reading gaps", rows.Err())
}

// Meta returns a stored setting; ok is false when the key is not set.
func (s *Store) Meta(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap("reading setting "+key, err)
	}
	return value, true, nil
}

// SetMeta stores a setting, replacing any previous value.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return wrap("storing setting "+key, err)
}

// SetUserNames replaces the display-name cache with names (UPN → display
// name), in one transaction. UPNs match audit records case-insensitively.
func (s *Store) SetUserNames(ctx context.Context, names map[string]string) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap("storing user names", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the original error matters
		}
	}()
	if _, err := tx.ExecContext(ctx, `DELETE FROM users`); err != nil {
		return wrap("storing user names", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO users (user_key, user_id, display_name, refreshed_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (user_key) DO UPDATE SET user_id = excluded.user_id,
		display_name = excluded.display_name`)
	if err != nil {
		return wrap("storing user names", err)
	}
	defer stmt.Close()
	now := ms(s.now())
	for upn, name := range names {
		if _, err := stmt.ExecContext(ctx, userKey(upn), upn, name, now); err != nil {
			return wrap("storing user name "+upn, err)
		}
	}
	return wrap("storing user names", tx.Commit())
}

// UserNames returns the display-name cache and when it was refreshed (zero
// time when empty).
func (s *Store) UserNames(ctx context.Context) (map[string]string, time.Time, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT user_id, display_name, refreshed_at FROM users`)
	if err != nil {
		return nil, time.Time{}, wrap("reading user names", err)
	}
	defer rows.Close()
	out := map[string]string{}
	var newest int64
	for rows.Next() {
		var upn, name string
		var at int64
		if err := rows.Scan(&upn, &name, &at); err != nil {
			return nil, time.Time{}, wrap("reading user names", err)
		}
		out[upn] = name
		newest = max(newest, at)
	}
	return out, fromMS(newest), wrap("reading user names", rows.Err())
}

// userKey is the case-folded form used to join audit UserIds with Graph UPNs.
// It must agree with SQLite's lower() (ASCII only).
func userKey(upn string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, upn)
}
