package store

import (
	"context"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors; store errors wrap them (test with errors.Is).
var (
	// ErrNotFound is returned by Get for an unknown record id.
	ErrNotFound = errors.New("not found")
	// ErrDiskFull means SQLite could not write because the disk (or the
	// database size limit) is full. Nothing of the failed call was stored.
	ErrDiskFull = errors.New("database or disk is full")
	// ErrReadOnly means the database file or its directory cannot be written.
	ErrReadOnly = errors.New("database is read-only")
	// ErrCorrupt means the database file is damaged or not a database.
	ErrCorrupt = errors.New("database file is corrupt or not a database")
	// ErrEmpty means the database file exists but is empty (0 bytes): the
	// events it held are gone. Open refuses it rather than silently
	// starting a new store in its place.
	ErrEmpty = errors.New("the event store file is empty (0 bytes): the events it held are lost")
)

// corrupt wraps err as store damage.
func corrupt(err error) error { return &storageError{kind: ErrCorrupt, err: err} }

// storageError carries the SQLite error together with the sentinel that
// explains it to the user.
type storageError struct {
	kind error
	err  error
}

func (e *storageError) Error() string   { return e.kind.Error() + ": " + e.err.Error() }
func (e *storageError) Unwrap() []error { return []error{e.kind, e.err} }

// classify wraps SQLite failures that need the user's attention (full disk,
// read-only file, corruption) with a sentinel; other errors pass unchanged.
func classify(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	var kind error
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		kind = ErrDiskFull
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
		kind = ErrReadOnly
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		kind = ErrCorrupt
	case sqlite3.SQLITE_IOERR:
		if se.Code() == sqlite3.SQLITE_IOERR_WRITE || se.Code() == sqlite3.SQLITE_IOERR_FSYNC {
			kind = ErrDiskFull // ENOSPC surfaces as a write/fsync I/O error
		}
	}
	if kind == nil {
		return err
	}
	return &storageError{kind: kind, err: err}
}

// wrap adds context to a failed operation, classifying SQLite errors.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %w", op, classify(err))
}
