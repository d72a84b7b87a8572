//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package app

import "context"

// trayHostPresent is always true on Windows and macOS: the notification
// area and the menu bar are part of the desktop.
func trayHostPresent(context.Context) bool { return true }
