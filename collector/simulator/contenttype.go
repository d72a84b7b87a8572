package simulator

import "github.com/auditlight/auditlight/collector/simulator/auditgen"

// Content type names of the Management Activity API.
const (
	ContentAzureAD    = auditgen.ContentAzureAD
	ContentExchange   = auditgen.ContentExchange
	ContentSharePoint = auditgen.ContentSharePoint
	ContentGeneral    = auditgen.ContentGeneral
	ContentDLP        = auditgen.ContentDLP
)
