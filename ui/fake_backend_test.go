package ui

import (
	"context"
	"errors"
	"io"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/internal/uitest"
	"github.com/auditlight/auditlight/ui/setup"
)

// fakeBackend is an in-memory Backend for the GUI tests. All methods are safe
// for concurrent use.
type fakeBackend struct {
	mu            sync.Mutex
	draft         setup.Draft
	savedDrafts   []setup.Draft
	report        setup.CheckReport
	connectErr    error
	rotateErr     error
	disconnectErr error
	connected     []setup.Draft
	secrets       []string
	rotated       []time.Time
	disconnects   []bool
	paused        int
	resumed       int
	retries       int
	expiry        time.Time
	reminder      string
	rows          []events.Row // newest first
	filters       []events.Filter
	hourly        []HourCount
	hourlyCalls   int
	counts        int // CountEvents calls
	unconfigured  bool
	status        chan health.Status
	ticks         chan int
	fakeFindings  // findings and the detection walkthrough (fake_findings_test.go)
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{status: make(chan health.Status, 16), ticks: make(chan int, 16)}
}

func (f *fakeBackend) LoadDraft() setup.Draft {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.draft
}

func (f *fakeBackend) SaveDraft(d setup.Draft) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.draft = d
	f.savedDrafts = append(f.savedDrafts, d)
	return nil
}

func (f *fakeBackend) TestConnection(ctx context.Context, d setup.Draft, secret string, progress func(setup.CheckResult)) setup.CheckReport {
	f.mu.Lock()
	rep := f.report
	f.secrets = append(f.secrets, secret)
	f.mu.Unlock()
	for _, r := range rep.Results {
		running := r
		running.Status = setup.CheckRunning
		progress(running)
		progress(r)
	}
	return rep
}

func (f *fakeBackend) Connect(ctx context.Context, d setup.Draft, secret string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.connectErr != nil {
		return f.connectErr
	}
	f.connected = append(f.connected, d)
	return nil
}

func (f *fakeBackend) RotateSecret(ctx context.Context, secret string, expiry time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.secrets = append(f.secrets, secret)
	if f.rotateErr != nil {
		return f.rotateErr
	}
	f.rotated = append(f.rotated, expiry)
	f.expiry = expiry
	return nil
}

func (f *fakeBackend) Disconnect(ctx context.Context, keepData bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disconnects = append(f.disconnects, keepData)
	if f.disconnectErr != nil {
		return f.disconnectErr
	}
	f.unconfigured = true
	return nil
}

func (f *fakeBackend) Configured() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.unconfigured
}

func (f *fakeBackend) SubscribeStatus() (<-chan health.Status, func()) { return f.status, func() {} }
func (f *fakeBackend) SubscribeEvents() (<-chan int, func())           { return f.ticks, func() {} }

func (f *fakeBackend) addRows(rows ...events.Row) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = append(slices.Clone(rows), f.rows...)
}

func (f *fakeBackend) lastFilter() (events.Filter, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.filters) == 0 {
		return events.Filter{}, 0
	}
	return f.filters[len(f.filters)-1], len(f.filters)
}

// matches applies the filter the way the store does: results compare
// exactly (the store holds "success"/"failure"), never case-folded.
func matches(r events.Row, fl events.Filter) bool {
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

func (f *fakeBackend) Events(ctx context.Context, fl events.Filter) ([]events.Row, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, fl)
	var out []events.Row
	for _, r := range f.rows {
		if matches(r, fl) {
			out = append(out, r)
			if fl.Limit > 0 && len(out) == fl.Limit {
				break
			}
		}
	}
	return out, nil
}

func (f *fakeBackend) Record(ctx context.Context, id string, at time.Time) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rows {
		if r.ID == id && r.Time.Equal(at) {
			return r.Raw, nil
		}
	}
	return nil, errors.New("not found")
}

func (f *fakeBackend) CountEvents(ctx context.Context, fl events.Filter) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts++
	fl.Before, fl.Limit = nil, 0
	var n int64
	for _, r := range f.rows {
		if matches(r, fl) {
			n++
		}
	}
	return n, nil
}

func (f *fakeBackend) HourlyCounts(ctx context.Context, since, until time.Time) ([]HourCount, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hourlyCalls++
	return slices.Clone(f.hourly), nil
}

// hourlyCallCount is how many times the chart was loaded, safe while
// loads run.
func (f *fakeBackend) hourlyCallCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hourlyCalls
}

func (f *fakeBackend) iterate(fl events.Filter) iter.Seq2[events.Row, error] {
	return func(yield func(events.Row, error) bool) {
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

func (f *fakeBackend) Export(ctx context.Context, fl events.Filter, format events.ExportFormat, w io.Writer, progress func(done, total int64)) error {
	total, _ := f.CountEvents(ctx, fl)
	var err error
	if format == events.JSONLines {
		_, err = events.WriteJSONLines(w, f.iterate(fl))
	} else {
		_, err = events.WriteCSV(w, f.iterate(fl))
	}
	progress(total, total)
	return err
}

func (f *fakeBackend) Pause()    { f.mu.Lock(); f.paused++; f.mu.Unlock() }
func (f *fakeBackend) Resume()   { f.mu.Lock(); f.resumed++; f.mu.Unlock() }
func (f *fakeBackend) RetryNow() { f.mu.Lock(); f.retries++; f.mu.Unlock() }

func (f *fakeBackend) SecretExpiry() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.expiry
}

func (f *fakeBackend) ReminderText() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reminder
}

// testValidator is the input rules of the tests (see uitest.NewRules).
func testValidator() setup.Validator { return setup.Validator(uitest.NewRules()) }

// Wizard inputs the tests type.
const (
	testTenant = "6f1c2a3b-1234-4d5e-8f90-abcdef012345"
	testClient = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	testSecret = "Abc8Q~verylongsecretvalue.1234567890xyz"
)
