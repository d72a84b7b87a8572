//go:build windows

package fynelog

import "golang.org/x/sys/windows"

// ShowGraphicsFailure shows msg in a native error dialog: a GUI exe has no
// console, and Fyne exits right after.
func ShowGraphicsFailure(msg string) {
	text, err := windows.UTF16PtrFromString(msg)
	if err != nil {
		return
	}
	title, _ := windows.UTF16PtrFromString("AuditLight cannot open its window")
	_, _ = windows.MessageBox(0, text, title, windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND)
}
