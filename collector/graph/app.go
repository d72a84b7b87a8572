package graph

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/applicationswithappid"

	"github.com/auditlight/auditlight/collector/fault"
)

// SecretInfo describes one client secret of the app registration. Graph never
// returns the secret itself.
type SecretInfo struct {
	KeyID       string // the portal's "Secret ID"
	Hint        string // the first three characters of the secret value
	DisplayName string // the description typed when the secret was created
	Start       time.Time
	End         time.Time // expiry
}

// ResourceAccess is one permission the app registration requests.
type ResourceAccess struct {
	ResourceAppID string // e.g. c5393580-f805-4401-95e8-94b7a6ef2fc2 (Office 365 Management APIs)
	Type          string // "Role" (application permission) or "Scope" (delegated)
	ID            string // the permission's GUID
}

// AppInfo is what AuditLight reads of its own app registration.
type AppInfo struct {
	AppID          string
	DisplayName    string
	Secrets        []SecretInfo
	RequiredAccess []ResourceAccess
	FetchedAt      time.Time // local time of the read; SecretFor judges validity at this time
}

// App reads the app registration with the given Application (client) ID:
// display name, secrets (with expiry) and requested permissions. It needs the
// Application.Read.All application permission; without it the error is
// PermissionMissing.
func (c *Client) App(ctx context.Context, clientID string) (AppInfo, error) {
	const op = "reading the app registration"
	id := strings.TrimSpace(clientID)
	if id == "" {
		return AppInfo{}, &fault.Error{Kind: fault.Config, Op: op, Message: "no Application (client) ID"}
	}
	req, err := applicationswithappid.NewApplicationsWithAppIdRequestBuilderInternal(c.pathParameters(), c.adapter, &id).ToGetRequestInformation(ctx, &applicationswithappid.ApplicationsWithAppIdRequestBuilderGetRequestConfiguration{
		QueryParameters: &applicationswithappid.ApplicationsWithAppIdRequestBuilderGetQueryParameters{
			Select: []string{"id", "appId", "displayName", "passwordCredentials", "requiredResourceAccess"},
		},
	})
	if err != nil {
		return AppInfo{}, classify(op, err, fault.AppNotFound)
	}
	res, err := c.adapter.Send(ctx, req, newAppShape, errorMapping())
	if err != nil {
		return AppInfo{}, classify(op, err, fault.AppNotFound)
	}
	app, _ := res.(*appShape)
	if app == nil {
		return AppInfo{}, &fault.Error{Kind: fault.Transient, Op: op, Message: "Microsoft Graph returned an empty response"}
	}
	info := AppInfo{AppID: deref(app.appID), DisplayName: deref(app.displayName), FetchedAt: c.clock()}
	if info.AppID == "" {
		info.AppID = id
	}
	for _, pc := range app.secrets {
		if pc == nil {
			continue
		}
		s := SecretInfo{KeyID: deref(pc.keyID), Hint: deref(pc.hint), DisplayName: deref(pc.displayName)}
		if t := pc.start; t != nil {
			s.Start = t.UTC()
		}
		if t := pc.end; t != nil {
			s.End = t.UTC()
		}
		info.Secrets = append(info.Secrets, s)
	}
	sort.SliceStable(info.Secrets, func(i, j int) bool { return info.Secrets[i].End.Before(info.Secrets[j].End) })
	for _, rra := range app.access {
		if rra == nil {
			continue
		}
		resApp := deref(rra.resourceAppID)
		for _, ra := range rra.access {
			if ra == nil {
				continue
			}
			a := ResourceAccess{ResourceAppID: resApp, Type: deref(ra.kind), ID: deref(ra.id)}
			info.RequiredAccess = append(info.RequiredAccess, a)
		}
	}
	c.log.Debug("read app registration", "secrets", len(info.Secrets), "permissions", len(info.RequiredAccess))
	return info, nil
}

// SecretFor finds the registration's entry for the configured secret value:
// the secret whose hint equals the value's first three characters. When
// several match, one valid at FetchedAt is preferred, then the latest expiry.
func (a AppInfo) SecretFor(secret string) (SecretInfo, bool) {
	secret = strings.TrimSpace(secret)
	r := []rune(secret)
	if len(r) < 3 {
		return SecretInfo{}, false
	}
	hint := string(r[:3])
	valid := func(s SecretInfo) bool {
		if a.FetchedAt.IsZero() {
			return true
		}
		return (s.Start.IsZero() || !a.FetchedAt.Before(s.Start)) && (s.End.IsZero() || a.FetchedAt.Before(s.End))
	}
	var best SecretInfo
	found, bestValid := false, false
	for _, s := range a.Secrets {
		if s.Hint != hint {
			continue
		}
		v := valid(s)
		switch {
		case !found, v && !bestValid, v == bestValid && s.End.After(best.End):
			best, found, bestValid = s, true, v
		}
	}
	return best, found
}
