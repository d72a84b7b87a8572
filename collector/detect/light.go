package detect

import (
	"slices"
	"strconv"
	"strings"

	"github.com/auditlight/auditlight/collector/store"
)

// Most records a rule looks at (every sign-in, every download) are judged on
// columns the store has already parsed. A rule whose fields are all among
// lightFields is evaluated on a small Event built from those columns; the
// raw record is decoded (Normalize) only for rules that need more, or when a
// match's texts do. That keeps evaluation far above the collector's speed.
var lightFields = map[string]bool{
	"Id": true, "Operation": true, "UserId": true, "ClientIP": true, "ObjectId": true, "Workload": true,
	"RecordType": true, "ResultStatus": true,
	FieldIP: true, FieldCountry: true, FieldNewCountry: true, FieldKnownCountries: true,
}

// lightEvent fills e (emptied first) with the store's parsed columns. The
// engine passes the same map for every record (Engine.light): the Event of
// one record is read while it is evaluated and never kept (a held signal
// copies the values it keeps), and a map made per record was a tenth of
// the engine's CPU.
func lightEvent(e Event, ev *store.Event) Event {
	clear(e)
	put := func(k, v string) {
		if v != "" {
			e[k] = v
		}
	}
	put("Id", ev.ID)
	put("Operation", ev.Operation)
	put("UserId", ev.UserID)
	put("ClientIP", ev.ClientIP)
	put("ObjectId", ev.ObjectID)
	put("Workload", ev.Workload)
	put("ResultStatus", ev.ResultStatus)
	if ev.RecordType != 0 {
		e["RecordType"] = strconv.Itoa(ev.RecordType)
	}
	return e
}

// allLight reports whether every field is a light field.
func allLight(fields []string) bool {
	for _, f := range fields {
		if !lightFields[f] {
			return false
		}
	}
	return true
}

// detectionFields lists the fields a single-event rule's detection reads.
func (r *Rule) detectionFields() []string {
	if r.eval == nil {
		return nil
	}
	var out []string
	for _, s := range r.eval.Detection.Searches {
		for _, em := range s.EventMatchers {
			for _, fm := range em {
				out = append(out, fm.Field)
			}
		}
	}
	return out
}

// textFields lists the fields a rule's finding reads: key, allow value,
// severity and every {placeholder} of the texts.
func (r *Rule) textFields() []string {
	m := r.Meta
	out := append([]string(nil), m.Key...)
	if r.corr != nil {
		out = append(out, r.corr.GroupBy...)
		if r.corr.Field != "" {
			out = append(out, r.corr.Field)
		}
	} else if len(m.Key) == 0 {
		out = append(out, "UserId")
	}
	out = append(out, m.Allow.Field, m.SeverityField)
	texts := []string{m.What, m.Why}
	for _, s := range m.Steps {
		texts = append(texts, s.Text)
	}
	for _, t := range texts {
		for {
			i := strings.IndexByte(t, '{')
			if i < 0 {
				break
			}
			j := strings.IndexByte(t[i:], '}')
			if j < 0 {
				break
			}
			for _, name := range strings.Split(t[i+1:i+j], "|") {
				switch name {
				case "key", "count", "distinct", "timespan":
				default:
					out = append(out, name)
				}
			}
			t = t[i+j+1:]
		}
	}
	return compactFields(out)
}

func compactFields(in []string) []string {
	out := in[:0]
	seen := map[string]bool{}
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// plan decides, for every rule, whether matching and the texts of its
// matches need the decoded record.
func plan(rules []*Rule) {
	for _, r := range rules {
		r.matchFull = !allLight(r.detectionFields())
		r.textFull = r.generates() && !allLight(r.textFields())
	}
	// A signal keeps its record for every correlation downstream: decode it
	// when any of them (transitively) writes non-light fields.
	var needs func(r *Rule, depth int) bool
	needs = func(r *Rule, depth int) bool {
		if depth > 8 {
			return true
		}
		for _, c := range r.usedBy {
			if !allLight(c.textFields()) || needs(c, depth+1) {
				return true
			}
		}
		return false
	}
	for _, r := range rules {
		r.signalFull = needs(r, 0)
	}
	// A correlation's groups keep, of each signal, only the fields it and
	// the correlations it feeds (transitively) read.
	var keep func(c *Rule, depth int) []string
	keep = func(c *Rule, depth int) []string {
		out := c.textFields()
		if depth > 8 {
			return out
		}
		for _, next := range c.usedBy {
			out = append(out, keep(next, depth+1)...)
		}
		return out
	}
	for _, r := range rules {
		if r.corr == nil {
			continue
		}
		r.corr.keep = compactFields(keep(r, 0))
		slices.Sort(r.corr.keep)
		r.corr.lastKept = make([]string, len(r.corr.keep))
		r.corr.valueAt = -1
		if r.corr.Field != "" {
			r.corr.valueAt = slices.Index(r.corr.keep, r.corr.Field)
		}
	}
}
