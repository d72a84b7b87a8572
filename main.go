// Command auditlight collects a Microsoft 365 tenant's Unified Audit Log on
// the admin's own machine and shows whether it is working. See README.md.
//
// This is the only file that imports fyne.io/fyne/v2/app (the cgo/GL
// driver); everything else takes a fyne.App, so tests run headless.
package main

import (
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/auditlight/auditlight/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], func() fyne.App {
		// A plain `go build` has no packaged metadata: without a name the
		// tray's Title would be the app ID.
		fyneapp.SetMetadata(fyne.AppMetadata{ID: app.ID, Name: "AuditLight", Migrations: map[string]bool{"fyneDo": true}})
		return fyneapp.NewWithID(app.ID)
	}))
}
