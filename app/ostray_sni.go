//go:build linux || freebsd || openbsd || netbsd || dragonfly

package app

import "fyne.io/systray"

// platformTray returns the tray the app drives itself on the
// StatusNotifierItem desktops (Linux, BSD): Fyne's tray would make a hidden
// GL window that nothing here uses (see ownTray). title is the item's Title,
// which some hosts need (Fyne sets it too, fyne #3678). Call it once per
// process: fyne.io/systray keeps one icon.
func platformTray(title string, do func(func())) *ownTray {
	start, stop := systray.RunWithExternalLoop(nil, nil)
	systray.SetTitle(title)
	return &ownTray{items: systrayMenu{}, look: systrayLook{}, do: do, start: start, stop: stop,
		encode: pngIcon, early: true}
}
