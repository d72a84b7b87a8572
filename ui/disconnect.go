package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// Choices in the disconnect dialog.
const (
	keepEventsChoice   = "Keep the events already collected on this computer"
	deleteEventsChoice = "Delete the local events too"
)

// ShowDisconnect asks for confirmation and whether to keep local events,
// then disconnects in the background.
func (d *Dashboard) ShowDisconnect() {
	choice := widget.NewRadioGroup([]string{keepEventsChoice, deleteEventsChoice}, nil)
	choice.Required = true
	choice.SetSelected(keepEventsChoice)
	content := container.NewVBox(
		uikit.Para("AuditLight stops collecting, removes the client secret from the system keychain and forgets the tenant. The app registration in Entra is not deleted; remove it there if you no longer need it."),
		choice,
	)
	dlg := uikit.NewModal(d.win.Canvas(), "Disconnect from Microsoft 365?", content, "Disconnect", func() {
		d.disconnect(choice.Selected != deleteEventsChoice)
	})
	dlg.ConfirmButton.Importance = widget.DangerImportance
	d.disconnectDialog = dlg
	d.disconnectChoice = choice
	dlg.Show(d.win.Canvas())
}

func (d *Dashboard) disconnect(keepData bool) {
	do := d.opts.do
	go func() {
		ctx, cancel := context.WithTimeout(d.ctx, 2*time.Minute)
		defer cancel()
		err := d.b.Disconnect(ctx, keepData)
		configured := d.b.Configured()
		do(func() {
			// show the state the backend is really in, whatever the error
			if !configured && d.hooks.Disconnected != nil {
				d.hooks.Disconnected()
			}
			switch {
			case err != nil && configured:
				d.lastMessage = uikit.ShowMessage(d.win, "Could not disconnect",
					uikit.Sentence(err.Error())+"\n\nNothing was removed: AuditLight is still connected and collecting.")
			case err != nil:
				d.lastMessage = uikit.ShowMessage(d.win, "Disconnected, with a problem", uikit.Sentence(err.Error()))
			}
		})
	}()
}
