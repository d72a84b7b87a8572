package detect

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// satisfied reports whether a span of signals meets the condition, walking
// it whole: the definition the meter is held to.
func (c *correlation) satisfied(sigs []held) bool {
	switch c.Type {
	case EventCount:
		return c.reached(len(sigs))
	case ValueCount:
		seen := map[string]bool{}
		for i := range sigs {
			if v := c.value(&sigs[i]); v != "" {
				seen[strings.ToLower(v)] = true
			}
		}
		return c.reached(len(seen))
	case Temporal:
		for _, r := range c.refs {
			if !slices.ContainsFunc(sigs, func(s held) bool { return s.rule == r }) {
				return false
			}
		}
		return true
	case TemporalOrdered:
		next := 0
		for _, s := range sigs {
			if s.rule == c.refs[next] {
				next++
				if next == len(c.refs) {
					return true
				}
			}
		}
		return false
	}
	return false
}

// naiveEvaluate is evaluate as it was before the meter: every window walked
// whole by satisfied.
func (c *correlation) naiveEvaluate(g *group, at int) (window, bool) {
	sigs := g.sigs
	t := sigs[at].at
	union, found := window{}, false
	lo := sort.Search(at, func(i int) bool { return !sigs[i].at.Before(t.Add(-c.Timespan)) })
	hi := at
	for ; lo <= at; lo++ {
		for hi+1 < len(sigs) && !sigs[hi+1].at.After(sigs[lo].at.Add(c.Timespan)) {
			hi++
		}
		if !c.satisfied(sigs[lo : hi+1]) {
			continue
		}
		if !found {
			union, found = window{lo, hi}, true
		}
		union.hi = max(union.hi, hi)
	}
	return union, found
}

// naivePoints is points with every look-back span walked whole.
func (c *correlation) naivePoints(g *group, at int) []int {
	var out []int
	t := g.sigs[at].at
	for x := range g.sigs {
		if xt := g.sigs[x].at; xt.Before(t) || xt.After(t.Add(c.Timespan)) {
			continue
		}
		lo, hi := lookBack(g.sigs, g.sigs[x].at, c.Timespan)
		if c.satisfied(g.sigs[lo:hi]) {
			out = append(out, x)
		}
	}
	return out
}

// TestMeterGivesTheVerdictsOfWalkingEachSpan: for random groups of every
// correlation type (times bunched so windows overlap and tie, values and
// rules repeating), evaluate and points give, at every signal, what walking
// each span whole gives.
func TestMeterGivesTheVerdictsOfWalkingEachSpan(t *testing.T) {
	a, b, x := &Rule{ID: "a"}, &Rule{ID: "b"}, &Rule{ID: "x"}
	corrs := map[string]*correlation{
		"event_count":            {Type: EventCount, Op: "gte", Threshold: 4},
		"value_count":            {Type: ValueCount, Op: "gte", Threshold: 3, Field: "UserId"},
		"value_count gt":         {Type: ValueCount, Op: "gt", Threshold: 2, Field: "UserId"},
		"temporal":               {Type: Temporal, refs: []*Rule{a, b}},
		"temporal_ordered":       {Type: TemporalOrdered, refs: []*Rule{a, b}},
		"temporal_ordered a b a": {Type: TemporalOrdered, refs: []*Rule{a, b, a}},
	}
	for name, c := range corrs {
		c.Timespan = 10 * time.Minute
		c.keep, c.valueAt = []string{"UserId"}, 0
		t.Run(name, func(t *testing.T) {
			for seed := range uint64(40) {
				rng := rand.New(rand.NewPCG(seed, 3))
				g := &group{}
				n := 5 + rng.IntN(60)
				for i := range n {
					at := t0.Add(time.Duration(rng.IntN(90)) * 20 * time.Second)
					u := []string{"", "Ann", "ann", "bob", "cy", "dee"}[rng.IntN(6)]
					r := []*Rule{a, b, x}[rng.IntN(3)]
					g.add(held{at: at, id: fmt.Sprintf("r%02d", i), rule: r, vals: []string{u}})
				}
				for at := range g.sigs {
					gw, gok := c.evaluate(g, at)
					ww, wok := c.naiveEvaluate(g, at)
					if gok != wok || (gok && gw != ww) {
						t.Fatalf("seed %d, signal %d: evaluate gives %v %v, walking each window %v %v", seed, at, gw, gok, ww, wok)
					}
					if got, want := c.points(g, at), c.naivePoints(g, at); !slices.Equal(got, want) {
						t.Fatalf("seed %d, signal %d: points %v, walking each span %v", seed, at, got, want)
					}
				}
			}
		})
	}
}

// BenchmarkHammeredAccount: 2,000 wrong passwords for one user from one
// address within 10 minutes, then a success, fed in blobs of 100 in time
// order (the engine, its store and the findings; the brute force, the
// spray's value count of one address and the chain all see every record).
//
//	go test -run '^$' -bench HammeredAccount -benchtime 3x ./collector/detect/
func BenchmarkHammeredAccount(b *testing.B) {
	for range b.N {
		b.StopTimer()
		h := newHarness(b, "")
		raws := slices.Concat(burst("lk", user(1), "102.89.4.7", t0, 2000, 300*time.Millisecond),
			[][]byte{signIn("ok", user(1), "102.89.4.7", t0.Add(11*time.Minute), "")})
		b.StartTimer()
		for i := 0; i < len(raws); i += 100 {
			h.process(true, raws[i:min(i+100, len(raws))]...)
		}
		b.StopTimer()
		if got := len(h.byRule(ruleBruteSuccess)); got != 1 {
			b.Fatalf("%d findings of the brute force then success, want 1", got)
		}
	}
}
