package auditgen

// Content type names of the Management Activity API.
const (
	ContentAzureAD    = "Audit.AzureActiveDirectory"
	ContentExchange   = "Audit.Exchange"
	ContentSharePoint = "Audit.SharePoint"
	ContentGeneral    = "Audit.General"
	ContentDLP        = "DLP.All"
)

// NumContentTypes is how many content types the feed has (indices 0..4 in
// ContentTypeNames order).
const NumContentTypes = 5

// ctInfo is the static description of one content type.
type ctInfo struct {
	name   string  // "Audit.Exchange"
	idPart string  // "audit_exchange" (inside contentId)
	idName string  // "Audit_Exchange" (inside contentId)
	share  float64 // share of all generated records
	region string  // opaque suffix of contentId
}

// ContentTypeNames returns the five real content types in documentation order.
func ContentTypeNames() []string {
	return []string{ContentAzureAD, ContentExchange, ContentSharePoint, ContentGeneral, ContentDLP}
}

func contentTypeTable() [NumContentTypes]ctInfo {
	return [NumContentTypes]ctInfo{
		{ContentAzureAD, "audit_azureactivedirectory", "Audit_AzureActiveDirectory", 0.30, "emea0027"},
		{ContentExchange, "audit_exchange", "Audit_Exchange", 0.27, "emea0027"},
		{ContentSharePoint, "audit_sharepoint", "Audit_SharePoint", 0.28, "emea0031"},
		{ContentGeneral, "audit_general", "Audit_General", 0.12, "emea0019"},
		{ContentDLP, "dlp_all", "DLP_All", 0.03, "emea0019"},
	}
}

// CTIndex returns the index of a content type name, or -1 (exact, case-sensitive match).
func CTIndex(name string) int {
	for i, n := range ContentTypeNames() {
		if n == name {
			return i
		}
	}
	return -1
}
