package uikit

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FormatAgo renders how long ago t was relative to now ("never" for zero).
func FormatAgo(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	return FormatDuration(d) + " ago"
}

// FormatDuration renders d coarsely: "45 s", "12 min", "3 h 5 min", "2 d 4 h".
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		h := int(d.Hours())
		return fmt.Sprintf("%d h %d min", h, int(d.Minutes())-h*60)
	default:
		days := int(d.Hours()) / 24
		return fmt.Sprintf("%d d %d h", days, int(d.Hours())-days*24)
	}
}

// FormatLocal renders t in the local time zone for tables.
func FormatLocal(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// Plural returns "1 day", "2 days".
func Plural(n int, unit string) string {
	return fmt.Sprintf("%d %s", n, PluralWord(n, unit))
}

// PluralWord is unit in the number n asks for ("event", "events"), for
// sentences that format the number themselves.
func PluralWord(n int, unit string) string {
	if n == 1 || n == -1 {
		return unit
	}
	return unit + "s"
}

// workloadNames are the names shown for audit-record Workload values: the
// same in the feed's filter, the feed and the chart legend.
func workloadNames() map[string]string {
	return map[string]string{
		"AzureActiveDirectory":     "Entra ID",
		"MicrosoftTeams":           "Teams",
		"PowerBI":                  "Power BI",
		"SecurityComplianceCenter": "Security & Compliance",
		"ThreatIntelligence":       "Threat Intelligence",
	}
}

// WorkloadName is the shown name of an audit-record Workload value.
func WorkloadName(w string) string {
	if n, ok := workloadNames()[w]; ok {
		return n
	}
	return w
}

// faultPrefixes are the technical prefixes of wrapped errors ("transient: ")
// that mean nothing to an admin.
func faultPrefixes() []string {
	return []string{"unknown", "invalid-secret", "expired-secret", "app-not-found", "tenant-not-found", "permission-missing",
		"audit-off", "subscription-disabled", "no-subscription", "throttled", "transient", "window", "content-expired",
		"content-missing", "config", "canceled"}
}

// Sentence turns an error text into a Sentence for the admin: technical
// kind prefixes ("transient: ") dropped, first letter upper case, a full
// stop at the end.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	for changed := true; changed; {
		changed = false
		for _, p := range faultPrefixes() {
			if rest, ok := strings.CutPrefix(s, p+": "); ok {
				s, changed = strings.TrimSpace(rest), true
			}
			if strings.Contains(s, ": "+p+": ") {
				s, changed = strings.ReplaceAll(s, ": "+p+": ", ": "), true
			}
		}
	}
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}
