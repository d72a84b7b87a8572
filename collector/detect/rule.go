package detect

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
	"github.com/bradleyjkemp/sigma-go/evaluator/modifiers"

	"github.com/auditlight/auditlight/collector/finding"
)

// Kind is a rule's kind.
type Kind string

// Rule kinds.
const (
	SingleEvent Kind = "single-event" // a Sigma detection rule
	EventCount  Kind = "event_count"  // Sigma correlation: at least N matching records
	ValueCount  Kind = "value_count"  // Sigma correlation: at least N distinct values of a field
	Temporal    Kind = "temporal"     // Sigma correlation: all referenced rules within the timespan
	// TemporalOrdered is temporal with the referenced rules in order.
	TemporalOrdered Kind = "temporal_ordered"
)

// defaultWindow is how long repeats of a single-event rule on the same key
// merge into one finding when the rule does not say.
const defaultWindow = 24 * time.Hour

// Rule is one loaded detection rule.
type Rule struct {
	ID             string
	Name           string // Sigma `name` (how correlations refer to it); may be empty
	Title          string
	Description    string
	Status         string
	Severity       finding.Severity
	Kind           Kind
	Source         string // "built-in" or the file path
	References     []string
	FalsePositives []string
	Meta           Meta

	window time.Duration
	eval   *evaluator.RuleEvaluator
	// ops is the lower-cased set of operations a single-event rule can match
	// (nil = any): the engine only decodes records some rule can match.
	ops []string
	// plain holds the field matchers of a detection simple enough for the
	// engine to give sigma-go's verdict itself (matchesPlain); nil = the
	// evaluator decides.
	plain []plainMatcher
	corr  *correlation
	// usedBy lists the correlations that reference this rule.
	usedBy []*Rule
	// matchFull, textFull and signalFull say whether matching, the finding's
	// texts, or the correlations fed need the decoded record (light.go).
	matchFull, textFull, signalFull bool
}

// Builtin reports whether the rule ships with AuditLight.
func (r *Rule) Builtin() bool { return r.Source == builtinSource }

// generates reports whether a match of the rule becomes a finding: rules
// referenced by a correlation only feed it (Sigma's `generate: false`),
// unless one referencing correlation sets generate: true.
func (r *Rule) generates() bool {
	if len(r.usedBy) == 0 {
		return true
	}
	for _, c := range r.usedBy {
		if c.corr.Generate {
			return true
		}
	}
	return false
}

const builtinSource = "built-in"

// ruleDoc is the part of a rule document AuditLight reads itself.
type ruleDoc struct {
	Title          string          `yaml:"title"`
	ID             string          `yaml:"id"`
	Name           string          `yaml:"name"`
	Status         string          `yaml:"status"`
	Level          string          `yaml:"level"`
	Description    string          `yaml:"description"`
	References     []string        `yaml:"references"`
	FalsePositives []string        `yaml:"falsepositives"`
	Correlation    *correlationDoc `yaml:"correlation"`
	Auditlight     Meta            `yaml:"auditlight"`
}

// newRule builds a rule from one YAML document.
func newRule(doc []byte, source string) (*Rule, error) {
	var d ruleDoc
	if err := yamlStrict(doc, &d); err != nil {
		return nil, err
	}
	if strings.TrimSpace(d.Title) == "" {
		return nil, errors.New("the rule has no title")
	}
	if strings.TrimSpace(d.ID) == "" {
		return nil, fmt.Errorf("rule %q has no id (add a unique id, e.g. a UUID)", d.Title)
	}
	level := d.Level
	if level == "" {
		level = "medium"
	}
	sev, err := finding.ParseSeverity(level)
	if err != nil {
		return nil, fmt.Errorf("rule %q: level: %w", d.Title, err)
	}
	r := &Rule{ID: strings.TrimSpace(d.ID), Name: d.Name, Title: d.Title, Description: d.Description,
		Status: d.Status, Severity: sev, Source: source, References: d.References,
		FalsePositives: d.FalsePositives, Meta: d.Auditlight}
	if d.Correlation != nil {
		c, err := d.Correlation.parse()
		if err != nil {
			return nil, fmt.Errorf("rule %q: correlation: %w", d.Title, err)
		}
		r.Kind, r.corr = c.Type, c
		if r.window, err = r.Meta.window(c.Timespan); err != nil {
			return nil, fmt.Errorf("rule %q: %w", d.Title, err)
		}
		return r, nil
	}
	sr, err := sigma.ParseRule(doc)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %w", d.Title, err)
	}
	if err := validateDetection(sr); err != nil {
		return nil, fmt.Errorf("rule %q: %w", d.Title, err)
	}
	r.Kind = SingleEvent
	r.eval = evaluator.ForRule(sr)
	// Evaluating an empty record surfaces unknown modifiers and keyword
	// searches now rather than on the first real record.
	if _, err := r.eval.Matches(context.Background(), map[string]any{}); err != nil {
		return nil, fmt.Errorf("rule %q: %w", d.Title, err)
	}
	r.ops = operationsOf(sr)
	r.plain = plainDetection(sr)
	if r.window, err = r.Meta.window(defaultWindow); err != nil {
		return nil, fmt.Errorf("rule %q: %w", d.Title, err)
	}
	return r, nil
}

// validateDetection rejects what sigma-go v0.6.6 parses but cannot evaluate:
// conditions naming undefined searches, "1 of name" forms it does not
// evaluate, and old-style aggregations (use a correlation rule).
func validateDetection(r sigma.Rule) error {
	if len(r.Detection.Conditions) == 0 {
		return errors.New("detection has no condition")
	}
	var walk func(e sigma.SearchExpr) error
	walk = func(e sigma.SearchExpr) error {
		switch x := e.(type) {
		case sigma.And:
			for _, c := range x {
				if err := walk(c); err != nil {
					return err
				}
			}
		case sigma.Or:
			for _, c := range x {
				if err := walk(c); err != nil {
					return err
				}
			}
		case sigma.Not:
			return walk(x.Expr)
		case sigma.SearchIdentifier:
			if _, ok := r.Detection.Searches[x.Name]; !ok {
				return fmt.Errorf("condition refers to %q, which the detection does not define", x.Name)
			}
		case sigma.OneOfThem, sigma.AllOfThem:
		case sigma.OneOfPattern:
			if _, err := path.Match(x.Pattern, ""); err != nil {
				return fmt.Errorf("condition pattern %q: %w", x.Pattern, err)
			}
		case sigma.AllOfPattern:
			if _, err := path.Match(x.Pattern, ""); err != nil {
				return fmt.Errorf("condition pattern %q: %w", x.Pattern, err)
			}
		default:
			return fmt.Errorf("condition form %T is not supported (use \"1 of name*\" or \"all of name*\")", e)
		}
		return nil
	}
	for _, c := range r.Detection.Conditions {
		if c.Aggregation != nil {
			return errors.New("aggregations in the condition (| count() ...) are not supported: write a Sigma correlation rule")
		}
		if c.Search == nil {
			return errors.New("detection has an empty condition")
		}
		if err := walk(c.Search); err != nil {
			return err
		}
	}
	for name, s := range r.Detection.Searches {
		if len(s.Keywords) > 0 {
			return fmt.Errorf("search %q: keyword searches are not supported; name the field", name)
		}
	}
	return nil
}

// operationsOf returns the lower-cased operations the rule can match, or nil
// when it is not limited to a set of Operation values.
func operationsOf(r sigma.Rule) []string {
	var all []string
	for _, c := range r.Detection.Conditions {
		ops, ok := constraint(r, c.Search)
		if !ok {
			return nil
		}
		all = append(all, ops...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// plainMatcher is one field matcher of a plain detection: the field must
// equal one of the values as sigma-go compares them (plainEqual).
type plainMatcher struct {
	field  string
	values []string
}

// plainDetection returns the field matchers of a detection that is one
// search of one event matcher whose field matchers have no modifiers and
// only string values that are no %placeholder%; nil otherwise.
func plainDetection(r sigma.Rule) []plainMatcher {
	if len(r.Detection.Conditions) != 1 || len(r.Detection.Searches) != 1 {
		return nil
	}
	c := r.Detection.Conditions[0]
	id, ok := c.Search.(sigma.SearchIdentifier)
	if !ok || c.Aggregation != nil {
		return nil
	}
	s, ok := r.Detection.Searches[id.Name]
	if !ok || len(s.Keywords) > 0 || len(s.EventMatchers) != 1 || len(s.EventMatchers[0]) == 0 {
		return nil
	}
	out := make([]plainMatcher, 0, len(s.EventMatchers[0]))
	for _, fm := range s.EventMatchers[0] {
		if len(fm.Modifiers) > 0 || len(fm.Values) == 0 || strings.HasPrefix(fm.Field, "$") {
			return nil
		}
		pm := plainMatcher{field: fm.Field, values: make([]string, 0, len(fm.Values))}
		for _, v := range fm.Values {
			sv, ok := v.(string)
			if !ok || (strings.HasPrefix(sv, "%") && strings.HasSuffix(sv, "%")) {
				return nil
			}
			pm.values = append(pm.values, sv)
		}
		out = append(out, pm)
	}
	return out
}

// matchesPlain is sigma-go v0.6.6's verdict on a plain rule for ev: every
// field matcher has a value equal to the field. sigma-go's evaluator builds
// maps and slices for each record it is given (a fifth of the engine's
// CPU); plain rules are most of what a sign-in, a failed sign-in or a
// download is evaluated against.
func (r *Rule) matchesPlain(ev Event) bool {
	for _, fm := range r.plain {
		actual, hit := ev[fm.field], false
		for _, v := range fm.values {
			if plainEqual(actual, v) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// plainEqual is sigma-go's default comparison (modifiers.baseComparator):
// "null" matches an absent field, else the two as strings, case folded.
func plainEqual(actual any, expected string) bool {
	if actual == nil && expected == "null" {
		return true
	}
	return strings.EqualFold(modifiers.CoerceString(actual), expected)
}

// constraint returns the Operation values an expression requires, ok=false
// when it does not require any.
func constraint(r sigma.Rule, e sigma.SearchExpr) ([]string, bool) {
	switch x := e.(type) {
	case sigma.SearchIdentifier:
		return searchConstraint(r.Detection.Searches[x.Name])
	case sigma.And:
		var best []string
		found := false
		for _, c := range x {
			if ops, ok := constraint(r, c); ok && (!found || len(ops) < len(best)) {
				best, found = ops, true
			}
		}
		return best, found
	case sigma.Or:
		var all []string
		for _, c := range x {
			ops, ok := constraint(r, c)
			if !ok {
				return nil, false
			}
			all = append(all, ops...)
		}
		return all, len(x) > 0
	case sigma.AllOfPattern:
		return constraint(r, matching(r, x.Pattern, true))
	case sigma.OneOfPattern:
		return constraint(r, matching(r, x.Pattern, false))
	case sigma.AllOfThem:
		return constraint(r, matching(r, "*", true))
	case sigma.OneOfThem:
		return constraint(r, matching(r, "*", false))
	}
	return nil, false
}

// matching returns the searches whose names match pattern, as And or Or.
func matching(r sigma.Rule, pattern string, all bool) sigma.SearchExpr {
	var ids []sigma.SearchExpr
	for name := range r.Detection.Searches {
		if ok, _ := path.Match(pattern, name); ok {
			ids = append(ids, sigma.SearchIdentifier{Name: name})
		}
	}
	if all {
		return sigma.And(ids)
	}
	return sigma.Or(ids)
}

// searchConstraint: every event matcher must pin Operation to exact values.
func searchConstraint(s sigma.Search) ([]string, bool) {
	if len(s.EventMatchers) == 0 {
		return nil, false
	}
	var all []string
	for _, em := range s.EventMatchers {
		found := false
		for _, fm := range em {
			if fm.Field != "Operation" || len(fm.Modifiers) > 0 {
				continue
			}
			vals := make([]string, 0, len(fm.Values))
			for _, v := range fm.Values {
				sv, ok := v.(string)
				if !ok || strings.ContainsAny(sv, "*?%") {
					vals = nil
					break
				}
				vals = append(vals, strings.ToLower(sv))
			}
			if vals != nil {
				all, found = append(all, vals...), true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return all, true
}
