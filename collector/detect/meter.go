package detect

import "strings"

// meter tells whether spans of a group's signals meet a correlation's
// condition while the spans slide forward (neither end ever moves back):
// each signal is counted in once and out once, instead of every span being
// walked whole. evaluate and points ask it about every span that ends or
// starts near an arriving signal; walking each one whole made a burst of n
// records cost n³: 2,000 wrong passwords from one address within 10
// minutes took the engine a minute (round 10).
type meter struct {
	c      *correlation
	sigs   []held
	lo, hi int // the span counted: sigs[lo:hi]

	values map[string]int // value_count: the span's lower-cased values
	refs   []int          // temporal: the span's signals of each referenced rule
	have   int            // temporal: referenced rules with a signal in the span
	// next[j][i-base] is, for temporal_ordered, the first index at or after
	// i whose signal is of c.refs[j] (len(sigs) when none up to end).
	next [][]int
	base int
}

// newMeter makes a meter over sigs for spans within [from, to).
func (c *correlation) newMeter(sigs []held, from, to int) meter {
	m := meter{c: c, sigs: sigs, lo: from, hi: from}
	switch c.Type {
	case ValueCount:
		m.values = map[string]int{}
	case Temporal:
		m.refs = make([]int, len(c.refs))
	case TemporalOrdered:
		m.base = from
		m.next = make([][]int, len(c.refs))
		for j, r := range c.refs {
			nx := make([]int, to-from+1)
			nx[to-from] = len(sigs)
			for i := to - 1; i >= from; i-- {
				if sigs[i].rule == r {
					nx[i-from] = i
				} else {
					nx[i-from] = nx[i-from+1]
				}
			}
			m.next[j] = nx
		}
	}
	return m
}

// meets reports whether sigs[lo:hi] meets the condition (c.satisfied of
// that span). lo and hi must not be below those of the call before.
func (m *meter) meets(lo, hi int) bool {
	c := m.c
	switch c.Type {
	case EventCount:
		return c.reached(hi - lo)
	case TemporalOrdered:
		pos := lo
		for j := range c.refs {
			if pos >= hi {
				return false
			}
			p := m.next[j][pos-m.base]
			if p >= hi {
				return false
			}
			pos = p + 1
		}
		return true
	}
	for ; m.hi < hi; m.hi++ {
		m.count(&m.sigs[m.hi], 1)
	}
	for ; m.lo < lo; m.lo++ {
		m.count(&m.sigs[m.lo], -1)
	}
	if c.Type == ValueCount {
		return c.reached(len(m.values))
	}
	return m.have == len(c.refs)
}

// count adds (d = 1) or removes (d = -1) one signal of the span.
func (m *meter) count(h *held, d int) {
	c := m.c
	if c.Type == ValueCount {
		v := c.value(h)
		if v == "" {
			return
		}
		v = strings.ToLower(v)
		if n := m.values[v] + d; n > 0 {
			m.values[v] = n
		} else {
			delete(m.values, v)
		}
		return
	}
	for j, r := range c.refs {
		if h.rule != r {
			continue
		}
		switch m.refs[j] += d; {
		case d > 0 && m.refs[j] == 1:
			m.have++
		case d < 0 && m.refs[j] == 0:
			m.have--
		}
	}
}
