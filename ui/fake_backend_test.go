package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/health"
)

// fakeBackend is an in-memory Backend for the GUI tests. All methods are safe
// for concurrent use.
type fakeBackend struct {
	mu            sync.Mutex
	draft         Draft
	savedDrafts   []Draft
	report        CheckReport
	connectErr    error
	rotateErr     error
	disconnectErr error
	connected     []Draft
	secrets       []string
	rotated       []time.Time
	disconnects   []bool
	paused        int
	resumed       int
	retries       int
	expiry        time.Time
	reminder      string
	rows          []EventRow // newest first
	filters       []EventFilter
	hourly        []HourCount
	hourlyCalls   int
	countGate     chan struct{} // non-nil: CountEvents waits for a value (a slow count)
	unconfigured  bool
	status        chan health.Status
	ticks         chan int
	fakeFindings  // findings and the detection walkthrough (fake_findings_test.go)
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{status: make(chan health.Status, 16), ticks: make(chan int, 16)}
}

func (f *fakeBackend) LoadDraft() Draft {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.draft
}

func (f *fakeBackend) SaveDraft(d Draft) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.draft = d
	f.savedDrafts = append(f.savedDrafts, d)
	return nil
}

func (f *fakeBackend) TestConnection(ctx context.Context, d Draft, secret string, progress func(CheckResult)) CheckReport {
	f.mu.Lock()
	rep := f.report
	f.secrets = append(f.secrets, secret)
	f.mu.Unlock()
	for _, r := range rep.Results {
		running := r
		running.Status = CheckRunning
		progress(running)
		progress(r)
	}
	return rep
}

func (f *fakeBackend) Connect(ctx context.Context, d Draft, secret string) error {
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

func (f *fakeBackend) addRows(rows ...EventRow) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = append(slices.Clone(rows), f.rows...)
}

func (f *fakeBackend) lastFilter() (EventFilter, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.filters) == 0 {
		return EventFilter{}, 0
	}
	return f.filters[len(f.filters)-1], len(f.filters)
}

// matches applies the filter the way the store does: results compare
// exactly (the store holds "success"/"failure"), never case-folded.
func matches(r EventRow, fl EventFilter) bool {
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

func (f *fakeBackend) Events(ctx context.Context, fl EventFilter) ([]EventRow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, fl)
	var out []EventRow
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

func (f *fakeBackend) CountEvents(ctx context.Context, fl EventFilter) (int64, error) {
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

func (f *fakeBackend) HourlyCounts(ctx context.Context, since, until time.Time) ([]HourCount, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hourlyCalls++
	return slices.Clone(f.hourly), nil
}

func (f *fakeBackend) iterate(fl EventFilter) iter.Seq2[EventRow, error] {
	return func(yield func(EventRow, error) bool) {
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

func (f *fakeBackend) Export(ctx context.Context, fl EventFilter, format ExportFormat, w io.Writer, progress func(done, total int64)) error {
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

// queue is a dispatcher for Options.Do: background goroutines enqueue UI
// updates and the test goroutine runs them, so widgets are only touched by
// one goroutine (the Fyne test driver would otherwise run them in place).
type queue struct{ ch chan func() }

func newQueue() *queue { return &queue{ch: make(chan func(), 1024)} }

func (q *queue) Do(f func()) { q.ch <- f }

// until runs queued updates until cond holds, failing after a generous timeout.
func (q *queue) until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-q.ch:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// drain runs every update queued so far.
func (q *queue) drain() {
	for {
		select {
		case f := <-q.ch:
			f()
		default:
			return
		}
	}
}

// testValidator follows the real rules: trim whitespace and quotes, a GUID
// has 36 characters in 8-4-4-4-12 form, domains end in .onmicrosoft.com.
func testValidator() Validator {
	guid := regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	clean := func(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }
	checkGUID := func(s, what string) (string, error) {
		s = clean(s)
		switch {
		case s == "":
			return "", fmt.Errorf("enter the %s", what)
		case guid.MatchString(s):
			return strings.ToLower(s), nil
		case len(s) != 36:
			return "", fmt.Errorf("that is %d characters; a GUID has 36", len(s))
		}
		return "", errors.New("a GUID looks like 8-4-4-4-12 hexadecimal characters")
	}
	return Validator{
		Tenant: func(s string) (string, error) {
			c := clean(s)
			if strings.HasSuffix(strings.ToLower(c), ".onmicrosoft.com") && len(c) > len(".onmicrosoft.com") {
				return strings.ToLower(c), nil
			}
			return checkGUID(s, "directory (tenant) ID")
		},
		ClientID: func(s string) (string, error) { return checkGUID(s, "application (client) ID") },
		Secret: func(s string) (string, error) {
			c := clean(s)
			if len(c) < 20 {
				return "", errors.New("a client secret value has about 40 characters")
			}
			return c, nil
		},
		LooksLikeSecretID: func(s string) bool { return guid.MatchString(clean(s)) },
	}
}
