package ui

import (
	"context"
	"time"

	"github.com/auditlight/auditlight/ui/internal/uikit"
	"github.com/auditlight/auditlight/ui/setup"
)

// ShowRotateSecret opens the rotate-secret dialog: new value and expiry only.
// The old secret keeps working until the new one is saved.
func (d *Dashboard) ShowRotateSecret() {
	f := setup.NewRotateForm(d.opts.validator, d.opts.setupOptions())
	dlg := uikit.NewModal(d.win.Canvas(), "Rotate client secret", f.Content(), "Test and save", func() {
		if f.Valid() {
			d.rotate(f.Secret(), f.Expiry())
		}
	})
	f.SetOnEscape(dlg.Dismiss)
	dlg.ConfirmButton.Disable()
	f.OnValidChange = func(ok bool) {
		if ok {
			dlg.ConfirmButton.Enable()
		} else {
			dlg.ConfirmButton.Disable()
		}
	}
	d.rotateDialog = dlg
	d.rotateForm = f
	dlg.Show(d.win.Canvas())
}

// Rotation outcomes shown to the admin. The old secret may only be deleted
// once the new one has signed in.
const (
	rotateTesting = "Signing in with the new secret…"
	rotateOK      = "AuditLight signed in with the new client secret and now uses it. Once the status light is green you can delete the old secret in Entra."
	rotateFailed  = "AuditLight keeps using the old secret; do not delete it in Entra. Check that you copied the new secret's Value (not its Secret ID) and try again."
)

// rotate tests and saves a new secret in the background (Backend.RotateSecret
// signs in with it before replacing the old one) and reports the outcome.
func (d *Dashboard) rotate(secret string, expiry time.Time) {
	do := d.opts.do
	d.lastMessage = uikit.ShowMessage(d.win, "Rotate client secret", rotateTesting)
	d.lastMessage.CancelButton.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(d.ctx, 2*time.Minute)
		defer cancel()
		err := d.b.RotateSecret(ctx, secret, expiry)
		do(func() {
			d.lastMessage.Dismiss()
			if err != nil {
				d.lastMessage = uikit.ShowMessage(d.win, "The new secret did not work", uikit.Sentence(err.Error())+"\n\n"+rotateFailed)
				return
			}
			d.refreshExpiry()
			d.lastMessage = uikit.ShowMessage(d.win, "New secret in use", rotateOK)
		})
	}()
}
