package detect

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
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
}

func (d *correlationDoc) parse() (*correlation, error) {
	c := &correlation{Type: Kind(d.Type), Rules: d.Rules, GroupBy: d.GroupBy, Generate: d.Generate}
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
// single-event rule, or a firing of a referenced correlation.
type signal struct {
	at       time.Time
	id       string   // de-duplication id: the record id (or the firing's newest record)
	rule     string   // the referenced rule's ID
	value    string   // value_count: the field value
	evidence []string // record ids
	ev       Event    // the newest record (for texts)
}

// group is the state of one correlation for one group-by value.
type group struct {
	sigs []signal        // sorted by at
	ids  map[string]bool // rule + "\x00" + id of every signal in sigs
}

// add inserts s (ignoring a signal already held: a replayed record) and
// reports whether it was new.
func (g *group) add(s signal) bool {
	k := s.rule + "\x00" + s.id
	if g.ids[k] {
		return false
	}
	if g.ids == nil {
		g.ids = map[string]bool{}
	}
	g.ids[k] = true
	i := sort.Search(len(g.sigs), func(i int) bool { return g.sigs[i].at.After(s.at) })
	g.sigs = slices.Insert(g.sigs, i, s)
	return true
}

// prune drops signals older than horizon.
func (g *group) prune(horizon time.Time) {
	i := sort.Search(len(g.sigs), func(i int) bool { return !g.sigs[i].at.Before(horizon) })
	for _, s := range g.sigs[:i] {
		delete(g.ids, s.rule+"\x00"+s.id)
	}
	if i > 0 {
		g.sigs = slices.Delete(g.sigs, 0, i)
	}
}

// window is a satisfied span of signals [lo, hi] (indexes into sigs).
type window struct{ lo, hi int }

// evaluate looks for a window of c.Timespan that contains the signal at t
// and satisfies c; it returns the largest such window.
func (c *correlation) evaluate(g *group, t time.Time) (window, bool) {
	sigs := g.sigs
	best, found := window{}, false
	consider := func(w window) {
		if !found || w.hi-w.lo > best.hi-best.lo {
			best, found = w, true
		}
	}
	// Windows start at a signal within Timespan before t and end at the last
	// signal within Timespan of the start.
	hi := 0
	for lo := range sigs {
		if sigs[lo].at.Before(t.Add(-c.Timespan)) {
			continue
		}
		if sigs[lo].at.After(t) {
			break
		}
		if hi < lo {
			hi = lo
		}
		for hi+1 < len(sigs) && !sigs[hi+1].at.After(sigs[lo].at.Add(c.Timespan)) {
			hi++
		}
		if c.satisfied(sigs[lo : hi+1]) {
			consider(window{lo, hi})
		}
	}
	return best, found
}

// satisfied reports whether a span of signals meets the condition.
func (c *correlation) satisfied(sigs []signal) bool {
	switch c.Type {
	case EventCount:
		return c.reached(len(sigs))
	case ValueCount:
		seen := map[string]bool{}
		for _, s := range sigs {
			if s.value != "" {
				seen[strings.ToLower(s.value)] = true
			}
		}
		return c.reached(len(seen))
	case Temporal:
		for _, r := range c.refs {
			if !slices.ContainsFunc(sigs, func(s signal) bool { return s.rule == r.ID }) {
				return false
			}
		}
		return true
	case TemporalOrdered:
		next := 0
		for _, s := range sigs {
			if s.rule == c.refs[next].ID {
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
