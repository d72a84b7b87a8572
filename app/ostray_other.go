//go:build !(linux || freebsd || openbsd || netbsd || dragonfly || windows)

package app

// platformTray returns nil: the tray is Fyne's here (macOS), where the close
// of its hidden window is how Cmd-Q reaches the app.
func platformTray(title string, do func(func())) *ownTray { return nil }
