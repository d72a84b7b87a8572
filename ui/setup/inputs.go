package setup

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

func (wz *Wizard) idsStep() *wizardStep {
	f := &wz.fields
	f.tenant, f.tenantMsg = widget.NewEntry(), uikit.Message()
	f.clientID, f.clientMsg = widget.NewEntry(), uikit.Message()
	f.tenant.SetPlaceHolder("00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com")
	f.clientID.SetPlaceHolder("00000000-0000-0000-0000-000000000000")
	// no Entry validators: they paint untouched fields red; the message
	// under each field explains a problem once something was typed
	f.tenant.SetText(wz.draft.Tenant)
	f.clientID.SetText(wz.draft.ClientID)
	f.tenant.OnChanged = func(s string) { wz.onTenantChanged(s, true) }
	f.clientID.OnChanged = func(s string) { wz.onClientChanged(s, true) }
	wz.onTenantChanged(f.tenant.Text, false)
	wz.onClientChanged(f.clientID.Text, false)

	form := widget.NewForm(
		&widget.FormItem{Text: "Directory (tenant) ID", Widget: container.NewVBox(f.tenant, f.tenantMsg), Required: true,
			HintText: "A GUID, or your contoso.onmicrosoft.com domain"},
		&widget.FormItem{Text: "Application (client) ID", Widget: container.NewVBox(f.clientID, f.clientMsg), Required: true,
			HintText: "The GUID on your app's Overview page"},
	)
	c := container.NewVBox(
		uikit.Para("On your app's Overview page in Entra, copy the two IDs and paste them here. Use the copy icon next to each value to avoid typos."),
		uikit.Link(wz.opts.Gate, "Open App registrations", EntraAppRegsURL),
		uikit.Link(wz.opts.Gate, "Tenant overview (shows the tenant ID and primary domain)", urlEntraOverview),
		form,
	)
	return &wizardStep{name: StepIDs, title: "Tenant and application IDs", content: c,
		valid: func() bool { return f.tenantOK && f.clientOK }}
}

// onTenantChanged validates the tenant as the admin types; typed marks a
// real edit (an empty field is only an error once something was typed).
func (wz *Wizard) onTenantChanged(s string, typed bool) {
	f := &wz.fields
	clean, err := wz.v.tenant(s)
	f.tenantOK = err == nil
	if f.tenantOK {
		wz.draft.Tenant = clean
	}
	uikit.SetMessage(f.tenantMsg, feedback(s, err, typed), widget.DangerImportance)
	if f.clientID != nil && f.clientID.Text != "" { // the client ID may now equal the tenant (or no longer)
		wz.onClientChanged(f.clientID.Text, false)
	}
	wz.refreshNav()
}

func (wz *Wizard) onClientChanged(s string, typed bool) {
	f := &wz.fields
	clean, err := wz.v.clientID(s)
	if err == nil && f.tenantOK && strings.EqualFold(clean, wz.draft.Tenant) {
		err = errors.New(sameIDsError)
	}
	f.clientOK = err == nil
	if f.clientOK {
		wz.draft.ClientID = clean
	}
	uikit.SetMessage(f.clientMsg, feedback(s, err, typed), widget.DangerImportance)
	wz.refreshNav()
}

// sameIDsError is shown when the client ID equals the tenant ID: a GUID
// pasted twice.
const sameIDsError = "This is the tenant ID again. Copy the Application (client) ID from your app's Overview page: it is a different GUID."

// feedback is the message under a field: nothing for valid input or for an
// untouched empty field, otherwise the validator's explanation.
func feedback(s string, err error, typed bool) string {
	if err == nil || (strings.TrimSpace(s) == "" && !typed) {
		return ""
	}
	return uikit.Sentence(err.Error())
}

func (wz *Wizard) secretStep() *wizardStep {
	f := &wz.fields
	f.secret, f.secretMsg = widget.NewPasswordEntry(), uikit.Message()
	f.expiry, f.expMsg = uikit.NewEscapeEntry(false), uikit.Message()
	f.secret.SetPlaceHolder("Paste the secret's Value")
	f.expiry.SetPlaceHolder(ExpiryPlaceholder)
	if !wz.draft.SecretExpiry.IsZero() {
		f.expiry.SetText(wz.draft.SecretExpiry.Format("2006-01-02"))
	}
	f.secret.OnChanged = func(s string) { wz.onSecretChanged(s, true) }
	f.expiry.OnChanged = func(s string) { wz.onExpiryChanged(s, true) }
	wz.onSecretChanged("", false)
	wz.onExpiryChanged(f.expiry.Text, false)

	form := widget.NewForm(
		&widget.FormItem{Text: "Secret value", Widget: container.NewVBox(f.secret, f.secretMsg), Required: true,
			HintText: "Stored only in your system keychain"},
		&widget.FormItem{Text: "Expires", Widget: container.NewVBox(withDatePicker(f.expiry, wz.opts.now), f.expMsg), Required: true,
			HintText: "The date in the Expires column"},
	)
	c := container.NewVBox(
		uikit.Para("In your app registration open Certificates & secrets › Client secrets › New client secret. Pick an expiry (at most 24 months) and click Add."),
		uikit.Para("Copy the Value column right away — Entra hides it when you leave the page. Do not copy the Secret ID: that is a GUID and will not work."),
		uikit.Link(wz.opts.Gate, "Open App registrations", EntraAppRegsURL),
		form,
		uikit.Para("AuditLight reminds you 30, 14, 7, 3 and 1 days before the secret expires."),
	)
	return &wizardStep{name: StepSecret, title: "Client secret", content: c,
		valid: func() bool { return f.secretOK && f.expiryOK }}
}

// secretError applies the Secret-ID check first, then the validator.
func (wz *Wizard) secretError(s string) error {
	if wz.v.looksLikeSecretID(s) {
		return errors.New(SecretIDWarning)
	}
	_, err := wz.v.secret(s)
	return err
}

func (wz *Wizard) onSecretChanged(s string, typed bool) {
	f := &wz.fields
	err := wz.secretError(s)
	f.secretOK = err == nil
	f.secretValue = ""
	if f.secretOK {
		f.secretValue, _ = wz.v.secret(s)
	}
	imp := widget.DangerImportance
	if wz.v.looksLikeSecretID(s) {
		imp = widget.WarningImportance
	}
	uikit.SetMessage(f.secretMsg, feedback(s, err, typed), imp)
	wz.refreshNav()
}

func (wz *Wizard) onExpiryChanged(s string, typed bool) {
	f := &wz.fields
	d, err := parseSecretExpiry(s, wz.opts.now(), wz.opts.dateOrder())
	f.expiryOK = err == nil
	if f.expiryOK {
		wz.draft.SecretExpiry = d
		uikit.SetMessage(f.expMsg, expiryEcho(d, wz.opts.now()), widget.SuccessImportance)
	} else {
		uikit.SetMessage(f.expMsg, feedback(s, err, typed), widget.DangerImportance)
	}
	wz.refreshNav()
}

func (wz *Wizard) cloudStep() *wizardStep {
	f := &wz.fields
	labels := make([]string, 0, len(cloudChoices()))
	for _, c := range cloudChoices() {
		labels = append(labels, c[0])
	}
	f.cloud = widget.NewRadioGroup(labels, func(label string) {
		if label == "" { // the radio group allows deselecting; keep a choice
			f.cloud.SetSelected(cloudLabel(wz.draft.Cloud))
			return
		}
		wz.draft.Cloud = cloudID(label)
	})
	f.cloud.Required = true
	f.cloud.SetSelected(cloudLabel(wz.draft.Cloud))
	c := container.NewVBox(
		uikit.Para("Which Microsoft 365 cloud is your tenant in? Almost every business uses Commercial."),
		f.cloud,
		uikit.Para("GCC High and DoD tenants use the government portals (entra.microsoft.us); GCC uses the commercial sign-in with a government API endpoint."),
		uikit.Link(wz.opts.Gate, "Entra admin center for US Government", urlGovEntra),
	)
	return &wizardStep{name: StepCloud, title: "Microsoft cloud", content: c, valid: func() bool { return f.cloud.Selected != "" }}
}
