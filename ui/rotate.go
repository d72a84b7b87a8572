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
	secret        *widget.Entry
	expiry        *widget.Entry
	secretMsg     *widget.Label
	expiryMsg     *widget.Label
	secretOK      bool
	expiryOK      bool
	value         string
	expiryDate    time.Time
	onValidChange func(ok bool)
}

func newRotateForm(v Validator, now func() time.Time) *rotateForm {
	f := &rotateForm{v: v, now: now, secret: widget.NewPasswordEntry(), expiry: widget.NewEntry(),
		secretMsg: message(), expiryMsg: message()}
	f.secret.SetPlaceHolder("Paste the new secret's Value")
	f.expiry.SetPlaceHolder("YYYY-MM-DD")
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
	setMessage(f.secretMsg, feedback(secret, err, true), imp)
	f.expiryDate, err = parseSecretExpiry(expiry, f.now())
	f.expiryOK = err == nil
	setMessage(f.expiryMsg, feedback(expiry, err, false), widget.DangerImportance)
	if f.onValidChange != nil {
		f.onValidChange(f.valid())
	}
}

func (f *rotateForm) valid() bool { return f.secretOK && f.expiryOK }

func (f *rotateForm) form() *widget.Form {
	return widget.NewForm(
		&widget.FormItem{Text: "New secret value", Widget: container.NewVBox(f.secret, f.secretMsg), Required: true,
			HintText: "Certificates & secrets › New client secret › Value"},
		&widget.FormItem{Text: "Expires", Widget: container.NewVBox(f.expiry, f.expiryMsg), Required: true},
	)
}

// ShowRotateSecret opens the rotate-secret dialog: new value and expiry only.
// The old secret keeps working until the new one is saved.
func (d *Dashboard) ShowRotateSecret() {
	f := newRotateForm(d.validator(), d.opts.now)
	content := container.NewVBox(
		para("In Entra open your AuditLight app › Certificates & secrets › New client secret. Copy the Value (not the Secret ID) and the expiry date here. Delete the old secret in Entra after saving."),
		link("Open App registrations", urlEntraAppRegs),
		f.form(),
	)
	dlg := newModal(d.win.Canvas(), "Rotate client secret", content, "Save", func() {
		if f.valid() {
			d.rotate(f.value, f.expiryDate)
		}
	})
	dlg.confirm.Disable()
	f.onValidChange = func(ok bool) {
		if ok {
			dlg.confirm.Enable()
		} else {
			dlg.confirm.Disable()
		}
	}
	d.rotateDialog = dlg
	d.rotateForm = f
	dlg.Show(d.win.Canvas())
}

// rotate saves a new secret in the background and reports the outcome.
func (d *Dashboard) rotate(secret string, expiry time.Time) {
	do := d.opts.do
	go func() {
		ctx, cancel := context.WithTimeout(d.ctx, 2*time.Minute)
		defer cancel()
		err := d.b.RotateSecret(ctx, secret, expiry)
		do(func() {
			if err != nil {
				d.lastMessage = showMessage(d.win, "Could not save the secret", err.Error())
				return
			}
			d.refreshExpiry()
			d.lastMessage = showMessage(d.win, "Secret saved", "AuditLight now uses the new client secret. You can delete the old one in Entra.")
		})
	}()
}

// validator returns the rules the dashboard's dialogs use.
func (d *Dashboard) validator() Validator { return d.opts.validator }
