package simulator

import (
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// parseAPITime accepts the documented formats YYYY-MM-DD, YYYY-MM-DDTHH:MM
// and YYYY-MM-DDTHH:MM:SS, each optionally with a fraction and/or a trailing
// Z, interpreted as UTC.
func parseAPITime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	v = strings.TrimSuffix(strings.TrimSuffix(v, "Z"), "z")
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// windowSlack is how far beyond seven days back a start time is tolerated.
const windowSlack = time.Minute

// windowRules is the AF20055 message: both or neither, at most 24 hours,
// start before end and no more than 7 days back.
const windowRules = "Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past."

// checkWindow validates a listing window against the simulator's clock.
func checkWindow(start, end, now time.Time) bool {
	switch {
	case !start.Before(end):
		return false
	case end.Sub(start) > 24*time.Hour:
		return false
	case start.Before(now.Add(-auditgen.Retention - windowSlack)):
		return false
	}
	return true
}
