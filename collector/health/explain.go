package health

import (
	"github.com/auditlight/auditlight/collector/fault"
)

// Explain turns a failure into a plain-English reason, the fix, and the action
// button that applies it. It is shared by the status light, the CLI and the
// test connection, so the same failure always reads the same way.
func Explain(err error) (reason, fix string, action Action) {
	kind := fault.KindOf(err)
	code := fault.CodeOf(err)
	suffix := ""
	if code != "" {
		suffix = " (" + code + ")"
	}
	switch kind {
	case fault.InvalidSecret:
		return "Microsoft rejected the client secret" + suffix + ".",
			"Copy the secret's Value (not the Secret ID) from Certificates & secrets in the Entra admin center and enter it with Rotate secret.",
			ActionRotateSecret
	case fault.ExpiredSecret:
		return "The client secret has expired" + suffix + "; Microsoft refuses every request.",
			"Create a new client secret in the Entra admin center and enter it with Rotate secret.", ActionRotateSecret
	case fault.AppNotFound:
		return "Microsoft does not know this application in your tenant" + suffix + ".",
			"Re-copy the Application (client) ID and Directory (tenant) ID from the app's Overview page and run the setup again.", ActionSetup
	case fault.TenantNotFound:
		return "Microsoft does not know this tenant" + suffix + ".",
			"Re-copy the Directory (tenant) ID from the app's Overview page and check the cloud (Commercial, GCC, GCC High, DoD).", ActionSetup
	case fault.PermissionMissing:
		return "The app lacks a permission it needs" + suffix + ".",
			"In the app's API permissions add Office 365 Management APIs › Application › ActivityFeed.Read (and ActivityFeed.ReadDlp), then Grant admin consent.", ActionTestConnection
	case fault.AuditOff:
		return "Unified Audit Logging is not enabled for this tenant" + suffix + ".",
			"Please make sure that Unified Audit Logging is enabled in Microsoft Purview (Audit › Start recording user and admin activity); it can take hours after switching it on.", ActionOpenPurview
	case fault.SubscriptionDisabled:
		return "The audit subscription was disabled in your tenant" + suffix + ".",
			"A disabled subscription usually means audit logging was switched off. Check Microsoft Purview, then run Test connection to re-enable it.", ActionTestConnection
	case fault.NoSubscription:
		return "The audit subscription is missing" + suffix + ".",
			"Run Test connection; AuditLight re-creates missing subscriptions (at most every 15 minutes).", ActionTestConnection
	case fault.Throttled:
		return "Microsoft is throttling requests" + suffix + "; AuditLight is backing off.",
			"Nothing to do: collection resumes automatically.", ActionNone
	case fault.Transient:
		return "Microsoft 365 is not answering reliably right now" + suffix + "; AuditLight keeps retrying.",
			"Nothing to do unless this persists; Retry now tries again immediately.", ActionRetryNow
	case fault.Window:
		return "Microsoft rejected the time window of a request" + suffix + "; this usually means the computer's clock is wrong.",
			"Set the computer's clock to synchronise automatically.", ActionRetryNow
	case fault.ContentExpired:
		return "Some audit content expired before it could be fetched" + suffix + ".",
			"Microsoft keeps content for 7 days; keep AuditLight running so it never falls that far behind.", ActionNone
	case fault.ContentMissing:
		return "Microsoft no longer has some listed audit content" + suffix + ".",
			"Nothing to do; the gap is recorded.", ActionNone
	case fault.Config:
		msg := "The connection settings are wrong" + suffix + "."
		if fe, ok := fault.As(err); ok && fe.Message != "" {
			msg = "The connection settings are wrong" + suffix + ": " + fe.Message
		}
		return msg, "Run the setup again and check the tenant, client ID and cloud.", ActionSetup
	case fault.SecretUnavailable:
		return "AuditLight cannot read the secret from the keychain, so nothing is collected; it keeps retrying.",
			"Unlock the keychain (log in to the desktop session so the keychain service runs); collection starts by itself once the secret can be read.", ActionNone
	case fault.DiskFull:
		msg := "Disk full; nothing new can be stored."
		if fe, ok := fault.As(err); ok && fe.Message != "" {
			msg = "Disk full: " + fe.Message + "; nothing new can be stored."
		}
		return msg, "Free space on that disk; collection resumes by itself (Microsoft keeps audit content for 7 days).", ActionNone
	case fault.Canceled:
		return "Stopped.", "", ActionNone
	}
	if err == nil {
		return "", "", ActionNone
	}
	return "Unexpected error: " + err.Error(), "Run Test connection; if it persists, export diagnostics.", ActionTestConnection
}
