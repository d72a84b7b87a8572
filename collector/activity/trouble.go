package activity

import (
	"sync"
	"time"

	"github.com/auditlight/auditlight/internal/idlehttp"
)

// DefaultIdleTimeout is how long a request may go without receiving a byte
// (headers or body) before it is abandoned as stalled and retried (the
// mechanism is internal/idlehttp, shared with sign-in and Graph). It
// replaces waiting for a whole-request timeout behind a slow-dripping proxy.
const DefaultIdleTimeout = idlehttp.DefaultIdle

// Trouble is a condition that persists across requests even when retries
// succeed in the end: collection goes on, but more slowly, and the status
// says so.
type Trouble struct {
	Throttled      bool      // throttling answers (403 AF429, 429) for minutes
	ThrottledSince time.Time // start of the throttling streak
	ThrottledLast  time.Time // the latest throttling answer
	Stalled        bool      // responses repeatedly stall (an unreliable network or proxy)
	StalledSince   time.Time
	StalledLast    time.Time // the latest stall
}

// streak tracks a run of events with no quiet gap longer than quiet.
type streak struct {
	first, last time.Time
	n           int
}

func (s *streak) add(now time.Time, quiet time.Duration) {
	if s.n == 0 || now.Sub(s.last) > quiet {
		s.first, s.n = now, 0
	}
	s.last = now
	s.n++
}

// active reports a streak that has lasted at least minSpan with at least
// minN events, the latest within quiet of now.
func (s *streak) active(now time.Time, quiet, minSpan time.Duration, minN int) bool {
	return s.n >= minN && now.Sub(s.last) <= quiet && s.last.Sub(s.first) >= minSpan
}

// troubles records throttling answers and stalls.
type troubles struct {
	mu        sync.Mutex
	throttled streak
	stalled   streak
}

// How persistent a condition must be before it is reported.
const (
	troubleQuiet       = 3 * time.Minute  // a pause this long ends a streak
	throttleMinSpan    = 30 * time.Second // long enough to slow a catch-up noticeably; a one-off 429 burst stays quiet
	throttleMinAnswers = 5
	stallMinCount      = 3 // three stalls in one streak: not a one-off
	stallMinSpan       = 0
)

func (t *troubles) note(now time.Time, throttle bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if throttle {
		t.throttled.add(now, troubleQuiet)
	} else {
		t.stalled.add(now, troubleQuiet)
	}
}

func (t *troubles) at(now time.Time) Trouble {
	t.mu.Lock()
	defer t.mu.Unlock()
	var tr Trouble
	if t.throttled.active(now, troubleQuiet, throttleMinSpan, throttleMinAnswers) {
		tr.Throttled, tr.ThrottledSince, tr.ThrottledLast = true, t.throttled.first, t.throttled.last
	}
	if t.stalled.active(now, troubleQuiet, stallMinSpan, stallMinCount) {
		tr.Stalled, tr.StalledSince, tr.StalledLast = true, t.stalled.first, t.stalled.last
	}
	return tr
}

// Trouble reports persistent throttling or stalling as of now (local clock).
func (c *Client) Trouble(now time.Time) Trouble { return c.trouble.at(now) }
