//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package app

// platformTray returns nil: the tray is Fyne's here. On macOS the close of
// its hidden window is how Cmd-Q reaches the app; on Windows the tray needs
// ICO icons and a message loop, which Fyne's driver provides.
func platformTray(title string, do func(func())) *ownTray { return nil }
