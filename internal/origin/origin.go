// Package origin compares URL origins, the check that keeps an access token
// to the hosts a profile configured (the Management API, Graph).
package origin

import (
	"net/url"
	"strings"
)

// Same reports whether u has origin's scheme, host and port, a missing
// port standing for the scheme's default (443 for https, 80 otherwise).
// Scheme and host compare without regard to case. A nil u is never the same.
func Same(u, origin *url.URL) bool {
	if u == nil || origin == nil {
		return false
	}
	return strings.EqualFold(u.Scheme, origin.Scheme) &&
		strings.EqualFold(u.Hostname(), origin.Hostname()) &&
		port(u) == port(origin)
}

// port is u's port, or its scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
