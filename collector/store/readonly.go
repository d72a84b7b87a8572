package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// OpenReadOnly opens an existing store for reading only, for commands that
// only read (status, events, diagnostics): it works on a read-only profile
// (a backup, a read-only mount), never creates, migrates or changes the
// file, and may run while a collector writes. Every write method fails with
// an error wrapping ErrReadOnly. A missing file is an error wrapping
// fs.ErrNotExist; an empty one wraps ErrEmpty.
func OpenReadOnly(ctx context.Context, path string, opt Options) (*Store, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("opening store %s: not a regular file", path)
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("opening store %s: %w", path, ErrEmpty)
	}
	s := &Store{path: path, retention: opt.Retention, clock: opt.Clock, log: opt.Logger,
		rareMatches: rareMatches, textWindow: textWindow, readOnly: true,
		blockShift: blockShift, blockWalk: true, spanRows: spanRows, chunks: newChunkCache(chunkCacheBytes)}
	if s.retention <= 0 {
		s.retention = DefaultRetention
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	// mode=ro reads a live store (WAL readers need the -shm file, which a
	// writable directory provides). On a read-only directory or file system
	// that cannot work, and nothing can change the file there either, so
	// it is opened immutable.
	var lastErr error
	for _, extra := range [][]string{{"mode", "ro"}, {"mode", "ro", "immutable", "1"}} {
		db, err := openDB(path, busy, false, extra...)
		if err != nil {
			return nil, fmt.Errorf("opening store %s: %w", path, err)
		}
		db.SetMaxOpenConns(2)
		db.SetMaxIdleConns(2)
		db.SetConnMaxIdleTime(time.Minute)
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
			db.Close()
			lastErr = wrap("opening store "+path+" read-only", err)
			if errors.Is(lastErr, ErrCorrupt) || ctx.Err() != nil {
				return nil, lastErr
			}
			continue
		}
		s.r, s.w = db, db
		break
	}
	if s.r == nil {
		return nil, lastErr
	}
	if s.codec, err = newCodec(ctx, s.r); err != nil {
		s.r.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	return s, nil
}

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }
