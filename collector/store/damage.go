package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// QuickCheck runs SQLite's PRAGMA quick_check over the whole file (every
// page and b-tree, not index contents). Damage is an error wrapping
// ErrCorrupt that quotes SQLite's first findings. It reads the whole file:
// run it at start and then now and then, not on every read.
//
// The check runs table by table over the ordinary tables (the FTS5 index's
// shadow tables included, so its pages are checked too); the word index's
// own structure is then verified by checkTextIndex. A plain whole-file
// quick_check is not used: since SQLite 3.44 it also
// runs FTS5's check, which reads the index through the structure that
// connection cached when it last used the index, and once the writer has
// merged segments since, it reports "corruption found reading blob" on a
// sound index (TestQuickCheckAfterIndexMerges), for as long as the pooled
// connection lives.
func (s *Store) QuickCheck(ctx context.Context) error {
	tables, err := s.plainTables(ctx)
	if err != nil {
		return wrap("checking the store", err)
	}
	var msgs []string
	for _, t := range tables {
		m, err := s.quickCheckTable(ctx, t)
		if err != nil {
			return wrap("checking the store", err)
		}
		msgs = append(msgs, m...)
	}
	if len(msgs) == 0 {
		m, err := s.checkTextIndex(ctx)
		if err != nil {
			return wrap("checking the store", err)
		}
		msgs = append(msgs, m...)
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("checking the store: %w", corrupt(errors.New(strings.Join(msgs, "; "))))
}

// checkTextIndex runs FTS5's own check of events_fts (its segments,
// doclists and structure) and returns its findings, none when the index is
// sound. It runs in one read transaction that first queries the index: that
// makes FTS5 reload the structure the connection cached (see QuickCheck),
// so the check reads the index of this transaction's snapshot, which a
// concurrent commit does not change. It needs no writer, so it also checks
// a store opened read-only, and it never holds up collection.
func (s *Store) checkTextIndex(ctx context.Context) ([]string, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH 'a' LIMIT 1)`).Scan(&n); err != nil {
		if errors.Is(classify(err), ErrCorrupt) {
			return []string{"word index events_fts: " + err.Error()}, nil
		}
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA integrity_check(events_fts)`)
	if err != nil {
		return nil, err
	}
	return checkFindings(rows, "word index events_fts: ")
}

// checkFindings reads the rows of an integrity or quick check: every row
// that is not "ok" is a finding, given with prefix. It closes rows.
func checkFindings(rows *sql.Rows, prefix string) ([]string, error) {
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		if m != "ok" {
			msgs = append(msgs, prefix+m)
		}
	}
	return msgs, rows.Err()
}

// plainTables lists the ordinary tables of the store (not virtual ones).
func (s *Store) plainTables(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// quickCheckTable runs quick_check on one table and its indexes; it returns
// SQLite's findings, none when the table is sound.
func (s *Store) quickCheckTable(ctx context.Context, table string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `PRAGMA quick_check("`+strings.ReplaceAll(table, `"`, `""`)+`")`)
	if err != nil {
		return nil, err
	}
	return checkFindings(rows, "")
}

// SalvageResult says what Salvage recovered.
type SalvageResult struct {
	Recovered   int64  // events copied to the new store
	Unreadable  int64  // ingest sequence numbers that could not be read
	DamagedPath string // where the damaged file was kept
}

// salvageChunk is how many ingest sequence numbers one read covers; a read
// that fails is split in halves down to single rows.
const salvageChunk = 512

// Salvage rescues a damaged store at path: every event that can still be
// read is copied into a new store, which then takes path's place; the
// damaged file is kept beside it as path.damaged-YYYYMMDD-HHMMSS (with its
// -wal and -shm files). Dead letters, gaps, settings and user names are
// copied when readable. Cursors and the list of blobs already fetched are
// not: the collector walks the last 7 days again, re-fetches what Microsoft
// still serves and stores only the records the salvage did not recover (the
// record Id dedupe keeps that exactly-once). Nothing may have the store open
// while Salvage runs.
func Salvage(ctx context.Context, path string, opt Options) (SalvageResult, error) {
	clock := opt.Clock
	if clock == nil {
		clock = time.Now
	}
	var res SalvageResult
	src, err := OpenReadOnly(ctx, path, opt)
	if err != nil && !errors.Is(err, ErrCorrupt) {
		return res, fmt.Errorf("salvaging %s: %w", path, err)
	}
	newPath := fmt.Sprintf("%s.salvage-%d", path, clock().UnixNano())
	dst, err := Open(ctx, newPath, opt)
	if err != nil {
		if src != nil {
			src.Close()
		}
		return res, fmt.Errorf("salvaging %s: creating the new store: %w", path, err)
	}
	if src != nil {
		res.Recovered, res.Unreadable, err = src.copyReadable(ctx, dst)
		src.Close()
	}
	if err == nil {
		err = dst.SetMeta(ctx, "salvaged", fmt.Sprintf("%s: %d events recovered, %d unreadable", clock().UTC().Format(time.RFC3339), res.Recovered, res.Unreadable))
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		removeDB(newPath)
		return res, fmt.Errorf("salvaging %s: %w", path, err)
	}
	res.DamagedPath = path + ".damaged-" + clock().UTC().Format("20060102-150405")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+suffix, res.DamagedPath+suffix); err != nil && !os.IsNotExist(err) {
			return res, fmt.Errorf("salvaging %s: keeping the damaged file: %w", path, err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(newPath + suffix) // closed cleanly: checkpointed; SQLite recreates them
	}
	if err := os.Rename(newPath, path); err != nil {
		return res, fmt.Errorf("salvaging %s: putting the new store in place: %w", path, err)
	}
	return res, nil
}

// removeDB deletes a database file and its WAL companions.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// copyReadable copies every readable event and the small tables into dst.
func (s *Store) copyReadable(ctx context.Context, dst *Store) (recovered, unreadable int64, err error) {
	top, err := s.topSeq(ctx)
	if err != nil {
		return 0, 0, err
	}
	for lo := int64(1); lo <= top; lo += salvageChunk {
		if err := ctx.Err(); err != nil {
			return recovered, unreadable, err
		}
		evs, bad := s.readRange(ctx, lo, min(lo+salvageChunk-1, top))
		unreadable += bad
		if len(evs) == 0 {
			continue
		}
		// A synthetic blob id: the original blobs are not marked fetched,
		// so any of them Microsoft still serves is fetched again.
		b := Blob{ContentType: evs[0].ContentType, ContentID: fmt.Sprintf("salvage:%d", lo)}
		n, err := dst.CommitBlob(ctx, b, evs, nil)
		if err != nil {
			return recovered, unreadable, fmt.Errorf("storing recovered events: %w", err)
		}
		recovered += int64(n)
	}
	s.copySmallTables(ctx, dst)
	return recovered, unreadable, nil
}

// topSeq is the highest ingest sequence ever used (from the small
// sqlite_sequence table, else the events b-tree).
func (s *Store) topSeq(ctx context.Context) (int64, error) {
	var top int64
	err := s.r.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'events'`).Scan(&top)
	if err == nil {
		return top, nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&top); err != nil {
		return 0, wrap("finding the newest event", err)
	}
	return top, nil
}

// readRange returns the readable, intact events with lo <= seq <= hi and
// how many sequence numbers of the range could not be read (halving the
// range around damage). Rows whose raw record does not decode to JSON are
// counted as unreadable.
func (s *Store) readRange(ctx context.Context, lo, hi int64) ([]Event, int64) {
	evs, err := s.scanRange(ctx, lo, hi)
	if err == nil {
		return evs, 0
	}
	if lo == hi || ctx.Err() != nil {
		return nil, hi - lo + 1
	}
	mid := lo + (hi-lo)/2
	a, badA := s.readRange(ctx, lo, mid)
	b, badB := s.readRange(ctx, mid+1, hi)
	return append(a, b...), badA + badB
}

func (s *Store) scanRange(ctx context.Context, lo, hi int64) ([]Event, error) {
	var out []Event
	err := s.eachEvent(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.seq BETWEEN ? AND ?`, []any{lo, hi}, nil, func(e Event) error {
		if e.ID == "" || !json.Valid(e.Raw) {
			return corrupt(fmt.Errorf("record %q is damaged", e.ID))
		}
		e.UserDisplay = ""
		out = append(out, e)
		return nil
	})
	return out, err
}

// copySmallTables copies dead letters, gaps, settings and user names, each
// as far as it can be read.
func (s *Store) copySmallTables(ctx context.Context, dst *Store) {
	if dls, err := s.DeadLetters(ctx); err == nil {
		for _, d := range dls {
			if err := dst.AddDeadLetter(ctx, d.Blob, d.LastError, d.NextRetry); err != nil {
				s.log.Warn("salvage: dead letter not copied", "contentId", d.ContentID, "err", err)
			}
		}
	}
	if gaps, err := s.Gaps(ctx); err == nil {
		for _, g := range gaps {
			if err := dst.AddGap(ctx, g); err != nil {
				s.log.Warn("salvage: gap not copied", "err", err)
			}
		}
	}
	if rows, err := s.r.QueryContext(ctx, `SELECT key, value FROM meta`); err == nil {
		kv := map[string]string{}
		for rows.Next() {
			var k, v string
			if rows.Scan(&k, &v) == nil {
				kv[k] = v
			}
		}
		rows.Close()
		for k, v := range kv {
			if err := dst.SetMeta(ctx, k, v); err != nil {
				s.log.Warn("salvage: setting not copied", "key", k, "err", err)
			}
		}
	}
	if names, _, err := s.UserNames(ctx); err == nil && len(names) > 0 {
		if err := dst.SetUserNames(ctx, names); err != nil {
			s.log.Warn("salvage: user names not copied", "err", err)
		}
	}
}

// metaSoundAt is the meta key of the time a QuickCheck last found the file
// sound, recorded by MarkSound.
const metaSoundAt = "store_sound_at"

// MarkSound records t as the time a QuickCheck found the file sound. The
// collector that holds the store calls it after each passing check, so
// that a reader in another process (`auditlight status`) can rely on that
// check instead of reading the whole file again.
func (s *Store) MarkSound(ctx context.Context, t time.Time) error {
	return s.SetMeta(ctx, metaSoundAt, t.UTC().Format(time.RFC3339Nano))
}

// SoundAt returns the time MarkSound last recorded; ok is false when no
// passing check was ever recorded (or the record cannot be read as a time).
func (s *Store) SoundAt(ctx context.Context) (t time.Time, ok bool, err error) {
	v, ok, err := s.Meta(ctx, metaSoundAt)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	t, perr := time.Parse(time.RFC3339Nano, v)
	if perr != nil {
		return time.Time{}, false, nil
	}
	return t, true, nil
}
