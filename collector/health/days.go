package health

import "time"

// DaysUntil counts calendar days from now's date to t's date, both in now's
// time zone: 0 when t is later today, 1 tomorrow, negative when t's date has
// passed. It is the one "days until" every screen, reminder, check and status
// uses, so they never disagree by one (rounding hours up in one place and
// down in another did).
func DaysUntil(now, t time.Time) int {
	ty, tm, td := t.In(now.Location()).Date()
	ny, nm, nd := now.Date()
	a := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	b := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	return int(a.Sub(b).Hours() / 24)
}
