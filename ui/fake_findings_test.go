package ui

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/walkthrough"
)

// fakeFindings is the findings part of fakeBackend: an in-memory list, the
// summary computed from it like the store does, and a real walkthrough
// machine over an in-memory persister.
type fakeFindings struct {
	fmu      sync.Mutex
	findings []finding.Finding // newest first
	allowed  []finding.Entry
	ops      []opRecord // audit records the walkthrough observer counts
	wt       *walkthrough.Machine
	wtDoc    []byte
	noTenant bool          // Walkthrough returns nil (before the first connection)
	gate     chan struct{} // non-nil: Findings answers once it is closed (a busy store)
}

// holdFindings makes Findings wait until the returned func is called.
func (f *fakeFindings) holdFindings() (release func()) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	gate := make(chan struct{})
	f.gate = gate
	return func() {
		f.fmu.Lock()
		f.gate = nil
		f.fmu.Unlock()
		close(gate)
	}
}

// opRecord is one stored audit record, as far as the walkthrough asks.
type opRecord struct {
	Operation string
	Time      time.Time
}

func (f *fakeFindings) setFindings(fs ...finding.Finding) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	f.findings = slices.Clone(fs)
}

func (f *fakeFindings) addFinding(x finding.Finding) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	f.findings = append([]finding.Finding{x}, f.findings...)
}

func (f *fakeFindings) addOp(op string, t time.Time) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	f.ops = append(f.ops, opRecord{op, t})
}

func (f *fakeFindings) Findings(ctx context.Context, flt finding.Filter) ([]finding.Finding, error) {
	f.fmu.Lock()
	if gate := f.gate; gate != nil {
		f.fmu.Unlock()
		<-gate
		f.fmu.Lock()
	}
	defer f.fmu.Unlock()
	var out []finding.Finding
	for _, x := range f.findings {
		if len(flt.Statuses) > 0 && !slices.Contains(flt.Statuses, x.Status) {
			continue
		}
		if x.Severity < flt.MinSeverity || (flt.RuleID != "" && flt.RuleID != x.RuleID) {
			continue
		}
		if !flt.Since.IsZero() && x.LastSeen.Before(flt.Since) {
			continue
		}
		x.Evidence = nil
		out = append(out, x)
	}
	return out, nil
}

func (f *fakeFindings) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	for _, x := range f.findings {
		if x.ID == id {
			return x, nil
		}
	}
	return finding.Finding{}, errors.New("no such finding")
}

func (f *fakeFindings) SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (finding.Finding, error) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	for i := range f.findings {
		if f.findings[i].ID == id {
			f.findings[i].Status = st
			if allow != nil {
				f.allowed = append(f.allowed, *allow)
			}
			return f.findings[i], nil
		}
	}
	return finding.Finding{}, errors.New("no such finding")
}

func (f *fakeFindings) FindingSummary(ctx context.Context) (finding.Summary, error) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	var s finding.Summary
	for _, x := range f.findings {
		if x.Status.Open() {
			s.Open++
		}
		if x.Status != finding.StatusNew {
			continue
		}
		s.New++
		if x.Severity >= finding.High {
			s.NewHigh++
		}
		s.Highest = max(s.Highest, x.Severity)
		if x.DetectedAt.After(s.LastDetected) {
			s.LastDetected = x.DetectedAt
		}
	}
	return s, nil
}

func (f *fakeFindings) Walkthrough() *walkthrough.Machine {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	if f.noTenant {
		return nil
	}
	if f.wt == nil {
		f.wt = walkthrough.New(fakePersister{f}, fakeObserver{f}, func() time.Time { return dashNow })
	}
	return f.wt
}

// fakePersister keeps the walkthrough document in memory.
type fakePersister struct{ f *fakeFindings }

func (p fakePersister) Load(ctx context.Context) ([]byte, bool, error) {
	p.f.fmu.Lock()
	defer p.f.fmu.Unlock()
	return slices.Clone(p.f.wtDoc), p.f.wtDoc != nil, nil
}

func (p fakePersister) Save(ctx context.Context, doc []byte) error {
	p.f.fmu.Lock()
	defer p.f.fmu.Unlock()
	p.f.wtDoc = slices.Clone(doc)
	return nil
}

// fakeObserver answers the walkthrough from the fake's findings and records.
type fakeObserver struct{ f *fakeFindings }

func (o fakeObserver) Findings(ctx context.Context, flt finding.Filter) ([]finding.Finding, error) {
	return o.f.Findings(ctx, flt)
}

func (o fakeObserver) RecordsSince(ctx context.Context, ops []string, since time.Time) (int64, time.Time, error) {
	o.f.fmu.Lock()
	defer o.f.fmu.Unlock()
	var n int64
	var newest time.Time
	for _, r := range o.f.ops {
		if slices.Contains(ops, r.Operation) && !r.Time.Before(since) {
			n++
			if r.Time.After(newest) {
				newest = r.Time
			}
		}
	}
	return n, newest, nil
}
