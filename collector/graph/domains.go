package graph

import (
	"context"
	"strings"

	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/domains"

	"github.com/auditlight/auditlight/collector/fault"
)

// Domains lists the tenant's verified domain names, lower-cased (GET
// /domains): what "inside the organisation" means for the detection rules.
// It needs Domain.Read.All (or Directory.Read.All); without it the error is a
// fault.PermissionMissing and callers fall back to the UPN domains they see.
func (c *Client) Domains(ctx context.Context) ([]string, error) {
	const op = "listing domains"
	req, err := domains.NewDomainsRequestBuilderInternal(c.pathParameters(), c.adapter).ToGetRequestInformation(ctx, nil)
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	pages := collectionOf[*domainShape](newDomainShape)
	page, err := c.adapter.Send(ctx, req, pages, errorMapping())
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	it, err := msgraphcore.NewPageIterator[*domainShape](page, c.adapter, pages)
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	var out []string
	err = it.Iterate(ctx, func(d *domainShape) bool {
		if d == nil {
			return true
		}
		if v := d.isVerified; v != nil && !*v {
			return true // an unverified domain is not (yet) the tenant's
		}
		if name := strings.ToLower(deref(d.id)); name != "" {
			out = append(out, name)
		}
		return true
	})
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	c.log.Debug("listed domains", "count", len(out))
	return out, nil
}
