package walkthrough

import (
	"slices"
	"testing"

	"github.com/auditlight/auditlight/collector/store"
)

// TestEveryTestsOperationsHaveTheirIndex: every operation a test waits for
// is one the store keeps a partial index of (store.DetectionTestOperations),
// so the waiting test's poll never counts a days-long span without an
// index.
func TestEveryTestsOperationsHaveTheirIndex(t *testing.T) {
	for _, tt := range Tests() {
		for _, op := range tt.Operations {
			if !slices.Contains(store.DetectionTestOperations(), op) {
				t.Errorf("test %s waits for %q, which store.DetectionTestOperations lacks", tt.ID, op)
			}
		}
	}
}
