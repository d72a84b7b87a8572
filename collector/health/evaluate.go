package health

import (
	"fmt"
	"sort"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

// Thresholds used by Evaluate. The zero value is replaced by DefaultThresholds.
type Thresholds struct {
	PollInterval     time.Duration // expected time between polls
	FirstDataWait    time.Duration // how long "waiting for first data" is normal (12 h)
	StaleData        time.Duration // no new blob for this long although polls succeed → amber
	LagWarn          time.Duration // cursor further behind than this (after backfill) → amber
	OfflineRed       time.Duration // no successful poll for this long → red (records start to expire at 7 days)
	SecretExpiryWarn time.Duration // secret expiring within this → amber
	ClockSkewWarn    time.Duration // this computer's clock off by more than this → amber (collection compensates)
	SnapshotStale    time.Duration // a running collector's saved status older than this is stuck (Reassess)
	NotRunningRed    time.Duration // no collector running for this long → red (Reassess)
}

// DefaultThresholds are the thresholds the app uses.
func DefaultThresholds() Thresholds {
	return Thresholds{
		PollInterval:     time.Minute,
		FirstDataWait:    12 * time.Hour,
		StaleData:        24 * time.Hour,
		LagWarn:          30 * time.Minute,
		OfflineRed:       5 * 24 * time.Hour,
		SecretExpiryWarn: 14 * 24 * time.Hour,
		ClockSkewWarn:    10 * time.Minute,
		SnapshotStale:    3 * time.Minute,
		NotRunningRed:    24 * time.Hour,
	}
}

// WorkloadInput is what the collector knows about one content type.
type WorkloadInput struct {
	ContentType     string
	Name            string
	Subscribed      bool
	NotPermitted    bool // e.g. DLP.All without ActivityFeed.ReadDlp: shown, never alarming
	Cursor          time.Time
	LastSuccess     time.Time // last successful listing of this type
	LastRecord      time.Time
	LastContent     time.Time
	Records24h      int64
	Backfilling     bool
	BackfillPercent float64
	BackfillRecords int64
	Err             error // latest failure, nil after a success
}

// Inputs is everything Evaluate looks at.
type Inputs struct {
	Configured   bool
	Paused       bool
	Err          error // a failure that is not tied to one content type (token, subscriptions list)
	SubscribedAt time.Time
	LastPoll     time.Time
	Workloads    []WorkloadInput
	TotalRecords int64
	DeadLetters  int
	DeadLetter   string // the latest dead letter's failure, shown as the reason
	Gaps         []Gap
	SecretExpiry time.Time
	ClockSkew    time.Duration
	// AuditPendingSince is when the admin chose "Save and keep trying"
	// because audit logging was just switched on: for AuditActivationWait
	// after it, "audit logging is off" is the expected blue wait, not red.
	AuditPendingSince time.Time
	// ThrottledSince / StalledSince are set while Microsoft has been
	// throttling for minutes, or responses keep stalling: collection goes on,
	// more slowly, even though retries succeed.
	ThrottledSince time.Time
	StalledSince   time.Time
	// StoreUpgrade is set while the event store is upgraded, before
	// collection starts: nothing is collected meanwhile.
	StoreUpgrade *StoreUpgrade
}

// AuditActivationWait is how long Microsoft may take to serve the audit log
// after audit logging is switched on.
const AuditActivationWait = 72 * time.Hour

// Evaluate computes the status from the inputs at time now. It is a pure
// function: the state follows from data freshness and the latest errors.
func Evaluate(in Inputs, now time.Time, th Thresholds) Status {
	th = th.withDefaults()
	st := Status{
		Paused:       in.Paused,
		LastPoll:     in.LastPoll,
		SubscribedAt: in.SubscribedAt,
		TotalRecords: in.TotalRecords,
		DeadLetters:  in.DeadLetters,
		Gaps:         in.Gaps,
		SecretExpiry: in.SecretExpiry,
		ClockSkew:    in.ClockSkew,
		At:           now,
	}
	// Cursors, contentCreated and record times are Microsoft's clock; poll
	// times are this computer's. Compare each with its own clock so a wrong
	// local clock never reads as lag.
	serverNow := now.Add(in.ClockSkew)
	st.Workloads, st.Backfill, st.Backfilling = workloads(in, serverNow)
	set := func(s State, kind fault.Kind, reason, fix string, a Action) Status {
		st.State, st.Colour, st.Kind, st.Reason, st.Fix, st.Action = s, s.Colour(), kind, reason, fix, a
		if kind != fault.Unknown {
			st.KindName = kind.String()
		}
		return st
	}

	if !in.Configured {
		return set(NotConfigured, fault.Unknown, "AuditLight is not connected to a Microsoft 365 tenant yet.",
			"Run the setup to connect your tenant.", ActionSetup)
	}
	// Red: only the admin can fix these.
	if !in.SecretExpiry.IsZero() && !now.Before(in.SecretExpiry) {
		return set(ActionNeeded, fault.ExpiredSecret,
			fmt.Sprintf("The client secret expired on %s, so Microsoft refuses every request.", in.SecretExpiry.Format("2006-01-02")),
			"Create a new client secret in the Entra admin center and enter it with Rotate secret.", ActionRotateSecret)
	}
	// Amber, not green: nothing is collected while the store is upgraded,
	// though nothing needs doing either.
	if u := in.StoreUpgrade; u != nil {
		st.StoreUpgrade = u
		return set(Degraded, fault.Unknown, u.reason(),
			"Nothing to do: collection starts by itself when the upgrade is done. Quitting meanwhile loses nothing; the upgrade starts over at the next start.", ActionNone)
	}
	if w, ok := waitingForAudit(in, now); ok {
		return set(WaitingForData, fault.AuditOff, w,
			"Nothing to do: AuditLight keeps trying and turns green by itself once Microsoft serves the audit log.", ActionNone)
	}
	if err := firstAdminError(in); err != nil {
		r, fix, a := Explain(err)
		return set(ActionNeeded, fault.KindOf(err), r, fix, a)
	}
	if !in.LastPoll.IsZero() && now.Sub(in.LastPoll) >= th.OfflineRed {
		return set(ActionNeeded, fault.Transient,
			fmt.Sprintf("AuditLight has not reached Microsoft for %s; records older than 7 days are lost for good.", human(now.Sub(in.LastPoll))),
			"Check the internet connection and run Test connection.", ActionTestConnection)
	}
	if in.Paused {
		return set(Degraded, fault.Unknown, "Collection is paused.", "Resume collection so no records are missed.", ActionResume)
	}
	if r := skewReason(in.ClockSkew, th.ClockSkewWarn); r != "" {
		return set(Degraded, fault.Unknown, r,
			"Set this computer's clock to synchronise automatically (AuditLight uses Microsoft's time meanwhile, so nothing is missed).", ActionNone)
	}
	// Amber: persistent slowness, transient trouble, lag, gaps.
	if !in.StalledSince.IsZero() {
		return set(Degraded, fault.Transient,
			fmt.Sprintf("The network to Microsoft is unreliable: responses keep stalling (for %s); catching up more slowly.", human(now.Sub(in.StalledSince))),
			"Check the internet connection, proxy or VPN; AuditLight retries stalled requests by itself.", ActionNone)
	}
	if !in.ThrottledSince.IsZero() {
		return set(Degraded, fault.Throttled,
			fmt.Sprintf("Microsoft is throttling; catching up more slowly (for %s).", human(now.Sub(in.ThrottledSince))),
			"Nothing to do: AuditLight slows down and collects everything; another app using the same tenant's API budget makes this worse.", ActionNone)
	}
	if err := firstTransientError(in); err != nil {
		r, fix, a := Explain(err)
		return set(Degraded, fault.KindOf(err), r, fix, a)
	}
	if gaps := faultGaps(in.Gaps); len(gaps) > 0 {
		g := gaps[len(gaps)-1]
		return set(Degraded, fault.ContentExpired,
			fmt.Sprintf("%d gap(s) in the log: %s from %s to %s could not be fetched (%s).", len(gaps), g.ContentType,
				g.From.Local().Format("2006-01-02 15:04"), g.To.Local().Format("2006-01-02 15:04"), g.Reason),
			"Microsoft keeps audit content for 7 days; keep AuditLight running so it never falls that far behind.", ActionNone)
	}
	if in.DeadLetters > 0 {
		why := ""
		if in.DeadLetter != "" {
			why = " Latest: " + in.DeadLetter + "."
		}
		return set(Degraded, fault.Transient,
			fmt.Sprintf("%d content blob(s) failed to download and will be retried.%s", in.DeadLetters, why),
			"Nothing to do unless this persists; Retry now tries again immediately.", ActionRetryNow)
	}
	if in.LastPoll.IsZero() {
		return set(WaitingForData, fault.Unknown, "Connecting to Microsoft 365…", "", ActionNone)
	}
	if since := now.Sub(in.LastPoll); since > 3*th.PollInterval+2*time.Minute {
		return set(Degraded, fault.Transient,
			fmt.Sprintf("The last successful poll was %s ago.", human(since)), "Run Test connection if this persists.", ActionTestConnection)
	}
	if in.TotalRecords == 0 && newestContent(in).IsZero() {
		if in.SubscribedAt.IsZero() || now.Sub(in.SubscribedAt) < th.FirstDataWait {
			return set(WaitingForData, fault.Unknown,
				"Subscribed; waiting for the first audit data from Microsoft (this can take up to 12 hours).",
				"Nothing to do: this is normal right after setup.", ActionNone)
		}
		return set(Degraded, fault.AuditOff,
			fmt.Sprintf("No audit data %s after subscribing.", human(now.Sub(in.SubscribedAt))),
			"Check in Microsoft Purview that audit logging is on (Start recording user and admin activity).", ActionOpenPurview)
	}
	if lagging := laggingWorkload(st.Workloads, th); lagging != nil {
		return set(Degraded, fault.Unknown,
			fmt.Sprintf("%s is %s behind Microsoft.", lagging.Name, human(lagging.Lag)),
			"AuditLight is catching up; Retry now polls immediately.", ActionRetryNow)
	}
	if nc := newestContent(in); !nc.IsZero() && !st.Backfilling && serverNow.Sub(nc) > th.StaleData {
		return set(Degraded, fault.AuditOff,
			fmt.Sprintf("Polls succeed but no new audit data has arrived for %s.", human(serverNow.Sub(nc))),
			"Check in Microsoft Purview that audit logging is still on.", ActionOpenPurview)
	}
	if !in.SecretExpiry.IsZero() && in.SecretExpiry.Sub(now) <= th.SecretExpiryWarn {
		return set(Degraded, fault.ExpiredSecret,
			fmt.Sprintf("The client secret expires %s (%s).", inDays(DaysUntil(now, in.SecretExpiry)), in.SecretExpiry.Format("2006-01-02")),
			"Create a new client secret in the Entra admin center and enter it with Rotate secret.", ActionRotateSecret)
	}
	if st.Backfilling {
		return set(Healthy, fault.Unknown,
			fmt.Sprintf("Online and logging; catching up on the last 7 days (%.0f %%).", st.Backfill), "", ActionNone)
	}
	reason := fmt.Sprintf("Online and logging. Last poll %s ago", human(now.Sub(in.LastPoll)))
	if nr := newestRecord(in); !nr.IsZero() {
		reason += fmt.Sprintf("; newest record from %s ago", human(serverNow.Sub(nr)))
	}
	return set(Healthy, fault.Unknown, reason+".", "", ActionNone)
}

func (th Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds()
	if th.PollInterval <= 0 {
		th.PollInterval = d.PollInterval
	}
	if th.FirstDataWait <= 0 {
		th.FirstDataWait = d.FirstDataWait
	}
	if th.StaleData <= 0 {
		th.StaleData = d.StaleData
	}
	if th.LagWarn <= 0 {
		th.LagWarn = d.LagWarn
	}
	if th.OfflineRed <= 0 {
		th.OfflineRed = d.OfflineRed
	}
	if th.SecretExpiryWarn <= 0 {
		th.SecretExpiryWarn = d.SecretExpiryWarn
	}
	if th.ClockSkewWarn <= 0 {
		th.ClockSkewWarn = d.ClockSkewWarn
	}
	if th.SnapshotStale <= 0 {
		th.SnapshotStale = d.SnapshotStale
	}
	if th.NotRunningRed <= 0 {
		th.NotRunningRed = d.NotRunningRed
	}
	return th
}

func workloads(in Inputs, now time.Time) ([]Workload, float64, bool) {
	out := make([]Workload, 0, len(in.Workloads))
	var sum float64
	var n int
	backfilling := false
	for _, w := range in.Workloads {
		o := Workload{
			ContentType: w.ContentType, Name: w.Name, Subscribed: w.Subscribed,
			LastRecord: w.LastRecord, LastContent: w.LastContent, Records24h: w.Records24h,
			BackfillPercent: w.BackfillPercent, BackfillRecords: w.BackfillRecords, Backfilling: w.Backfilling,
		}
		if !w.Cursor.IsZero() && now.After(w.Cursor) {
			o.Lag = now.Sub(w.Cursor)
		}
		if w.NotPermitted {
			o.Error = "Not collected: the app lacks the ActivityFeed.ReadDlp permission."
		} else if w.Err != nil {
			o.ErrorKind = fault.KindOf(w.Err)
			o.Error, _, _ = Explain(w.Err)
		}
		if !w.NotPermitted {
			sum += w.BackfillPercent
			n++
			backfilling = backfilling || w.Backfilling
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ContentType < out[j].ContentType })
	pct := 100.0
	if n > 0 {
		pct = sum / float64(n)
	}
	return out, pct, backfilling
}

func firstAdminError(in Inputs) error {
	if in.Err != nil && fault.KindOf(in.Err).NeedsAdmin() {
		return in.Err
	}
	for _, w := range in.Workloads {
		if w.Err != nil && !w.NotPermitted && fault.KindOf(w.Err).NeedsAdmin() {
			return w.Err
		}
	}
	return nil
}

func firstTransientError(in Inputs) error {
	if in.Err != nil && fault.KindOf(in.Err) != fault.Canceled {
		return in.Err
	}
	for _, w := range in.Workloads {
		if w.Err != nil && !w.NotPermitted && fault.KindOf(w.Err) != fault.Canceled {
			return w.Err
		}
	}
	return nil
}

func laggingWorkload(ws []Workload, th Thresholds) *Workload {
	for i := range ws {
		w := &ws[i]
		if w.Subscribed && w.Error == "" && !w.Backfilling && w.Lag > th.LagWarn {
			return w
		}
	}
	return nil
}

func newestContent(in Inputs) time.Time {
	var t time.Time
	for _, w := range in.Workloads {
		if w.LastContent.After(t) {
			t = w.LastContent
		}
	}
	return t
}

func newestRecord(in Inputs) time.Time {
	var t time.Time
	for _, w := range in.Workloads {
		if w.LastRecord.After(t) {
			t = w.LastRecord
		}
	}
	return t
}

// skewReason says how far this computer's clock is off, when it is off by
// at least warn. skew is Microsoft's time minus the local clock: negative
// means the local clock is fast.
func skewReason(skew, warn time.Duration) string {
	if skew > -warn && skew < warn {
		return ""
	}
	dir := "fast"
	if skew > 0 {
		dir = "slow"
	}
	return fmt.Sprintf("This computer's clock is %s %s compared with Microsoft's; AuditLight uses Microsoft's time, so nothing is missed.", human(skew), dir)
}

// human renders a duration the way a person says it: "3 minutes", "2 hours", "5 days".
func human(d time.Duration) string {
	switch {
	case d < 0:
		d = -d
	}
	switch {
	case d < time.Minute:
		return plural(int(d/time.Second), "second")
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	default:
		return plural(int(d/(24*time.Hour)), "day")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// inDays phrases a DaysUntil count: "today", "tomorrow", "in 5 days".
func inDays(d int) string {
	switch d {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return "in " + plural(d, "day")
}

// waitingForAudit returns the blue "waiting for Microsoft to turn on
// auditing" reason when the admin said auditing was just switched on, it is
// less than AuditActivationWait ago, and "audit off" (or no data at all) is
// all that is wrong.
func waitingForAudit(in Inputs, now time.Time) (string, bool) {
	if in.Paused || in.AuditPendingSince.IsZero() || now.Sub(in.AuditPendingSince) >= AuditActivationWait {
		return "", false
	}
	if err := firstAdminError(in); err != nil {
		if fault.KindOf(err) != fault.AuditOff {
			return "", false
		}
	} else if in.TotalRecords > 0 || !newestContent(in).IsZero() || firstTransientError(in) != nil {
		return "", false // data arrived, or another problem: the normal rules apply
	}
	return fmt.Sprintf("Waiting for Microsoft to turn on auditing (can take up to 72 h; switched on %s ago).",
		human(now.Sub(in.AuditPendingSince))), true
}
