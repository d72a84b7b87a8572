package collector_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/store"
)

// openStore opens a fresh store in the test's temp dir, closed at the end.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "events.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// drainExchange runs one `collect --once` of the Exchange content type over
// api at the given clock, as a fresh process would.
func drainExchange(t *testing.T, api collector.API, st *store.Store, clock func() time.Time) error {
	t.Helper()
	c, err := collector.New(collector.Options{API: api, Store: st, ContentTypes: []activity.ContentType{activity.AuditExchange},
		Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return c.Drain(context.Background())
}
