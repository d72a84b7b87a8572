package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// maxSecretMonths is the longest lifetime Entra allows for a client secret.
const maxSecretMonths = 24

// expiryLayouts are the date forms accepted for the secret's expiry: ISO, and
// the US and European forms the Entra portal shows depending on locale.
func expiryLayouts() []string {
	return []string{"2006-01-02", "1/2/2006", "2.1.2006"}
}

// parseSecretExpiry parses the expiry date the admin copied from Entra. It
// must be after today and at most 24 months ahead of now. The result is
// midnight UTC of that date.
func parseSecretExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("enter the expiry date shown next to the secret, e.g. 2027-11-24")
	}
	var d time.Time
	var err error
	for _, layout := range expiryLayouts() {
		if d, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; use the form 2027-11-24", s)
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if !d.After(today) {
		return time.Time{}, errors.New("that date is not in the future; create a new secret in Entra")
	}
	if d.After(today.AddDate(0, maxSecretMonths, 1)) {
		return time.Time{}, fmt.Errorf("that is more than %d months ahead; Entra secrets last at most %d months", maxSecretMonths, maxSecretMonths)
	}
	return d, nil
}
