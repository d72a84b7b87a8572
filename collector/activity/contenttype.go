// Package activity is a client for the Office 365 Management Activity API:
// subscriptions, content listing with paging, and blob downloads. Every call
// carries PublisherIdentifier, goes through one shared rate limiter, retries
// throttling and transient failures with backoff, and only ever sends the
// bearer token to the configured API host.
package activity

// ContentType is one of the Management Activity API's audit feeds.
type ContentType string

// The five content types.
const (
	AuditAzureActiveDirectory ContentType = "Audit.AzureActiveDirectory"
	AuditExchange             ContentType = "Audit.Exchange"
	AuditSharePoint           ContentType = "Audit.SharePoint"
	AuditGeneral              ContentType = "Audit.General"
	DLPAll                    ContentType = "DLP.All"
)

// AllContentTypes returns every content type, in display order.
func AllContentTypes() []ContentType {
	return []ContentType{AuditAzureActiveDirectory, AuditExchange, AuditSharePoint, AuditGeneral, DLPAll}
}

// Valid reports whether ct is one of the five content types.
func (ct ContentType) Valid() bool {
	for _, c := range AllContentTypes() {
		if c == ct {
			return true
		}
	}
	return false
}

// String returns the API's name of the content type.
func (ct ContentType) String() string { return string(ct) }

// DisplayName returns the name an admin recognises.
func (ct ContentType) DisplayName() string {
	switch ct {
	case AuditAzureActiveDirectory:
		return "Entra ID"
	case AuditExchange:
		return "Exchange"
	case AuditSharePoint:
		return "SharePoint / OneDrive"
	case AuditGeneral:
		return "General (Teams, Defender, alerts…)"
	case DLPAll:
		return "DLP"
	}
	return string(ct)
}
