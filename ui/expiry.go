package ui

import (
	"fmt"
	"time"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// ExpiryLevel is how urgent the client-secret expiry is.
type ExpiryLevel int

// Expiry urgency levels.
const (
	ExpiryUnknown ExpiryLevel = iota // no expiry date known
	ExpiryOK                         // more than 30 days left
	ExpirySoon                       // 30 days or fewer: amber
	ExpiryExpired                    // expired: red
)

// expiryWarnDays is when the countdown turns amber.
const expiryWarnDays = 30

// ExpiryCountdown returns the countdown text for the client secret, e.g.
// "Client secret expires in 23 days — 2026-12-17", and its urgency at now.
func ExpiryCountdown(now, expiry time.Time) (string, ExpiryLevel) {
	if expiry.IsZero() {
		return "Client secret expiry unknown — enter it with Rotate secret", ExpiryUnknown
	}
	date := expiry.Format("2006-01-02")
	left := expiry.Sub(now)
	if left <= 0 {
		return fmt.Sprintf("Client secret expired on %s — create a new one and rotate it", date), ExpiryExpired
	}
	days := health.DaysUntil(now, expiry)
	level := ExpiryOK
	if days <= expiryWarnDays {
		level = ExpirySoon
	}
	switch days {
	case 0:
		return fmt.Sprintf("Client secret expires today — %s", date), level
	case 1:
		return fmt.Sprintf("Client secret expires tomorrow — %s", date), level
	}
	return fmt.Sprintf("Client secret expires in %s — %s", uikit.Plural(days, "day"), date), level
}
