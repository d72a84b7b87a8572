package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
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
	return widget.NewHyperlink(text, u)
}

// openURL opens raw in the browser through the current app.
func openURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return fyne.CurrentApp().OpenURL(u)
}
