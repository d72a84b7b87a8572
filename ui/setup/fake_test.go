package setup

import (
	"context"
	"sync"
	"time"

	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// fakeBackend is an in-memory Backend for the setup tests. All methods are
// safe for concurrent use.
type fakeBackend struct {
	mu          sync.Mutex
	draft       Draft
	savedDrafts []Draft
	report      CheckReport
	connectErr  error
	connected   []Draft
	secrets     []string
	expiry      time.Time
}

func newFakeBackend() *fakeBackend { return &fakeBackend{} }

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

// TestConnection reports each check of the canned report as running, then
// as its result.
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

func (f *fakeBackend) SecretExpiry() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.expiry
}

// testValidator is the input rules of the tests (see uitest.NewRules).
func testValidator() Validator { return Validator(uitest.NewRules()) }
