package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Portal pages the wizard and dashboard link to (commercial cloud).
const (
	urlPurviewAudit      = "https://purview.microsoft.com/audit/auditsearch"
	urlAuditEnableDocs   = "https://learn.microsoft.com/purview/audit-log-enable-disable"
	urlLicences          = "https://admin.microsoft.com/#/licenses"
	urlEntraRoles        = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/RolesManagementMenuBlade/~/AllRoles"
	urlEntraAppRegs      = "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade/quickStartType~/null/sourceType/Microsoft_AAD_IAM"
	urlEntraNewApp       = "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade/quickStartType~/null/isMSAApp~/false"
	urlEntraOverview     = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView"
	urlManagementAPIDocs = "https://learn.microsoft.com/office/office-365-management-api/get-started-with-office-365-management-apis"
	urlOrgCustomization  = "https://learn.microsoft.com/powershell/module/exchange/enable-organizationcustomization"
	urlGovEntra          = "https://entra.microsoft.us"
)

// link returns a hyperlink; the URLs above are constants, so a parse error is
// impossible and the text is shown without a link in that case.
func link(text, raw string) fyne.CanvasObject {
	u, err := url.Parse(raw)
	if err != nil {
		return widget.NewLabel(text)
	}
	h := widget.NewHyperlink(text, u)
	h.OnTapped = func() { openOrShow(h, u) }
	return h
}

// openOrShow opens u in the browser; when none opens it shows the address
// to copy instead of failing silently.
func openOrShow(from fyne.CanvasObject, u *url.URL) {
	err := fyne.CurrentApp().OpenURL(u)
	if err == nil {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(from)
	if c == nil {
		return
	}
	showURL(c, u.String(), err)
}

// showURL shows an address that could not be opened, selectable, with Copy.
func showURL(c fyne.Canvas, addr string, err error) *modal {
	e := widget.NewEntry()
	e.SetText(addr)
	var btn *widget.Button
	btn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(addr)
		copied(btn)
	})
	m := newModal(c, "Open this address in your browser", container.NewVBox(
		para("AuditLight could not open a browser ("+sentence(err.Error())+") Copy the address into one:"),
		container.NewBorder(nil, nil, nil, btn, e)), "", nil)
	m.text = addr
	m.Show(c)
	return m
}

// openURL opens raw in the browser through the current app.
func openURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return fyne.CurrentApp().OpenURL(u)
}
