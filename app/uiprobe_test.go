package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLatencyQuantiles(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name          string
		in            []time.Duration
		p50, p95, max time.Duration
	}{
		{"one sample", ms(7), 7 * time.Millisecond, 7 * time.Millisecond, 7 * time.Millisecond},
		{"unsorted", ms(30, 10, 20), 20 * time.Millisecond, 30 * time.Millisecond, 30 * time.Millisecond},
		{"one slow in twenty", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 900),
			1 * time.Millisecond, 3 * time.Millisecond, 900 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := latencyQuantiles(tc.in)
			if q.p50 != tc.p50 || q.p95 != tc.p95 || q.max != tc.max {
				t.Errorf("got p50 %v p95 %v max %v, want %v %v %v", q.p50, q.p95, q.max, tc.p50, tc.p95, tc.max)
			}
		})
	}
}

// TestLoopProbeMeasuresTheWaitForTheUIGoroutine: the probe reports how long
// its callbacks waited to run, per interval and for the whole run.
func TestLoopProbeMeasuresTheWaitForTheUIGoroutine(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var queued []func()
	var buf bytes.Buffer
	p := newLoopProbe(func(f func()) { queued = append(queued, f) }, func() time.Time { return now },
		slog.New(slog.NewTextHandler(&buf, nil)))
	waits := []time.Duration{5 * time.Millisecond, 250 * time.Millisecond, 10 * time.Millisecond}
	for _, w := range waits {
		p.sample()
		now = now.Add(w) // the UI goroutine is busy this long
		queued[len(queued)-1]()
	}
	p.report(false)
	if got := buf.String(); !strings.Contains(got, "over=interval n=3 p50ms=10 p95ms=250 maxms=250") {
		t.Errorf("interval report: %s", got)
	}
	buf.Reset()
	p.report(false)
	if buf.Len() != 0 {
		t.Errorf("an empty interval was reported: %s", buf.String())
	}
	p.sample()
	now = now.Add(40 * time.Millisecond)
	queued[len(queued)-1]()
	p.report(true)
	if got := buf.String(); !strings.Contains(got, "over=total n=4 p50ms=10 p95ms=250 maxms=250") {
		t.Errorf("total report: %s", got)
	}
}
