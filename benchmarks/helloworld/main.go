// Command helloworld is the idle baseline of scripts/idle.sh (issue 12): a
// Fyne 2.8.1 hello world with a tray menu and a hidden window, the least a
// tray-resident Fyne app costs. AuditLight's hidden-window idle CPU and RSS
// are measured beside it in the same run.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.auditlight.helloworld")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello, world"))
	if d, ok := a.(desktop.App); ok {
		d.SetSystemTrayMenu(fyne.NewMenu("Hello", fyne.NewMenuItem("Show", w.Show)))
	}
	w.SetCloseIntercept(w.Hide)
	a.Run() // the window is never shown: like AuditLight started --hidden
}
