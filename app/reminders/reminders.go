// Package reminders decides when to remind the user that the client secret
// is about to expire: 30, 14, 7, 3 and 1 days before, on the day, and once
// after it has expired. Each reminder is shown once per secret, remembered
// across restarts in a small JSON file in the profile directory.
package reminders

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ThresholdExpired is the Threshold of the reminder shown once the secret
// has expired.
const ThresholdExpired = -1

// Thresholds returns the reminder thresholds in days before expiry, least
// urgent first; 0 is "on the day".
func Thresholds() []int { return []int{30, 14, 7, 3, 1, 0} }

// Reminder is one notification to show.
type Reminder struct {
	// Threshold in days before expiry (0 = on the day, ThresholdExpired
	// after expiry) that made this reminder due.
	Threshold int
	// Title is the notification title, e.g. "Client secret expires in 5
	// days — 2026-11-30".
	Title string
	// Body says what to do.
	Body string
	// Level is LevelInfo, LevelWarning or LevelCritical.
	Level string
}

// ErrStateReset is wrapped by New's error when the state file could not be
// read as reminder state and was moved aside; the Scheduler is usable.
var ErrStateReset = errors.New("reminder state was unreadable and has been reset")

// Scheduler tracks which reminders have been shown. It is safe for
// concurrent use.
type Scheduler struct {
	path  string
	clock func() time.Time

	mu sync.Mutex
	st state
}

// New loads the reminder state from path (normally "reminders.json" in the
// profile directory; a missing file is an empty state). clock nil means
// time.Now.
//
// If the file is corrupt, New moves it to path+".corrupt", writes a fresh
// state and returns a usable *Scheduler together with an error wrapping
// ErrStateReset that explains what happened: log it and carry on (at worst
// a reminder is shown once more). Any other error comes with a nil
// Scheduler.
func New(path string, clock func() time.Time) (*Scheduler, error) {
	if clock == nil {
		clock = time.Now
	}
	s := &Scheduler{path: path, clock: clock}
	st, err := load(path)
	if err == nil {
		s.st = st
		return s, nil
	}
	var ce *corruptError
	if !errors.As(err, &ce) {
		return nil, err
	}
	s.st = newState()
	aside := path + ".corrupt"
	resetErr := fmt.Errorf("%w: %s (%v); moved it to %s and started afresh, so an expiry reminder may be shown once more",
		ErrStateReset, path, ce.err, aside)
	if rerr := moveAside(path, aside); rerr != nil {
		return s, errors.Join(resetErr, rerr)
	}
	if werr := save(path, s.st); werr != nil {
		return s, errors.Join(resetErr, werr)
	}
	return s, resetErr
}

// Due returns the reminder to show now for a secret expiring at expiry, or
// none. At most one reminder is returned: when several thresholds became
// due at once (first start 5 days before expiry), only the most urgent is
// shown, worded with the real number of days left, and the less urgent
// ones are recorded as superseded so they never appear.
//
// Due records what it returns before returning it (the caller then shows
// the notification; OS notifications report no delivery anyway), writing
// the state file atomically. If saving fails, Due still returns the
// reminder — an unwarned user is worse — together with the error; this
// process remembers it, a restart may show it once more.
//
// A zero expiry (not known yet) yields no reminder. Call Due whenever the
// expiry is (re)read and periodically (e.g. hourly) while running.
func (s *Scheduler) Due(expiry time.Time) ([]Reminder, error) {
	if expiry.IsZero() {
		return nil, nil
	}
	now := s.clock()
	th, ok := dueThreshold(expiry, now)
	if !ok {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.st.secret(expiry)
	if _, done := sec.Marks[th]; done {
		return nil, nil
	}
	sec.Marks[th] = mark{At: now.UTC(), How: howSent}
	for _, other := range append(Thresholds(), ThresholdExpired) {
		if _, done := sec.Marks[other]; !done && other > th {
			sec.Marks[other] = mark{At: now.UTC(), How: howSuperseded}
		}
	}
	s.st.prune(now)
	r := []Reminder{build(expiry, now, th)}
	if err := save(s.path, s.st); err != nil {
		return r, fmt.Errorf("remembering the expiry reminder: %w", err)
	}
	return r, nil
}

// Sent reports which thresholds of the secret expiring at expiry have been
// shown (true) or superseded (false); for diagnostics and the dashboard.
func (s *Scheduler) Sent(expiry time.Time) map[int]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]bool)
	if sec, ok := s.st.Secrets[key(expiry)]; ok {
		for th, m := range sec.Marks {
			out[th] = m.How == howSent
		}
	}
	return out
}

// dueThreshold returns the most urgent threshold reached at now.
func dueThreshold(expiry, now time.Time) (int, bool) {
	if expired(expiry, now) {
		return ThresholdExpired, true
	}
	d := daysLeft(expiry, now)
	ths := Thresholds()
	for i := len(ths) - 1; i >= 0; i-- { // most urgent first
		if d <= ths[i] {
			return ths[i], true
		}
	}
	return 0, false
}
