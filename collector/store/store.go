// Package store is AuditLight's embedded SQLite database: audit events
// (deduplicated on the record Id), the blobs already seen, per content type
// cursors, dead letters, known gaps, settings and the user display-name cache,
// plus the queries behind the live feed and the dashboard.
//
// It uses modernc.org/sqlite, a pure Go SQLite, so the only cgo toolchain the
// app needs is Fyne's. The database runs in WAL mode with synchronous=NORMAL:
// a committed blob survives a crash of the app, and readers (the GUI) never
// block the collector's writes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// DefaultRetention is how long events are kept when Options.Retention is zero.
const DefaultRetention = 90 * 24 * time.Hour

// contentKeep is how long a seen blob id is remembered after its expiration:
// longer than the 7-day listing window, so a re-listed blob is never fetched twice.
const contentKeep = 8 * 24 * time.Hour

// Options configures a Store. The zero value is usable.
type Options struct {
	// Retention is how long events are kept (by CreationTime); 0 = 90 days.
	Retention time.Duration
	// Clock returns the current time; nil = time.Now.
	Clock func() time.Time
	// Logger receives diagnostics; nil = discard.
	Logger *slog.Logger
	// BusyTimeout is how long a write waits for another writer; 0 = 10 s.
	BusyTimeout time.Duration
	// AfterCommit, when set, is called after every commit of CommitBlob's
	// group commit with the blobs and the ingest sequences it stored (for
	// example to evaluate detections on the new events). It runs on the
	// committing goroutine before the waiting CommitBlob calls return, so it
	// must be quick; it may read and write the store.
	AfterCommit func(ctx context.Context, c Committed)
	// OnUpgrade, when set, hears how far a one-time schema upgrade that
	// copies the events table has got (tens of seconds for a million
	// records), on Open's goroutine, before Open returns.
	OnUpgrade func(Progress)
}

// Store is an open AuditLight database. It is safe for concurrent use: writes
// go through one connection, reads through a small pool.
type Store struct {
	path      string
	w         *sql.DB // the single writer connection
	r         *sql.DB // readers
	retention time.Duration
	clock     func() time.Time
	log       *slog.Logger
	// rareMatches is the text-search plan threshold (see the constant).
	rareMatches int
	// textWindow is the text-search window (see the constant).
	textWindow int

	codec       *codec
	chunks      *chunkCache // decompressed chunks for readers (chunks.go)
	packBufs    sync.Pool   // *[]byte: a chunk's records before compression
	group       committer
	afterCommit func(ctx context.Context, c Committed)
	stmts       stmtCache // the group commit's statements, prepared on w
	readOnly    bool
	// blockShift sizes the search blocks (seq >> blockShift); blockWalk
	// enables the block-walk text search (tests switch it to check the
	// other plans).
	blockShift int
	blockWalk  bool
	// spanRows is how many records since a detection test's start
	// OperationsSince checks from the feed index (the constant spanRows;
	// tests lower it to exercise the word-index plan).
	spanRows int
	// lingerFor and lingerBlobs tune the group commit's wait for a fuller
	// group (groupLinger, lingerBlobs).
	lingerFor   time.Duration
	lingerBlobs int
	// backlogBlobs and backlogLinger tune the longer wait in a backlog
	// (the constants of the same names).
	backlogBlobs  int
	backlogLinger time.Duration
	// betweenBlobs is a test hook run between the blobs of a group commit.
	betweenBlobs func()
}

// Open opens (creating if needed) the database at path. The directory is
// created with mode 0700 and the database file (and its -wal/-shm files) with
// mode 0600; an existing file with wider permissions is tightened. The schema
// is migrated to the current version.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("opening store: empty path")
	}
	s := &Store{path: path, retention: opt.Retention, clock: opt.Clock, log: opt.Logger,
		rareMatches: rareMatches, textWindow: textWindow, afterCommit: opt.AfterCommit,
		blockShift: blockShift, blockWalk: true, spanRows: spanRows, lingerFor: groupLinger, lingerBlobs: lingerBlobs,
		backlogBlobs: backlogBlobs, backlogLinger: backlogLinger, chunks: newChunkCache(chunkCacheBytes)}
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
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return nil, fmt.Errorf("opening store %s: %w (move it away to start a new store)", path, ErrEmpty)
	}
	if err := prepareFiles(path); err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	var err error
	s.w, err = openDB(path, busy, true)
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxIdleTime(0)
	s.w.SetConnMaxLifetime(0)
	if err := s.w.PingContext(ctx); err != nil {
		s.w.Close()
		return nil, wrap("opening store "+path, err)
	}
	// Only takes effect on a new, empty file; older stores are converted by
	// upgradeLegacy (a VACUUM).
	if _, err := s.w.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		s.w.Close()
		return nil, wrap("opening store "+path, err)
	}
	if err := migrate(ctx, s.w, s.log, opt.OnUpgrade); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	if s.codec, err = newCodec(ctx, s.w); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	var mode string
	if err := s.w.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		s.w.Close()
		return nil, wrap("opening store "+path+": enabling WAL", err)
	}
	if !strings.EqualFold(mode, "wal") {
		s.w.Close()
		return nil, fmt.Errorf("opening store %s: the file system does not support WAL (journal mode %q)", path, mode)
	}
	// The -wal and -shm files exist now; SQLite gives them the database
	// file's mode, but tighten them in case they predate us.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := tighten(path + suffix); err != nil {
			s.w.Close()
			return nil, fmt.Errorf("opening store %s: %w", path, err)
		}
	}
	s.r, err = openDB(path, busy, false)
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	s.r.SetMaxOpenConns(max(2, runtime.GOMAXPROCS(0)))
	s.r.SetMaxIdleConns(max(2, runtime.GOMAXPROCS(0)))
	// An idle reader gives its page cache back after a while (idle RSS).
	s.r.SetConnMaxIdleTime(time.Minute)
	if err := s.upgradeLegacy(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	// A migration that rewrote a table (schema 4) leaves its old pages free.
	if err := s.giveSpaceBack(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	s.log.Debug("store opened", "path", path)
	return s, nil
}

// openDB opens a database/sql pool with the pragmas every connection needs.
// extra are URI parameters (e.g. mode=ro).
func openDB(path string, busy time.Duration, writer bool, extra ...string) (*sql.DB, error) {
	q := url.Values{}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	// WAL is switched on by Open (it is persistent in the file).
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if writer {
		// The writer touches index pages all over the file, far beyond any
		// map: it reads through its own page cache and maps nothing (mapped
		// pages count in the process's RSS, and a drain's writer touched the
		// whole map: issue 12's 150 MB budget). The cache is 8 MiB of pages,
		// which is ~16 MB of RSS: modernc's allocator gives each cached page
		// (4 KiB and SQLite's header) an 8 KiB slot. Checkpoint every
		// ~128 MiB of WAL rather than 4 MiB so index pages dirtied by many
		// group commits are copied back once (a backfill's checkpoints were
		// 7 % of its CPU at 32 MiB); the WAL file is cut back to 64 MiB after
		// each checkpoint, and its page cache is the kernel's, not ours.
		q.Add("_pragma", "mmap_size(0)")
		q.Add("_pragma", "cache_size(-8192)")
		q.Add("_pragma", "wal_autocheckpoint(32768)")
		q.Add("_pragma", "journal_size_limit(67108864)")
		// BEGIN IMMEDIATE: take the write lock up front so a transaction
		// never fails half-way with SQLITE_BUSY on lock upgrade.
		q.Set("_txlock", "immediate")
	} else {
		// Readers map up to 64 MiB of the file: page reads become memory
		// reads instead of read(2) calls (a large win in the pure Go
		// SQLite for the feed and search). Mapped pages count in the
		// process's RSS, hence not more. Pages beyond the map go through a
		// 2 MiB cache each (~4 MB of RSS): during a drain the collector's
		// seen-content lookups filled 8 MiB caches (up to ~32 MB of RSS for
		// two readers) with content-table pages scattered through the
		// growing file; a page missed is a pread from the OS's file cache.
		q.Add("_pragma", "mmap_size(67108864)")
		q.Add("_pragma", "cache_size(-2048)")
		q.Add("_pragma", "query_only(1)")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	if !strings.HasPrefix(u.Path, "/") { // Windows drive paths: file:///C:/...
		u.Path = "/" + u.Path
	}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("opening sqlite: %w", err)
	}
	return db, nil
}

// prepareFiles creates the directory (0700) and the database file (0600)
// before SQLite does, so the file never exists with umask permissions.
func prepareFiles(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating data directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("%w: %w", ErrReadOnly, err)
		}
		return fmt.Errorf("creating database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("creating database file: %w", err)
	}
	return tighten(path)
}

// tighten removes group and other permissions from an existing file.
func tighten(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", filepath.Base(path), err)
	}
	if runtime.GOOS == "windows" || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, fi.Mode().Perm()&0o700); err != nil {
		return fmt.Errorf("restricting permissions of %s: %w", filepath.Base(path), err)
	}
	return nil
}

// Path returns the database file path.
func (s *Store) Path() string { return s.path }

// Close closes the database. It runs PRAGMA optimize first so the query
// planner keeps good statistics as the data grows.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if !s.readOnly {
		if _, err := s.w.ExecContext(ctx, `PRAGMA optimize`); err != nil {
			s.log.Warn("store optimize on close failed", "err", err)
		}
	}
	if err := s.stmts.close(); err != nil {
		s.log.Warn("closing prepared statements failed", "err", err)
	}
	errR := s.r.Close()
	var errW error
	if s.w != s.r {
		errW = s.w.Close()
	}
	if err := errors.Join(errR, errW); err != nil {
		return wrap("closing store", err)
	}
	return nil
}

func (s *Store) now() time.Time { return s.clock() }

// ms converts a time to stored unix milliseconds (0 for the zero time).
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored unix milliseconds back to UTC (zero time for 0).
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
