package collector

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
)

// TestDiskFullIsRedWithTheFreeSpace: a store write failing for lack of space
// reads "Disk full: 3 MB free at PATH" (red, fix: free space), not amber
// "Unexpected error … (13)" with "Run Test connection".
func TestDiskFullIsRedWithTheFreeSpace(t *testing.T) {
	free := func(string) (uint64, error) { return 3 << 20, nil }
	cases := []struct {
		name   string
		err    error
		full   bool
		reason string
	}{
		{"SQLITE_FULL", fmt.Errorf("storing blob x: committing: database or disk is full (13)"), true, "Disk full: 3 MB free at /p/data"},
		{"ENOSPC", fmt.Errorf("saving cursor: %w", syscall.ENOSPC), true, "Disk full: 3 MB free at /p/data"},
		{"other store error", errors.New("storing blob x: database is locked (5)"), false, "Unexpected error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := diskFullFault(tc.err, "/p/data/events.db", free)
			if (fault.KindOf(err) == fault.DiskFull) != tc.full {
				t.Fatalf("kind %v", fault.KindOf(err))
			}
			reason, fix, _ := health.Explain(err)
			if !strings.Contains(reason, tc.reason) {
				t.Fatalf("reason %q lacks %q", reason, tc.reason)
			}
			if tc.full && (!fault.KindOf(err).NeedsAdmin() || !strings.Contains(fix, "Free space")) {
				t.Fatalf("disk full is not red with the fix to free space: %q", fix)
			}
			if !errors.Is(err, tc.err) && err != tc.err {
				t.Fatal("the original error is lost")
			}
		})
	}
}
