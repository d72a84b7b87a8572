package graph

import (
	"context"

	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/auditlight/auditlight/collector/fault"
)

// User is a directory user, for showing display names in the event feed.
type User struct {
	ID          string
	UPN         string
	DisplayName string
	Mail        string
}

// Users lists every user (999 per page, following @odata.nextLink). It needs
// the User.Read.All application permission.
func (c *Client) Users(ctx context.Context) ([]User, error) {
	const op = "listing users"
	top := int32(999)
	req, err := users.NewUsersRequestBuilderInternal(c.pathParameters(), c.adapter).ToGetRequestInformation(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{
			Select: []string{"id", "userPrincipalName", "displayName", "mail"},
			Top:    &top,
		},
	})
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	pages := collectionOf[*userShape](newUserShape)
	page, err := c.adapter.Send(ctx, req, pages, errorMapping())
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	it, err := msgraphcore.NewPageIterator[*userShape](page, c.adapter, pages)
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	var out []User
	err = it.Iterate(ctx, func(u *userShape) bool {
		if u == nil {
			return true
		}
		out = append(out, User{ID: deref(u.id), UPN: deref(u.upn), DisplayName: deref(u.displayName), Mail: deref(u.mail)})
		return true
	})
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	c.log.Debug("listed users", "count", len(out))
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
