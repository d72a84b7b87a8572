package setup

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// maxSecretMonths is the longest lifetime Entra allows for a client secret.
const maxSecretMonths = 24

// ExpiryPlaceholder is shown in every expiry field: the one form that
// cannot be misread.
const ExpiryPlaceholder = "YYYY-MM-DD, e.g. 2027-05-03"

// DateOrder is how a numeric date such as 05/03/2027 is read.
type DateOrder int

// Date orders.
const (
	DateOrderUnknown DateOrder = iota // ambiguous numeric dates are refused
	DayFirst                          // 05/03/2027 is 5 March (most of the world)
	MonthFirst                        // 05/03/2027 is 3 May (United States)
)

// monthFirstRegions write numeric dates month first.
func monthFirstRegions() []string {
	return []string{"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"}
}

// LocaleDateOrder returns the numeric date order of a locale such as
// "en-GB" or "en_US"; a locale without a region gives DateOrderUnknown.
func LocaleDateOrder(loc fyne.Locale) DateOrder {
	s := strings.ReplaceAll(string(loc), "_", "-")
	parts := strings.Split(s, "-")
	if len(parts) < 2 || parts[len(parts)-1] == "" {
		return DateOrderUnknown
	}
	region := strings.ToUpper(parts[len(parts)-1])
	for _, r := range monthFirstRegions() {
		if r == region {
			return MonthFirst
		}
	}
	return DayFirst
}

var (
	isoDate     = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	numericDate = regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$`)
)

// parseSecretExpiry parses the expiry date the admin copied from Entra:
// ISO 2027-05-03 always; a numeric 05/03/2027 (or with dots or dashes) by
// the OS locale's order, or unambiguously when one part is above 12. It
// must be after today and at most 24 months ahead of now. The result is
// midnight UTC of that date.
func parseSecretExpiry(s string, now time.Time, order DateOrder) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("Enter the expiry date shown next to the secret, as YYYY-MM-DD (e.g. 2027-05-03).")
	}
	var y, m, d int
	switch {
	case isoDate.MatchString(s):
		p := isoDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case numericDate.MatchString(s):
		p := numericDate.FindStringSubmatch(s)
		a, b := atoi(p[1]), atoi(p[2])
		y = atoi(p[3])
		switch {
		case a > 12 && b <= 12:
			d, m = a, b
		case b > 12 && a <= 12:
			m, d = a, b
		case a == b:
			d, m = a, b
		case order == DayFirst:
			d, m = a, b
		case order == MonthFirst:
			m, d = a, b
		default:
			return time.Time{}, fmt.Errorf("%q could be %s or %s; write it as YYYY-MM-DD.", s,
				wordsDate(y, a, b), wordsDate(y, b, a))
		}
	default:
		return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD, e.g. 2027-05-03.", s)
	}
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || date.Day() != d {
		return time.Time{}, fmt.Errorf("%q is not a date in the calendar; write it as YYYY-MM-DD.", s)
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if !date.After(today) {
		return time.Time{}, errors.New("That date is not in the future; create a new secret in Entra.")
	}
	if date.After(today.AddDate(0, maxSecretMonths, 1)) {
		return time.Time{}, fmt.Errorf("That is more than %d months ahead; Entra secrets last at most %d months.", maxSecretMonths, maxSecretMonths)
	}
	return date, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// wordsDate renders year, month, day as "3 May 2027" (a month out of
// range renders as its number).
func wordsDate(y, m, d int) string {
	if m < 1 || m > 12 {
		return fmt.Sprintf("%d/%d/%d", d, m, y)
	}
	return fmt.Sprintf("%d %s %d", d, time.Month(m), y)
}

// DateInWords renders a date unambiguously for the admin: "3 May 2027".
func DateInWords(t time.Time) string { return wordsDate(t.Year(), int(t.Month()), t.Day()) }

// expiryEcho is the confirmation under an expiry field once it parses:
// "Expires on 3 May 2027 (in 156 days)."
func expiryEcho(d, now time.Time) string {
	return fmt.Sprintf("Expires on %s (in %s).", DateInWords(d), uikit.Plural(health.DaysUntil(now, d), "day"))
}

// withDatePicker puts a calendar button beside an expiry entry; picking a
// day writes it in ISO form, so nothing is left to interpretation.
func withDatePicker(e *uikit.EscapeEntry, now func() time.Time) fyne.CanvasObject {
	var pop *widget.PopUp
	btn := widget.NewButtonWithIcon("", theme.CalendarIcon(), nil)
	btn.OnTapped = func() {
		c := fyne.CurrentApp().Driver().CanvasForObject(btn)
		if c == nil {
			return
		}
		start := now()
		if d, err := time.Parse("2006-01-02", strings.TrimSpace(e.Text)); err == nil {
			start = d
		}
		cal := widget.NewCalendar(start, func(t time.Time) {
			e.SetText(t.Format("2006-01-02"))
			if pop != nil {
				pop.Hide()
			}
		})
		pop = widget.NewPopUp(cal, c)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(btn)
		pop.ShowAtPosition(pos.Add(fyne.NewPos(0, btn.Size().Height)))
	}
	return container.NewBorder(nil, nil, nil, btn, e)
}
