package app

import (
	"context"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/collector/walkthrough"
)

// metaWalkthrough is the store setting that holds the detection test's state.
const metaWalkthrough = "walkthrough"

// Findings lists the findings matching f, most recent first (nil before the
// first connection).
func (b *backend) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	rt := b.runtime()
	if rt == nil {
		return nil, nil
	}
	return rt.Store.Findings(ctx, f)
}

// Finding returns one finding with its evidence record ids.
func (b *backend) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	rt := b.runtime()
	if rt == nil {
		return finding.Finding{}, errNoStore
	}
	return rt.Store.Finding(ctx, id)
}

// SetFindingStatus changes a finding's status; allow (false-positive only)
// adds an allow-list entry that suppresses future matches of that value.
func (b *backend) SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (finding.Finding, error) {
	rt := b.runtime()
	if rt == nil {
		return finding.Finding{}, errNoStore
	}
	return rt.Store.SetFindingStatus(ctx, id, st, allow)
}

// FindingSummary counts new and open findings for the badge and tray line.
func (b *backend) FindingSummary(ctx context.Context) (finding.Summary, error) {
	rt := b.runtime()
	if rt == nil {
		return finding.Summary{}, nil
	}
	return rt.Store.FindingSummary(ctx)
}

// Walkthrough returns the "Test my detections" state machine over the
// connected store (nil before the first connection).
func (b *backend) Walkthrough() *walkthrough.Machine {
	rt := b.runtime()
	if rt == nil {
		return nil
	}
	return newWalkthrough(rt.Store, b.clock)
}

// newWalkthrough builds the detection-test machine persisted in st.
func newWalkthrough(st *store.Store, clock func() time.Time) *walkthrough.Machine {
	return walkthrough.New(metaPersister{st: st, key: metaWalkthrough}, storeObserver{st: st}, clock)
}

// metaPersister keeps a JSON document in a store setting.
type metaPersister struct {
	st  *store.Store
	key string
}

func (p metaPersister) Load(ctx context.Context) ([]byte, bool, error) {
	v, ok, err := p.st.Meta(ctx, p.key)
	return []byte(v), ok, err
}

func (p metaPersister) Save(ctx context.Context, doc []byte) error {
	return p.st.SetMeta(ctx, p.key, string(doc))
}

// storeObserver answers the walkthrough's questions from the store.
type storeObserver struct{ st *store.Store }

func (o storeObserver) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	return o.st.Findings(ctx, f)
}

func (o storeObserver) RecordsSince(ctx context.Context, ops []string, since time.Time) (int64, time.Time, error) {
	return o.st.OperationsSince(ctx, ops, since)
}
