//go:build windows

package profilelock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// errBusy means another process holds a conflicting lock.
var errBusy = errors.New("the lock is held by another process")

// The locked region lies far beyond the holder details, so other processes
// can still read those (Windows locks are mandatory for the locked bytes).
const (
	regionOffsetHigh = 0x7fffffff
	regionLen        = 1
)

// lockFile takes an exclusive (or shared) LockFileEx lock without blocking.
func lockFile(f *os.File, exclusive bool) error {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	ol := &windows.Overlapped{OffsetHigh: regionOffsetHigh}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, regionLen, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errBusy
	}
	return err
}

func unlockFile(f *os.File) error {
	ol := &windows.Overlapped{OffsetHigh: regionOffsetHigh}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, regionLen, 0, ol)
}
