//go:build windows

package app

import "fyne.io/systray"

// windowsTipMax is the longest notification-area tooltip: NOTIFYICONDATAW's
// szTip holds 128 UTF-16 units with the closing NUL, and fyne.io/systray
// copies a longer text in without one.
const windowsTipMax = 127

// platformTray returns the tray the app drives itself on Windows, so that
// Fyne never makes its hidden SystrayMonitor GL window (see ownTray).
//
// What Fyne's driver does with fyne.io/systray on Windows, and what this
// does instead:
//   - Fyne calls systray.RunWithExternalLoop when the first tray menu is
//     set: Register makes the icon's hidden window ("SystrayClass") and adds
//     the notify icon on the calling thread, and the start function Fyne
//     calls in its loop only starts a goroutine blocked in GetMessage on an
//     OS thread of its own, where no window lives. The window's messages are
//     dispatched by GLFW's PeekMessage loop on the main thread. Here the
//     icon registers in run, on the goroutine about to run Fyne's loop (the
//     main thread), so the same loop pumps it, and no thread is kept waiting
//     for messages that cannot come.
//   - Icons go to Windows as ICO (icoIcon: each size Windows asks for; Fyne
//     sends one 64 px image to be scaled), the tooltip cut to what
//     Windows shows, the menu and its clicks as on the other desktops.
//   - Left click opens the menu, as with Fyne's tray (it sets no tap
//     handler unless a tray window is set; right click opens it too).
//   - The icon is removed on quit (systray.Quit: NIM_DELETE).
//
// title is not shown: a Windows notify icon has no title, its tooltip
// starts with the app's name. Call it once per process: fyne.io/systray
// keeps one icon.
func platformTray(title string, do func(func())) *ownTray {
	return &ownTray{items: systrayMenu{}, look: systrayLook{}, do: do,
		start: func() { systray.Register(nil, nil) }, stop: systray.Quit,
		encode: icoIcon, tipMax: windowsTipMax}
}
