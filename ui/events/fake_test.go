package events

import (
	"context"
	"errors"
	"io"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
)

// fakeSource is an in-memory Source for the feed's tests. All methods are
// safe for concurrent use.
type fakeSource struct {
	mu      sync.Mutex
	rows    []Row // newest first
	filters []Filter
	// countGate, when set, holds CountEvents until a value or close (a
	// slow count).
	countGate chan struct{}
	// recordReads counts Record calls; recordErr, when set, is their error.
	recordReads int
	recordErr   error
}

func newFakeSource() *fakeSource { return &fakeSource{} }

func (f *fakeSource) addRows(rows ...Row) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = append(slices.Clone(rows), f.rows...)
}

func (f *fakeSource) lastFilter() (Filter, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.filters) == 0 {
		return Filter{}, 0
	}
	return f.filters[len(f.filters)-1], len(f.filters)
}

// matches applies the filter the way the store does: results compare
// exactly (the store holds "success"/"failure"), never case-folded.
func matches(r Row, fl Filter) bool {
	if fl.IDs != nil && !slices.Contains(fl.IDs, r.ID) {
		return false
	}
	if len(fl.Workloads) > 0 && !slices.Contains(fl.Workloads, r.Workload) {
		return false
	}
	if fl.Result != "" && fl.Result != r.Result {
		return false
	}
	if !fl.Since.IsZero() && r.Time.Before(fl.Since) {
		return false
	}
	if !fl.Until.IsZero() && !r.Time.Before(fl.Until) {
		return false
	}
	if fl.Text != "" {
		hay := strings.ToLower(r.User + " " + r.UserDisplay + " " + r.Operation + " " + r.ClientIP + " " + r.ObjectID)
		if !strings.Contains(hay, strings.ToLower(fl.Text)) {
			return false
		}
	}
	if fl.Before != nil {
		if r.Time.After(fl.Before.Time) || (r.Time.Equal(fl.Before.Time) && r.ID >= fl.Before.ID) {
			return false
		}
	}
	return true
}

func (f *fakeSource) Events(ctx context.Context, fl Filter) ([]Row, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, fl)
	var out []Row
	for _, r := range f.rows {
		if matches(r, fl) {
			r.Raw = nil // as the backend's pages: Record reads it
			out = append(out, r)
			if fl.Limit > 0 && len(out) == fl.Limit {
				break
			}
		}
	}
	return out, nil
}

func (f *fakeSource) CountEvents(ctx context.Context, fl Filter) (int64, error) {
	f.mu.Lock()
	gate := f.countGate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	fl.Before, fl.Limit = nil, 0
	var n int64
	for _, r := range f.rows {
		if matches(r, fl) {
			n++
		}
	}
	return n, nil
}

func (f *fakeSource) iterate(fl Filter) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		f.mu.Lock()
		rows := slices.Clone(f.rows)
		f.mu.Unlock()
		for _, r := range rows {
			if matches(r, fl) && !yield(r, nil) {
				return
			}
		}
	}
}

func (f *fakeSource) Export(ctx context.Context, fl Filter, format ExportFormat, w io.Writer, progress func(done, total int64)) error {
	total, _ := f.CountEvents(ctx, fl)
	var err error
	if format == JSONLines {
		_, err = WriteJSONLines(w, f.iterate(fl))
	} else {
		_, err = WriteCSV(w, f.iterate(fl))
	}
	progress(total, total)
	return err
}

func (f *fakeSource) Record(ctx context.Context, id string, at time.Time) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recordReads++
	if f.recordErr != nil {
		return nil, f.recordErr
	}
	for _, r := range f.rows {
		if r.ID == id && r.Time.Equal(at) {
			return r.Raw, nil
		}
	}
	return nil, errors.New("not found")
}
