package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Names the admin types or picks in the Entra admin center.
const (
	suggestedAppName = "AuditLight – Microsoft 365 audit logs"
	singleTenantText = "Accounts in this organizational directory only"
)

// apiPermission is one permission to add in the app registration.
type apiPermission struct {
	API, Type, Name, Why string
}

// requiredPermissions lists what the guide asks for: the Management API
// permissions as Application (and, as Microsoft's guide does, Delegated),
// Graph User.Read.All, and the optional Application.Read.All.
func requiredPermissions() []apiPermission {
	const mgmt, graph = "Office 365 Management APIs", "Microsoft Graph"
	return []apiPermission{
		{mgmt, "Application", "ActivityFeed.Read", "read the audit log"},
		{mgmt, "Application", "ActivityFeed.ReadDlp", "read DLP events"},
		{mgmt, "Application", "ServiceHealth.Read", "read service health"},
		{mgmt, "Delegated", "ActivityFeed.Read", "same as above, as Microsoft's guide adds it"},
		{mgmt, "Delegated", "ActivityFeed.ReadDlp", "same as above"},
		{mgmt, "Delegated", "ServiceHealth.Read", "same as above"},
		{graph, "Application", "User.Read.All", "show people's names instead of IDs"},
		{graph, "Application", "Application.Read.All", "optional: lets AuditLight read the secret's expiry itself"},
	}
}

func (wz *Wizard) beforeStep() *wizardStep {
	c := container.NewVBox(
		Para("AuditLight reads your Microsoft 365 audit log through Microsoft's Office 365 Management Activity API. Check three things first:"),
		Heading("1. A licence that includes auditing"),
		Para("Audit (Standard) comes with Microsoft 365 Business Basic, Business Standard, Business Premium, Office 365 E1 and higher. Audit (Premium) (E5) works too."),
		Link("Open licences in the Microsoft 365 admin center", urlLicences),
		Heading("2. You are a Global Administrator"),
		Para("Registering the app and granting admin consent need the Global Administrator role."),
		Link("Check your roles in the Entra admin center", urlEntraRoles),
		Heading("3. Unified Audit Logging is on"),
		Para("Open Audit in the Microsoft Purview portal. If you see a banner \"Start recording user and admin activity\", click it to turn auditing on. No banner means it is already on."),
		Link("Open Purview › Audit", urlPurviewAudit),
		Para("If clicking the banner fails with a client error (the error details mention EWS or Exchange diagnostics), the tenant's Exchange organisation is not fully set up yet. Connect to Exchange Online PowerShell, run Enable-OrganizationCustomization, wait up to an hour and try again — or turn auditing on from PowerShell directly:"),
		CopyRow("PowerShell:", "Connect-ExchangeOnline"),
		CopyRow("PowerShell:", "Enable-OrganizationCustomization"),
		CopyRow("PowerShell:", "Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true"),
		CopyRow("Check:", "Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled"),
		Link("How to turn auditing on or off (Microsoft Learn)", urlAuditEnableDocs),
		Link("About Enable-OrganizationCustomization", urlOrgCustomization),
		Para("If you only just switched auditing on, Microsoft can take 24–72 hours before the API serves any data. You can finish the setup now: choose Save and keep trying at the last step, and AuditLight shows a blue light until the first records arrive, then turns green by itself."),
	)
	return &wizardStep{name: StepBefore, title: "Before you begin", content: c, valid: func() bool { return true }}
}

func (wz *Wizard) registerStep() *wizardStep {
	c := container.NewVBox(
		Para("AuditLight signs in as its own app, so it never needs your password. Create an app registration for it:"),
		Link("Open Entra admin center › App registrations › New registration", urlEntraNewApp),
		Para("1. Name: use this name so you recognise it later."),
		CopyRow("Name:", suggestedAppName),
		Para("2. Supported account types: choose the first option, single tenant: “"+singleTenantText+"”."),
		Para("3. Leave Redirect URI empty and click Register."),
		Para("The app's Overview page opens. Keep it open: the next step needs two IDs from it."),
		Link("All app registrations", urlEntraAppRegs),
	)
	return &wizardStep{name: StepRegister, title: "Register AuditLight in Microsoft Entra", content: c, valid: func() bool { return true }}
}

func (wz *Wizard) permissionsStep() *wizardStep {
	rows := container.NewVBox()
	for _, p := range requiredPermissions() {
		caption := p.API + " › " + p.Type + ":"
		row := CopyRow(caption, p.Name)
		why := widget.NewLabelWithStyle("   "+p.Why, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		rows.Add(container.NewVBox(row, why))
	}
	c := container.NewVBox(
		Para("In your app registration open API permissions › Add a permission."),
		Para("• Under \"APIs my organization uses\" / \"Microsoft APIs\" pick Office 365 Management APIs, choose Application permissions and tick ActivityFeed.Read, ActivityFeed.ReadDlp and ServiceHealth.Read. Add the same three as Delegated permissions too, as Microsoft's guide does."),
		Para("• Pick Microsoft Graph › Application permissions › User.Read.All. Optionally add Application.Read.All so AuditLight can read the secret's expiry date itself."),
		rows,
		Para("Then click \"Grant admin consent for <your organisation>\" and confirm. Every permission must show a green tick in the Status column. Application permissions do nothing without admin consent."),
		Link("Open App registrations", urlEntraAppRegs),
		Link("Management Activity API: getting started (Microsoft Learn)", urlManagementAPIDocs),
	)
	return &wizardStep{name: StepPermissions, title: "API permissions and admin consent", content: c, valid: func() bool { return true }}
}
