package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/auditlight/auditlight/collector/health"
)

// stateColorName maps a health state to the theme colour of its light, so the
// light follows light/dark themes: grey = disabled, blue = primary,
// green = success, amber = warning, red = error.
func stateColorName(s health.State) fyne.ThemeColorName {
	switch s {
	case health.WaitingForData:
		return theme.ColorNamePrimary
	case health.Healthy:
		return theme.ColorNameSuccess
	case health.Degraded:
		return theme.ColorNameWarning
	case health.ActionNeeded:
		return theme.ColorNameError
	}
	return theme.ColorNameDisabled
}

// stateTitle is the headline next to the light.
func stateTitle(s health.State) string {
	switch s {
	case health.NotConfigured:
		return "Not set up"
	case health.WaitingForData:
		return "Waiting for first data"
	case health.Healthy:
		return "Collecting"
	case health.Degraded:
		return "Collecting with problems"
	case health.ActionNeeded:
		return "Action needed"
	}
	return "Unknown"
}

// statusTitle is the headline for a status: the state's title, or "Paused"
// while collection is paused, or "Not collecting yet" while the event store
// is upgraded (amber, but nothing is wrong).
func statusTitle(s health.Status, paused bool) string {
	switch {
	case s.StoreUpgrade != nil && s.State == health.Degraded:
		return "Not collecting yet"
	case paused && s.State != health.NotConfigured && s.State != health.ActionNeeded:
		return "Paused"
	}
	return stateTitle(s.State)
}

// actionLabel is the button text for a status action ("" for none).
func actionLabel(a health.Action) string {
	switch a {
	case health.ActionSetup:
		return "Open setup"
	case health.ActionTestConnection:
		return "Test connection"
	case health.ActionRotateSecret:
		return "Rotate secret"
	case health.ActionOpenPurview:
		return "Open Purview audit"
	case health.ActionRetryNow:
		return "Retry now"
	case health.ActionResume:
		return "Resume"
	}
	return ""
}

// showsFix reports whether the status should show its fix text (amber and red).
func showsFix(s health.Status) bool {
	return s.Fix != "" && (s.State == health.Degraded || s.State == health.ActionNeeded)
}
