package detect

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unique"
)

// correlationDoc is a Sigma v2 correlation section as written in YAML.
type correlationDoc struct {
	Type      string         `yaml:"type"`
	Rules     []string       `yaml:"rules"`
	GroupBy   []string       `yaml:"group-by"`
	Timespan  string         `yaml:"timespan"`
	Generate  bool           `yaml:"generate"`
	Condition map[string]any `yaml:"condition"`
}

// correlation is a parsed correlation.
type correlation struct {
	Type      Kind
	Rules     []string // referenced rule names or ids, as written
	GroupBy   []string
	Timespan  time.Duration
	Generate  bool
	Field     string  // value_count: the field whose distinct values count
	Op        string  // "gte" or "gt"
	Threshold float64 // for event_count / value_count

	refs []*Rule // resolved Rules
	// keep lists, sorted, the fields a signal held for this correlation
	// keeps: what its texts, group-by and value field read and what every
	// correlation it feeds reads (plan sets it). A group holds these values,
	// not the whole record, for as long as the lateness lasts.
	keep []string
	// valueAt is the index of Field in keep (value_count), -1 otherwise.
	valueAt int
	// lastKept is, for each keep field, the value hold interned last: a
	// busy group's signals repeat the user, address and country of the one
	// before, and unique.Make hashed each of them into a global map (a
	// tenth of the engine's CPU). Used under the engine's lock.
	lastKept []string
}

func (d *correlationDoc) parse() (*correlation, error) {
	c := &correlation{Type: Kind(d.Type), Rules: d.Rules, GroupBy: d.GroupBy, Generate: d.Generate, valueAt: -1}
	switch c.Type {
	case EventCount, ValueCount, Temporal, TemporalOrdered:
	default:
		return nil, fmt.Errorf("type %q is not supported (want event_count, value_count, temporal or temporal_ordered)", d.Type)
	}
	if len(c.Rules) == 0 {
		return nil, errors.New("no rules referenced")
	}
	ts, err := parseTimespan(d.Timespan)
	if err != nil {
		return nil, fmt.Errorf("timespan: %w", err)
	}
	c.Timespan = ts
	if c.Type == Temporal || c.Type == TemporalOrdered {
		if len(c.Rules) < 2 {
			return nil, fmt.Errorf("a %s correlation needs at least two rules", c.Type)
		}
		return c, nil
	}
	for k, v := range d.Condition {
		switch k {
		case "field":
			s, _ := v.(string)
			c.Field = s
		case "gte", "gt":
			n, ok := toFloat(v)
			if !ok {
				return nil, fmt.Errorf("condition %s: %v is not a number", k, v)
			}
			c.Op, c.Threshold = k, n
		case "lt", "lte", "eq", "neq":
			return nil, fmt.Errorf("condition %s is not supported: findings fire when a count reaches a threshold (use gte or gt)", k)
		default:
			return nil, fmt.Errorf("unknown condition key %q", k)
		}
	}
	if c.Op == "" {
		return nil, errors.New("condition needs gte or gt")
	}
	if c.Type == ValueCount && c.Field == "" {
		return nil, errors.New("a value_count condition needs a field")
	}
	return c, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// reached reports whether n satisfies the threshold.
func (c *correlation) reached(n int) bool {
	if c.Op == "gt" {
		return float64(n) > c.Threshold
	}
	return float64(n) >= c.Threshold
}

// signal is one input of a correlation: a record matching a referenced
// single-event rule, or a firing point of a referenced correlation (chain.go).
type signal struct {
	at   time.Time
	id   string // de-duplication id: the record id (a firing point: its record's)
	rule *Rule  // the referenced rule
	// src is, for a firing point of correlation rule, the group it fired
	// in: its records are that group's signals within the rule's timespan
	// up to at (lookBack), read when a finding is built. nil = the record id
	// alone.
	src *group
	ev  Event // the record (for texts)
}

// held is a signal as a correlation group keeps it: the values of the
// correlation's keep fields instead of the whole record, so that a day of a
// busy tenant's sign-ins and downloads stays small (80 bytes and the values).
type held struct {
	at   time.Time
	id   string
	rule *Rule
	src  *group   // a firing point's group (signal.src); nil = id alone
	vals []string // the values of correlation.keep, in its order
}

// hold makes the held form of a signal for c.
func (c *correlation) hold(s signal) held {
	h := held{at: s.at, id: s.id, rule: s.rule, src: s.src}
	if len(c.keep) > 0 {
		h.vals = make([]string, len(c.keep))
		for i, f := range c.keep {
			// Users, addresses and countries repeat across a day's signals:
			// one copy of each is held (and freed with its last signal).
			v := s.ev.String(f)
			switch {
			case v == "":
			case i < len(c.lastKept) && v == c.lastKept[i]:
				h.vals[i] = c.lastKept[i]
			default:
				h.vals[i] = unique.Make(v).Value()
				if i < len(c.lastKept) {
					c.lastKept[i] = h.vals[i]
				}
			}
		}
	}
	return h
}

// value is a held signal's value of the value_count field ("" otherwise).
func (c *correlation) value(h *held) string {
	if c.valueAt < 0 || c.valueAt >= len(h.vals) {
		return ""
	}
	return h.vals[c.valueAt]
}

// event rebuilds the fields a held signal kept, for a finding's texts and
// the correlations fed.
func (c *correlation) event(h *held) Event {
	ev := make(Event, len(c.keep))
	for i, f := range c.keep {
		if i < len(h.vals) && h.vals[i] != "" {
			ev[f] = h.vals[i]
		}
	}
	return ev
}

// group is the state of one correlation for one group-by value.
type group struct {
	sigs []held // sorted by (at, id, rule): the order of the records' times, not of their arrival
}

// before orders held signals canonically: by time, then id, then rule.
func before(a *held, at time.Time, id string, rule *Rule) bool {
	if !a.at.Equal(at) {
		return a.at.Before(at)
	}
	if a.id != id {
		return a.id < id
	}
	return a.rule.ID < rule.ID
}

// add inserts h at its place in the canonical order and returns its index.
// A record the group already holds (a replay) is not added again (added
// false). A firing point it holds is kept where it is, with h's group
// (added true: its records have grown, so the windows that hold it are
// evaluated again).
func (g *group) add(h held) (at int, added bool) {
	i := sort.Search(len(g.sigs), func(i int) bool { return !before(&g.sigs[i], h.at, h.id, h.rule) })
	if i < len(g.sigs) && g.sigs[i].at.Equal(h.at) && g.sigs[i].id == h.id && g.sigs[i].rule == h.rule {
		if h.src == nil {
			return i, false
		}
		g.sigs[i].src = h.src
		return i, true
	}
	g.sigs = slices.Insert(g.sigs, i, h)
	return i, true
}

// prune drops signals older than horizon.
func (g *group) prune(horizon time.Time) {
	i := sort.Search(len(g.sigs), func(i int) bool { return !g.sigs[i].at.Before(horizon) })
	if i == 0 {
		return
	}
	// The rest stays where it is (slices.Delete copied every signal the
	// group kept at each prune: one per arriving signal in a busy group);
	// the dropped ones are cleared so their values can be freed, and the
	// next growth of the slice copies only the rest.
	clear(g.sigs[:i])
	g.sigs = g.sigs[i:]
	if len(g.sigs) == 0 {
		g.sigs = nil
	}
}

// window is a span of signals [lo, hi] (indexes into sigs).
type window struct{ lo, hi int }

// evaluate finds the windows that contain the signal at index at and
// satisfy c, and returns their union (a contiguous span, as they all hold
// that signal). A window starts at a signal and holds every signal up to
// c.Timespan after it (both ends included): the windows, and so whether a
// set of signals fires, depend on the signals' times alone, never on the
// order they arrived in. A window satisfied once stays satisfied as signals
// arrive (every condition only grows), so each window satisfied by the
// whole set is reported whole when its last signal arrives.
func (c *correlation) evaluate(g *group, at int) (window, bool) {
	sigs := g.sigs
	t := sigs[at].at
	union, found := window{}, false
	lo := sort.Search(at, func(i int) bool { return !sigs[i].at.Before(t.Add(-c.Timespan)) })
	end := t.Add(c.Timespan)
	m := c.newMeter(sigs, lo, at+sort.Search(len(sigs)-at, func(i int) bool { return sigs[at+i].at.After(end) }))
	hi := at
	for ; lo <= at; lo++ {
		for hi+1 < len(sigs) && !sigs[hi+1].at.After(sigs[lo].at.Add(c.Timespan)) {
			hi++
		}
		if !m.meets(lo, hi+1) {
			continue
		}
		if !found {
			union, found = window{lo, hi}, true
		}
		union.hi = max(union.hi, hi)
	}
	return union, found
}

// groupKey joins the group-by values of an event ("" fields included so
// that groups never merge by accident).
func (c *correlation) groupKey(ev Event) (string, bool) {
	if len(c.GroupBy) == 0 {
		return "", true
	}
	parts := make([]string, len(c.GroupBy))
	any := false
	for i, f := range c.GroupBy {
		parts[i] = strings.ToLower(ev.String(f))
		if parts[i] != "" {
			any = true
		}
	}
	return strings.Join(parts, " | "), any
}
