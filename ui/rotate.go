package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// rotateForm asks for a new client secret value and its expiry; nothing else
// about the configuration changes.
type rotateForm struct {
	v             Validator
	now           func() time.Time
	order         DateOrder
	secret        *EscapeEntry
	expiry        *EscapeEntry
	secretMsg     *widget.Label
	expiryMsg     *widget.Label
	secretOK      bool
	expiryOK      bool
	value         string
	expiryDate    time.Time
	onValidChange func(ok bool)
}

func newRotateForm(v Validator, now func() time.Time, order DateOrder) *rotateForm {
	f := &rotateForm{v: v, now: now, order: order, secret: NewEscapeEntry(true), expiry: NewEscapeEntry(false),
		secretMsg: Message(), expiryMsg: Message()}
	f.secret.SetPlaceHolder("Paste the new secret's Value")
	f.expiry.SetPlaceHolder(expiryPlaceholder)
	f.secret.OnChanged = func(s string) { f.check(s, f.expiry.Text) }
	f.expiry.OnChanged = func(s string) { f.check(f.secret.Text, s) }
	return f
}

func (f *rotateForm) check(secret, expiry string) {
	var err error
	if f.v.looksLikeSecretID(secret) {
		err = errors.New(secretIDWarning)
	} else {
		f.value, err = f.v.secret(secret)
	}
	f.secretOK = err == nil
	imp := widget.DangerImportance
	if f.v.looksLikeSecretID(secret) {
		imp = widget.WarningImportance
	}
	SetMessage(f.secretMsg, feedback(secret, err, true), imp)
	f.expiryDate, err = parseSecretExpiry(expiry, f.now(), f.order)
	f.expiryOK = err == nil
	if f.expiryOK {
		SetMessage(f.expiryMsg, expiryEcho(f.expiryDate, f.now()), widget.SuccessImportance)
	} else {
		SetMessage(f.expiryMsg, feedback(expiry, err, false), widget.DangerImportance)
	}
	if f.onValidChange != nil {
		f.onValidChange(f.valid())
	}
}

func (f *rotateForm) valid() bool { return f.secretOK && f.expiryOK }

func (f *rotateForm) form() *widget.Form {
	return widget.NewForm(
		&widget.FormItem{Text: "New secret value", Widget: container.NewVBox(f.secret, f.secretMsg), Required: true,
			HintText: "Certificates & secrets › New client secret › Value"},
		&widget.FormItem{Text: "Expires", Widget: container.NewVBox(withDatePicker(f.expiry, f.now), f.expiryMsg), Required: true,
			HintText: "The date in the Expires column"},
	)
}

// ShowRotateSecret opens the rotate-secret dialog: new value and expiry only.
// The old secret keeps working until the new one is saved.
func (d *Dashboard) ShowRotateSecret() {
	f := newRotateForm(d.validator(), d.opts.now, d.opts.dateOrder())
	content := container.NewVBox(
		f.form(),
		Para("In Entra open your AuditLight app › Certificates & secrets › New client secret; copy its Value (not the Secret ID) and expiry date here. AuditLight signs in with the new secret before saving it; until then the old one stays in use, so keep it in Entra."),
		Link("Open App registrations", urlEntraAppRegs),
	)
	dlg := NewModal(d.win.Canvas(), "Rotate client secret", content, "Test and save", func() {
		if f.valid() {
			d.rotate(f.value, f.expiryDate)
		}
	})
	f.secret.OnEscape, f.expiry.OnEscape = dlg.Dismiss, dlg.Dismiss
	dlg.ConfirmButton.Disable()
	f.onValidChange = func(ok bool) {
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
	d.lastMessage = ShowMessage(d.win, "Rotate client secret", rotateTesting)
	d.lastMessage.CancelButton.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(d.ctx, 2*time.Minute)
		defer cancel()
		err := d.b.RotateSecret(ctx, secret, expiry)
		do(func() {
			d.lastMessage.Dismiss()
			if err != nil {
				d.lastMessage = ShowMessage(d.win, "The new secret did not work", Sentence(err.Error())+"\n\n"+rotateFailed)
				return
			}
			d.refreshExpiry()
			d.lastMessage = ShowMessage(d.win, "New secret in use", rotateOK)
		})
	}()
}

// validator returns the rules the dashboard's dialogs use.
func (d *Dashboard) validator() Validator { return d.opts.validator }
