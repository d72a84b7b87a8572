package health

import (
	"fmt"
	"time"
)

// Reassess makes a saved snapshot true at the moment it is read. A status
// saved by a collector says how things were when it was written; read later
// (by `auditlight status`, or by the GUI before its own collector publishes)
// it must not claim to be current. running reports whether a collector holds
// the profile right now (its lock is taken).
//
//   - Not configured stays grey.
//   - A running collector's snapshot is current while it is younger than
//     th.SnapshotStale; older, the collector is stuck: amber, then red once it
//     is th.NotRunningRed old.
//   - Without a running collector nothing is being collected: amber "not
//     running since …", red once that is th.NotRunningRed old. A red snapshot
//     stays red and keeps its reason and fix.
//
// The result's At is now; NotRunningSince is set when nothing is collecting.
func Reassess(saved Status, now time.Time, running bool, th Thresholds) Status {
	th = th.withDefaults()
	if saved.State == NotConfigured {
		st := Evaluate(Inputs{}, now, th)
		return st
	}
	st := saved
	st.At = now
	age := now.Sub(saved.At)
	never := saved.At.IsZero()
	if running && !never && age <= th.SnapshotStale {
		st.At = saved.At // current: leave it exactly as the collector said
		return st
	}
	var reason, fix string
	switch {
	case running && never:
		// A collector holds the profile but has not published yet: it is starting.
		if saved.State == ActionNeeded {
			return st
		}
		return withState(st, WaitingForData, "AuditLight is starting…", "", ActionNone)
	case running:
		reason = fmt.Sprintf("AuditLight is running but its status has not changed since %s (%s ago); it may be stuck.",
			saved.At.Local().Format("2006-01-02 15:04"), human(age))
		fix = "Quit and restart AuditLight; if it persists, export diagnostics."
	case never:
		reason = "AuditLight is not running, and it has not collected anything in this profile yet."
		fix = "Start AuditLight (or run `auditlight collect`)."
	default:
		st.NotRunningSince = saved.At
		reason = fmt.Sprintf("AuditLight is not running since %s (%s ago); nothing is being collected.",
			saved.At.Local().Format("2006-01-02 15:04"), human(age))
		fix = "Start AuditLight (or run `auditlight collect`); Microsoft keeps audit content for 7 days only."
	}
	if saved.State == ActionNeeded {
		// Keep the admin's problem in front; say that nothing runs either.
		st.Reason = saved.Reason + " " + reason
		return st
	}
	state := Degraded
	if never || age >= th.NotRunningRed {
		if !never {
			state = ActionNeeded
		}
	}
	return withState(st, state, reason, fix, ActionNone)
}

func withState(st Status, s State, reason, fix string, a Action) Status {
	st.State, st.Colour, st.Reason, st.Fix, st.Action = s, s.Colour(), reason, fix, a
	return st
}
