package graph

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/microsoft/kiota-abstractions-go/authentication"

	"github.com/auditlight/auditlight/collector/fault"
)

// tokenProvider is a kiota AccessTokenProvider that hands out the Graph token
// only for the configured origin (scheme, host and port) and refuses every
// other URL, so an @odata.nextLink pointing elsewhere fails instead of
// leaking the token or silently going out unauthenticated.
type tokenProvider struct {
	origin *url.URL
	hosts  *authentication.AllowedHostsValidator
	token  func(ctx context.Context) (string, error)
}

func newTokenProvider(base *url.URL, token func(ctx context.Context) (string, error)) (*tokenProvider, error) {
	hosts, err := authentication.NewAllowedHostsValidatorErrorCheck([]string{base.Hostname()})
	if err != nil {
		return nil, err
	}
	return &tokenProvider{origin: &url.URL{Scheme: base.Scheme, Host: base.Host}, hosts: hosts, token: token}, nil
}

// GetAuthorizationToken implements authentication.AccessTokenProvider.
func (p *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]interface{}) (string, error) {
	if !p.hosts.IsUrlHostValid(u) || !sameOrigin(u, p.origin) {
		where := "an empty URL"
		if u != nil {
			where = u.Scheme + "://" + u.Host
		}
		return "", &fault.Error{Kind: fault.Config, Op: "authenticating a Graph request", Code: "FOREIGN_HOST",
			Message: fmt.Sprintf("refusing to send the Graph token to %s, which is not the Graph host %s", where, p.origin.Host)}
	}
	return p.token(ctx)
}

// GetAllowedHostsValidator implements authentication.AccessTokenProvider.
func (p *tokenProvider) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return p.hosts
}

// sameOrigin compares scheme, host and port (with the scheme's default port).
func sameOrigin(u, origin *url.URL) bool {
	if u == nil || !strings.EqualFold(u.Scheme, origin.Scheme) || !strings.EqualFold(u.Hostname(), origin.Hostname()) {
		return false
	}
	port := func(x *url.URL) string {
		if p := x.Port(); p != "" {
			return p
		}
		if strings.EqualFold(x.Scheme, "https") {
			return "443"
		}
		return "80"
	}
	return port(u) == port(origin)
}
