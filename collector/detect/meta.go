package detect

import (
	"fmt"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// Meta is AuditLight's custom section of a rule (the `auditlight:` key,
// which Sigma tools ignore): how a match becomes a finding and the plain
// words shown to the admin.
//
//	auditlight:
//	  key: [UserId]                       # fields naming what the finding is about
//	  window: 24h                         # merge repeats on the same key within this
//	  severity-field: Severity            # take the severity from the record (pass-through)
//	  allow: {kind: forwarding domain, field: Enrichment.ExternalDomains}
//	  what: "{UserId} created an inbox rule forwarding to {Enrichment.ExternalRecipients}."
//	  why: "..."
//	  steps: [{text: "...", link: "https://..."}]
type Meta struct {
	Key           []string       `yaml:"key"`
	Window        string         `yaml:"window"`
	SeverityField string         `yaml:"severity-field"`
	Allow         AllowSpec      `yaml:"allow"`
	What          string         `yaml:"what"`
	Why           string         `yaml:"why"`
	Steps         []finding.Step `yaml:"steps"`
}

// AllowSpec names the values of a match an admin may allow-list.
type AllowSpec struct {
	Kind  string `yaml:"kind"`  // e.g. "forwarding domain", "IP address"
	Field string `yaml:"field"` // event field holding the value(s), ", "-joined
}

// window parses Meta.Window; def when empty.
func (m Meta) window(def time.Duration) (time.Duration, error) {
	if strings.TrimSpace(m.Window) == "" {
		return def, nil
	}
	d, err := parseTimespan(m.Window)
	if err != nil {
		return 0, fmt.Errorf("auditlight.window: %w", err)
	}
	return d, nil
}

// parseTimespan reads a Sigma timespan ("30s", "10m", "1h", "7d") or a Go
// duration.
func parseTimespan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "d") {
		var n int
		if _, err := fmt.Sscanf(s, "%dd", &n); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid timespan %q (want e.g. 10m, 1h, 7d)", s)
	}
	return d, nil
}

// fill replaces {Field} placeholders in tmpl with the event's values ({A|B}:
// the first that is set); extra holds computed values ({count}, {key}).
func fill(tmpl string, ev Event, extra map[string]string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		// {A|B} is the first of A, B that has a value.
		var v string
		for _, name := range strings.Split(tmpl[i+1:i+j], "|") {
			if x, ok := extra[name]; ok {
				v = x
			} else {
				v = ev.String(name)
			}
			if v != "" {
				break
			}
		}
		if v == "" {
			v = "(unknown)"
		}
		b.WriteString(v)
		tmpl = tmpl[i+j+1:]
	}
}
