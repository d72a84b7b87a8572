// Package scratch gives tests a temporary directory that also works under
// Wine (scripts/wine-unit.sh): Wine 8 cannot run Go 1.26's os.RemoveAll
// ("unlinkat: Invalid function"), which makes t.TempDir's clean-up fail the
// test there, so the clean-up here is best effort.
package scratch

import (
	"os"
	"testing"
)

// Dir returns a new temporary directory removed (best effort) when the test ends.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "auditlight-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}
