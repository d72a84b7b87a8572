package setup

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// RotateForm asks for a new client secret value and its expiry; nothing
// else about the configuration changes. The dashboard puts it in a dialog
// and saves the result through its backend.
type RotateForm struct {
	v          Validator
	now        func() time.Time
	order      DateOrder
	secret     *uikit.EscapeEntry
	expiry     *uikit.EscapeEntry
	secretMsg  *widget.Label
	expiryMsg  *widget.Label
	secretOK   bool
	expiryOK   bool
	value      string
	expiryDate time.Time
	content    fyne.CanvasObject
	// OnValidChange, when set, runs after each edit with whether the form
	// can be saved (the dialog enables its confirm button on it).
	OnValidChange func(ok bool)
}

// NewRotateForm builds the form with the wizard's input rules v; o gives
// the clock, the order numeric expiry dates are read in and the gate.
func NewRotateForm(v Validator, o Options) *RotateForm {
	f := &RotateForm{v: v, now: o.now, order: o.dateOrder(), secret: uikit.NewEscapeEntry(true),
		expiry: uikit.NewEscapeEntry(false), secretMsg: uikit.Message(), expiryMsg: uikit.Message()}
	f.secret.SetPlaceHolder("Paste the new secret's Value")
	f.expiry.SetPlaceHolder(ExpiryPlaceholder)
	f.secret.OnChanged = func(s string) { f.check(s, f.expiry.Text) }
	f.expiry.OnChanged = func(s string) { f.check(f.secret.Text, s) }
	form := widget.NewForm(
		&widget.FormItem{Text: "New secret value", Widget: container.NewVBox(f.secret, f.secretMsg), Required: true,
			HintText: "Certificates & secrets › New client secret › Value"},
		&widget.FormItem{Text: "Expires", Widget: container.NewVBox(withDatePicker(f.expiry, f.now), f.expiryMsg), Required: true,
			HintText: "The date in the Expires column"},
	)
	f.content = container.NewVBox(
		form,
		uikit.Para("In Entra open your AuditLight app › Certificates & secrets › New client secret; copy its Value (not the Secret ID) and expiry date here. AuditLight signs in with the new secret before saving it; until then the old one stays in use, so keep it in Entra."),
		uikit.Link(o.Gate, "Open App registrations", EntraAppRegsURL),
	)
	return f
}

// Content is the form with its explanation and the Entra link.
func (f *RotateForm) Content() fyne.CanvasObject { return f.content }

// SetOnEscape makes Escape in either field run fn (close the dialog).
func (f *RotateForm) SetOnEscape(fn func()) { f.secret.OnEscape, f.expiry.OnEscape = fn, fn }

// Valid reports whether both fields hold acceptable values.
func (f *RotateForm) Valid() bool { return f.secretOK && f.expiryOK }

// Secret is the cleaned secret value (meaningful only when Valid).
func (f *RotateForm) Secret() string { return f.value }

// Expiry is the parsed expiry date, midnight UTC (meaningful only when Valid).
func (f *RotateForm) Expiry() time.Time { return f.expiryDate }

// SecretEntry is the secret value field.
func (f *RotateForm) SecretEntry() *uikit.EscapeEntry { return f.secret }

// ExpiryEntry is the expiry date field.
func (f *RotateForm) ExpiryEntry() *uikit.EscapeEntry { return f.expiry }

// Messages are the texts under the secret and expiry fields ("" when hidden).
func (f *RotateForm) Messages() (secret, expiry string) { return f.secretMsg.Text, f.expiryMsg.Text }

// check validates both fields after an edit and updates their messages.
func (f *RotateForm) check(secret, expiry string) {
	var err error
	idLike := f.v.looksLikeSecretID(secret)
	if idLike {
		err = errors.New(SecretIDWarning)
	} else {
		f.value, err = f.v.secret(secret)
	}
	f.secretOK = err == nil
	imp := widget.DangerImportance
	if idLike {
		imp = widget.WarningImportance
	}
	uikit.SetMessage(f.secretMsg, feedback(secret, err, true), imp)
	f.expiryDate, err = parseSecretExpiry(expiry, f.now(), f.order)
	f.expiryOK = err == nil
	if f.expiryOK {
		uikit.SetMessage(f.expiryMsg, expiryEcho(f.expiryDate, f.now()), widget.SuccessImportance)
	} else {
		uikit.SetMessage(f.expiryMsg, feedback(expiry, err, false), widget.DangerImportance)
	}
	if f.OnValidChange != nil {
		f.OnValidChange(f.Valid())
	}
}
