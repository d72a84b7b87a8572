package graph

import (
	"context"
	"fmt"
	"net/url"

	"github.com/microsoft/kiota-abstractions-go/authentication"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/origin"
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
	if !p.hosts.IsUrlHostValid(u) || !origin.Same(u, p.origin) {
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
