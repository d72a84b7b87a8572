// Package uitest holds what the GUI packages' tests share: a dispatcher
// that runs queued widget updates on the test goroutine, a model of Fyne's
// event loop and its end, and input rules that follow the real ones without
// importing collector/auth.
package uitest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/ui/uigate"
)

// Queue is the Fyne goroutine of the screens' tests: background goroutines
// enqueue UI updates through its Gate (Options.Gate) and the test goroutine
// runs them, so widgets are only touched by one goroutine (the Fyne test
// driver would otherwise run them in place).
type Queue struct{ ch chan func() }

// NewQueue returns an empty queue.
func NewQueue() *Queue { return &Queue{ch: make(chan func(), 1024)} }

// Do enqueues f; the test goroutine runs it in Until or Drain.
func (q *Queue) Do(f func()) { q.ch <- f }

// Gate returns an open gate (Options.Gate) whose work q runs.
func (q *Queue) Gate() *uigate.Gate { return uigate.New(context.Background(), q.Do) }

// Until runs queued updates until cond holds, failing after a generous timeout.
func (q *Queue) Until(t testing.TB, what string, cond func() bool) {
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

// Drain runs every update queued so far.
func (q *Queue) Drain() {
	for {
		select {
		case f := <-q.ch:
			f()
		default:
			return
		}
	}
}

// Loop models Fyne v2.8.1's event loop as fyne.Do sees it
// (internal/driver/glfw/loop.go, runOnMainWithWait): functions queue for
// the loop's turns until the loop has drained at its end; after that
// fyne.Do runs each at once on the caller's goroutine. The test goroutine
// plays the Fyne goroutine (RunQueued). Give Do to uigate.New.
type Loop struct {
	mu      sync.Mutex
	calls   []func()
	drained bool
}

// Do is fyne.Do: queued while the loop runs, run in place once it drained.
func (l *Loop) Do(f func()) {
	l.mu.Lock()
	if l.drained {
		l.mu.Unlock()
		f()
		return
	}
	l.calls = append(l.calls, f)
	l.mu.Unlock()
}

// Queued is how many functions wait for the loop.
func (l *Loop) Queued() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls)
}

// RunQueued is one turn of the loop: it runs, in order and on the
// caller's goroutine, what was queued when it began (what they queue waits
// for the next turn, so goroutines that keep queueing cannot hold it).
func (l *Loop) RunQueued() {
	l.mu.Lock()
	calls := l.calls
	l.calls = nil
	l.mu.Unlock()
	for _, f := range calls {
		f()
	}
}

// Drain ends the loop as Fyne's does: what is queued is discarded, never
// run, and later calls run in place on their callers' goroutines.
func (l *Loop) Drain() {
	l.mu.Lock()
	l.calls = nil
	l.drained = true
	l.mu.Unlock()
}

// Rules is setup.Validator's shape (convert with setup.Validator(r)); the
// package cannot import setup, whose own tests use it.
type Rules struct {
	Tenant            func(string) (string, error)
	ClientID          func(string) (string, error)
	Secret            func(string) (string, error)
	LooksLikeSecretID func(string) bool
}

// NewRules follows the real rules: trim whitespace and quotes, a GUID
// has 36 characters in 8-4-4-4-12 form, domains end in .onmicrosoft.com.
func NewRules() Rules {
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
	return Rules{
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

// Retype replaces the text of an entry as typed input.
func Retype(e interface {
	fyne.Focusable
	SetText(string)
}, s string) {
	e.SetText("")
	test.Type(e, s)
}
