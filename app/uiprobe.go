package app

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// EnvUIProbe names an opt-in diagnostic for scripts/clicks.sh (issue 12: the
// window stays responsive during a large backfill). When set, the GUI logs
// every tab it shows with the time it did (`msg="ui probe: tab shown"
// tab=Events at=<unix ms>`), and measures how long a callback queued with
// the app's gate waits for the Fyne goroutine, every uiProbeEvery, logging the
// 50th/95th percentile and the maximum every uiProbeReportEvery and at exit.
// Off unless set: the probe itself wakes the UI ten times a second.
const EnvUIProbe = "AUDITLIGHT_UIPROBE"

const (
	uiProbeEvery       = 100 * time.Millisecond
	uiProbeReportEvery = 10 * time.Second
)

// loopProbe measures the Fyne goroutine's latency: the time from queueing a
// callback (do) to its running.
type loopProbe struct {
	do    func(func())
	clock func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	samples []time.Duration // since the last report
	all     []time.Duration // since the start
}

func newLoopProbe(do func(func()), clock func() time.Time, log *slog.Logger) *loopProbe {
	if clock == nil {
		clock = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &loopProbe{do: do, clock: clock, log: log}
}

// sample queues one timed callback.
func (p *loopProbe) sample() {
	t0 := p.clock()
	p.do(func() {
		d := p.clock().Sub(t0)
		p.mu.Lock()
		p.samples = append(p.samples, d)
		p.all = append(p.all, d)
		p.mu.Unlock()
	})
}

// report logs the samples since the last report (label "last 10 s") or, with
// total, all of them; it logs nothing without samples.
func (p *loopProbe) report(total bool) {
	p.mu.Lock()
	s, label := p.samples, "interval"
	if total {
		s, label = p.all, "total"
	}
	s = slices.Clone(s)
	p.samples = p.samples[:0]
	p.mu.Unlock()
	if len(s) == 0 {
		return
	}
	q := latencyQuantiles(s)
	p.log.Info("ui probe: main loop latency", "over", label, "n", len(s),
		"p50ms", q.p50.Milliseconds(), "p95ms", q.p95.Milliseconds(), "maxms", q.max.Milliseconds())
}

// run samples every `every` and reports every `reportEvery` until ctx ends,
// then reports the whole run.
func (p *loopProbe) run(ctx context.Context, every, reportEvery time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	r := time.NewTicker(reportEvery)
	defer r.Stop()
	for {
		select {
		case <-ctx.Done():
			p.report(true)
			return
		case <-t.C:
			p.sample()
		case <-r.C:
			p.report(false)
		}
	}
}

type quantiles struct{ p50, p95, max time.Duration }

// latencyQuantiles returns the nearest-rank 50th and 95th percentiles and the
// maximum of s (which must not be empty).
func latencyQuantiles(s []time.Duration) quantiles {
	s = slices.Clone(s)
	slices.Sort(s)
	rank := func(p int) time.Duration { return s[max(0, (p*len(s)+99)/100-1)] }
	return quantiles{p50: rank(50), p95: rank(95), max: s[len(s)-1]}
}

// logTabShown is the probe's "tab shown" line; the click script matches it
// to the time of its click.
func logTabShown(log *slog.Logger, clock func() time.Time, tab string) {
	log.Info("ui probe: tab shown", "tab", tab, "at", clock().UnixMilli())
}
