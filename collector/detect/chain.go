package detect

import (
	"slices"
	"sort"
	"time"
)

// Chains: a correlation that references another one (a brute force, then a
// successful sign-in) is fed the other's firing points, never its windows.
//
// A firing point of correlation c is a signal x of one of c's groups whose
// look-back span — every signal of the group from x's time minus c's
// timespan up to x's time, both ends included — meets c's condition: the
// moment a burst was complete. Its time and id are x's, so they never move,
// and a span that meets the condition keeps meeting it as records arrive
// (every condition only grows with its signals). So the points of a set of
// records are a function of the set: records arriving late add points (and
// grow the records behind the points they fall in), they never move or
// withdraw one. Every window of the correlation that fires holds one (its
// last signal's look-back span holds the window), and every point's span
// lies in one, so the points' records are exactly the records of the
// windows that fire.
//
// A point's records are not copied: the correlation fed holds the point
// with the group it fired in (held.src), and reads its look-back span when
// a finding is built (evidenceOf), so a burst of thousands of failures
// costs one held signal per point, not thousands of ids each. When a
// record lands in points' spans, each is fed again (group.add keeps it and
// reports it added), so the windows downstream that hold it are reported
// again with its grown records.
//
// Before round 10 a correlation fed the union of its windows that held the
// arriving signal, timed at that union's newest record and named by its
// first: pieces of a burst seen before all its records had arrived stayed
// downstream as signals of their own, and a record arriving within the
// burst's window after the success moved the burst past it. The findings
// of a chain depended on the order records arrived in.

// lookBack returns the span [lo, hi) of sigs (sorted) whose times are
// within timespan up to t, both ends included.
func lookBack(sigs []held, t time.Time, timespan time.Duration) (lo, hi int) {
	from := t.Add(-timespan)
	lo = sort.Search(len(sigs), func(i int) bool { return !sigs[i].at.Before(from) })
	hi = lo + sort.Search(len(sigs)-lo, func(i int) bool { return sigs[lo+i].at.After(t) })
	return lo, hi
}

// points lists the indexes of g's firing points whose look-back span holds
// the signal at index at: the signals from its time to a timespan after
// it whose span meets the condition.
func (c *correlation) points(g *group, at int) []int {
	sigs := g.sigs
	t := sigs[at].at
	first := sort.Search(len(sigs), func(i int) bool { return !sigs[i].at.Before(t) })
	end := t.Add(c.Timespan)
	from, _ := lookBack(sigs, t, c.Timespan)
	m := c.newMeter(sigs, from, sort.Search(len(sigs), func(i int) bool { return sigs[i].at.After(end) }))
	var out []int
	lo, hi := 0, 0
	for x := first; x < len(sigs) && !sigs[x].at.After(end); x++ {
		if x == first || !sigs[x].at.Equal(sigs[x-1].at) {
			lo, hi = lookBack(sigs, sigs[x].at, c.Timespan)
		}
		if m.meets(lo, hi) {
			out = append(out, x)
		}
	}
	return out
}

// evidence gathers the records of spans of held signals: each once, in the
// order met, and the CreationTime of the oldest.
type evidence struct {
	ids   []string
	seen  map[string]struct{}
	first time.Time
}

// evidenceOf lists the records a span of held signals stands for (a firing
// point: the records of its look-back span, transitively) and the oldest
// one's CreationTime.
func evidenceOf(span []held) (ids []string, first time.Time) {
	ev := evidence{seen: make(map[string]struct{}, len(span))}
	ev.add(span)
	return ev.ids, ev.first
}

// add gathers span's records. The firing points of one group that follow
// each other in span are read as one walk of that group when their
// look-back spans overlap, so a long burst's points cost its records once.
func (ev *evidence) add(span []held) {
	for i := 0; i < len(span); i++ {
		h := &span[i]
		if h.src == nil {
			ev.record(h.id, h.at)
			continue
		}
		timespan := h.rule.corr.Timespan
		from, to := h.at.Add(-timespan), h.at
		for i+1 < len(span) && span[i+1].src == h.src && !span[i+1].at.Add(-timespan).After(to) {
			i++
			to = span[i].at
		}
		sigs := h.src.sigs
		lo, hi := lookBack(sigs, to, to.Sub(from))
		ev.add(sigs[lo:hi])
	}
}

// record adds one record id.
func (ev *evidence) record(id string, at time.Time) {
	if _, dup := ev.seen[id]; dup {
		return
	}
	ev.seen[id] = struct{}{}
	ev.ids = append(ev.ids, id)
	if ev.first.IsZero() || at.Before(ev.first) {
		ev.first = at
	}
}

// pointSignals makes the signals c feeds the correlations that reference
// it: one for each firing point whose records hold the signal at index at
// of g. They are copies, so a sweep while they are fed (which may prune g)
// does not change them.
func (c *Rule) pointSignals(g *group, at int) []signal {
	xs := c.corr.points(g, at)
	out := make([]signal, 0, len(xs))
	for _, x := range xs {
		h := &g.sigs[x]
		out = append(out, signal{at: h.at, id: h.id, rule: c, src: g, ev: c.corr.event(h)})
	}
	return slices.Clip(out)
}
