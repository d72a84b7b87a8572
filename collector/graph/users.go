package graph

import (
	"context"

	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
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
	page, err := users.NewUsersRequestBuilderInternal(c.pathParameters(), c.adapter).Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{
			Select: []string{"id", "userPrincipalName", "displayName", "mail"},
			Top:    &top,
		},
	})
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	it, err := msgraphcore.NewPageIterator[models.Userable](page, c.adapter, models.CreateUserCollectionResponseFromDiscriminatorValue)
	if err != nil {
		return nil, classify(op, err, fault.Config)
	}
	var out []User
	err = it.Iterate(ctx, func(u models.Userable) bool {
		if u == nil {
			return true
		}
		out = append(out, User{ID: deref(u.GetId()), UPN: deref(u.GetUserPrincipalName()),
			DisplayName: deref(u.GetDisplayName()), Mail: deref(u.GetMail())})
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
