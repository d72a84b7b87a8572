package setup

// Portal and documentation addresses the setup screens link to.
const (
	PurviewAuditURL      = "https://purview.microsoft.com/audit/auditsearch"
	urlAuditEnableDocs   = "https://learn.microsoft.com/purview/audit-log-enable-disable"
	urlLicences          = "https://admin.microsoft.com/#/licenses"
	urlEntraRoles        = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/RolesManagementMenuBlade/~/AllRoles"
	EntraAppRegsURL      = "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade/quickStartType~/null/sourceType/Microsoft_AAD_IAM"
	urlEntraNewApp       = "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade/quickStartType~/null/isMSAApp~/false"
	urlEntraOverview     = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView"
	urlManagementAPIDocs = "https://learn.microsoft.com/office/office-365-management-api/get-started-with-office-365-management-apis"
	urlOrgCustomization  = "https://learn.microsoft.com/powershell/module/exchange/enable-organizationcustomization"
	urlGovEntra          = "https://entra.microsoft.us"
)
