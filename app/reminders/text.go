package reminders

import (
	"fmt"
	"time"

	"github.com/auditlight/auditlight/collector/health"
)

// Levels of a reminder or countdown, for colouring the dashboard and
// choosing the tray state.
const (
	// LevelInfo: more than 30 days left, or the expiry is unknown.
	LevelInfo = "info"
	// LevelWarning: 30 days or less left.
	LevelWarning = "warning"
	// LevelCritical: the secret expires today or tomorrow, or has expired.
	LevelCritical = "critical"
)

// dateLayout is how expiry dates are shown (ISO 8601, unambiguous in every
// locale).
const dateLayout = "2006-01-02"

// daysLeft counts calendar days from now's date to expiry's date in now's
// time zone: health.DaysUntil, the one count every screen uses.
func daysLeft(expiry, now time.Time) int { return health.DaysUntil(now, expiry) }

// expired reports whether the secret no longer works at now.
func expired(expiry, now time.Time) bool {
	return !now.Before(expiry)
}

// Countdown returns the dashboard line for a secret expiring at expiry,
// e.g. "Client secret expires in 23 days — 2026-12-17", and its level:
// warning from 30 days, critical when it expires today or tomorrow or has
// expired. Dates are shown in now's time zone. A zero expiry means the
// expiry is not known (yet).
func Countdown(expiry, now time.Time) (text string, level string) {
	if expiry.IsZero() {
		return "Client secret expiry unknown", LevelInfo
	}
	date := expiry.In(now.Location()).Format(dateLayout)
	if expired(expiry, now) {
		return "Client secret expired on " + date + ": AuditLight can no longer collect. Create a new secret and use Rotate secret.", LevelCritical
	}
	d := daysLeft(expiry, now)
	return upcomingText(d, date), levelFor(d)
}

// upcomingText phrases an expiry d (>= 0) days away.
func upcomingText(d int, date string) string {
	switch d {
	case 0:
		return "Client secret expires today"
	case 1:
		return "Client secret expires in 1 day — " + date
	}
	return fmt.Sprintf("Client secret expires in %d days — %s", d, date)
}

// levelFor maps days left (not expired) to a level.
func levelFor(d int) string {
	switch {
	case d <= 1:
		return LevelCritical
	case d <= 30:
		return LevelWarning
	}
	return LevelInfo
}

// build makes the notification for threshold th at now.
func build(expiry, now time.Time, th int) Reminder {
	local := expiry.In(now.Location())
	date := local.Format(dateLayout)
	if th == ThresholdExpired {
		return Reminder{
			Threshold: th,
			Title:     "Client secret expired on " + date,
			Body:      "AuditLight can no longer collect. Create a new secret and use Rotate secret.",
			Level:     LevelCritical,
		}
	}
	d := daysLeft(expiry, now)
	body := "Create a new client secret for the AuditLight app in Microsoft Entra (App registrations → Certificates & secrets), " +
		"then use Rotate secret in AuditLight. Collection stops when the secret expires."
	if d == 0 {
		body = "It stops working at " + local.Format("15:04") + ". Create a new client secret in Microsoft Entra " +
			"and use Rotate secret in AuditLight now, or collection stops."
	}
	return Reminder{Threshold: th, Title: upcomingText(d, date), Body: body, Level: levelFor(d)}
}
