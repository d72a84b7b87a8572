package collector

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/diskfree"
)

// isDiskFull recognises a write that failed for lack of space: SQLite's
// SQLITE_FULL ("database or disk is full", code 13) or ENOSPC.
func isDiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "no space left on device") ||
		strings.Contains(msg, "SQLITE_FULL")
}

// diskFullFault turns a disk-full failure into a red fault that says how
// much space is left where ("disk full: 3 MB free at /home/ann/.config/…");
// any other error is returned unchanged. free reads the free bytes of a path.
func diskFullFault(err error, storePath string, free func(string) (uint64, error)) error {
	if !isDiskFull(err) || fault.KindOf(err) == fault.DiskFull {
		return err
	}
	dir := filepath.Dir(storePath)
	msg := "no space left at " + dir
	if n, ferr := free(dir); ferr == nil {
		msg = fmt.Sprintf("%d MB free at %s", n>>20, dir)
	}
	return &fault.Error{Kind: fault.DiskFull, Op: "storing audit records", Message: msg, Err: err}
}

// storeFault classifies a store failure of this collector.
func (c *Collector) storeFault(err error) error {
	return diskFullFault(err, c.st.Path(), diskfree.Bytes)
}
