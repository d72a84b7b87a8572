package setup

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
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
		uikit.Para("AuditLight reads your Microsoft 365 audit log through Microsoft's Office 365 Management Activity API. Check three things first:"),
		uikit.Heading("1. A licence that includes auditing"),
		uikit.Para("Audit (Standard) comes with Microsoft 365 Business Basic, Business Standard, Business Premium, Office 365 E1 and higher. Audit (Premium) (E5) works too."),
		uikit.Link(wz.opts.Gate, "Open licences in the Microsoft 365 admin center", urlLicences),
		uikit.Heading("2. You are a Global Administrator"),
		uikit.Para("Registering the app and granting admin consent need the Global Administrator role."),
		uikit.Link(wz.opts.Gate, "Check your roles in the Entra admin center", urlEntraRoles),
		uikit.Heading("3. Unified Audit Logging is on"),
		uikit.Para("Open Audit in the Microsoft Purview portal. If you see a banner \"Start recording user and admin activity\", click it to turn auditing on. No banner means it is already on."),
		uikit.Link(wz.opts.Gate, "Open Purview › Audit", PurviewAuditURL),
		uikit.Para("If clicking the banner fails with a client error (the error details mention EWS or Exchange diagnostics), the tenant's Exchange organisation is not fully set up yet. Connect to Exchange Online PowerShell, run Enable-OrganizationCustomization, wait up to an hour and try again — or turn auditing on from PowerShell directly:"),
		uikit.CopyRow(wz.opts.Gate, "PowerShell:", "Connect-ExchangeOnline"),
		uikit.CopyRow(wz.opts.Gate, "PowerShell:", "Enable-OrganizationCustomization"),
		uikit.CopyRow(wz.opts.Gate, "PowerShell:", "Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true"),
		uikit.CopyRow(wz.opts.Gate, "Check:", "Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled"),
		uikit.Link(wz.opts.Gate, "How to turn auditing on or off (Microsoft Learn)", urlAuditEnableDocs),
		uikit.Link(wz.opts.Gate, "About Enable-OrganizationCustomization", urlOrgCustomization),
		uikit.Para("If you only just switched auditing on, Microsoft can take 24–72 hours before the API serves any data. You can finish the setup now: choose Save and keep trying at the last step, and AuditLight shows a blue light until the first records arrive, then turns green by itself."),
	)
	return &wizardStep{name: StepBefore, title: "Before you begin", content: c, valid: func() bool { return true }}
}

func (wz *Wizard) registerStep() *wizardStep {
	c := container.NewVBox(
		uikit.Para("AuditLight signs in as its own app, so it never needs your password. Create an app registration for it:"),
		uikit.Link(wz.opts.Gate, "Open Entra admin center › App registrations › New registration", urlEntraNewApp),
		uikit.Para("1. Name: use this name so you recognise it later."),
		uikit.CopyRow(wz.opts.Gate, "Name:", suggestedAppName),
		uikit.Para("2. Supported account types: choose the first option, single tenant: “"+singleTenantText+"”."),
		uikit.Para("3. Leave Redirect URI empty and click Register."),
		uikit.Para("The app's Overview page opens. Keep it open: the next step needs two IDs from it."),
		uikit.Link(wz.opts.Gate, "All app registrations", EntraAppRegsURL),
	)
	return &wizardStep{name: StepRegister, title: "Register AuditLight in Microsoft Entra", content: c, valid: func() bool { return true }}
}

func (wz *Wizard) permissionsStep() *wizardStep {
	rows := container.NewVBox()
	for _, p := range requiredPermissions() {
		caption := p.API + " › " + p.Type + ":"
		row := uikit.CopyRow(wz.opts.Gate, caption, p.Name)
		why := widget.NewLabelWithStyle("   "+p.Why, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		rows.Add(container.NewVBox(row, why))
	}
	c := container.NewVBox(
		uikit.Para("In your app registration open API permissions › Add a permission."),
		uikit.Para("• Under \"APIs my organization uses\" / \"Microsoft APIs\" pick Office 365 Management APIs, choose Application permissions and tick ActivityFeed.Read, ActivityFeed.ReadDlp and ServiceHealth.Read. Add the same three as Delegated permissions too, as Microsoft's guide does."),
		uikit.Para("• Pick Microsoft Graph › Application permissions › User.Read.All. Optionally add Application.Read.All so AuditLight can read the secret's expiry date itself."),
		rows,
		uikit.Para("Then click \"Grant admin consent for <your organisation>\" and confirm. Every permission must show a green tick in the Status column. Application permissions do nothing without admin consent."),
		uikit.Link(wz.opts.Gate, "Open App registrations", EntraAppRegsURL),
		uikit.Link(wz.opts.Gate, "Management Activity API: getting started (Microsoft Learn)", urlManagementAPIDocs),
	)
	return &wizardStep{name: StepPermissions, title: "API permissions and admin consent", content: c, valid: func() bool { return true }}
}
