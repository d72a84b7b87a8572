package fault

import (
	"crypto/x509"
	"errors"
	"strings"
)

// ClassifyTLS recognises certificate problems and returns them as Config
// errors (a wrong endpoint, a proxy inspecting HTTPS, a wrong clock), which
// are never retried; it returns nil for any other error. whose names the
// certificate's owner in the message, e.g. "the Management API's".
func ClassifyTLS(op, whose string, err error) *Error {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua), err != nil && strings.Contains(err.Error(), "certificate signed by unknown authority"):
		return &Error{Kind: Config, Op: op, Code: "TLS",
			Message: whose + " certificate is not trusted by this computer (a proxy inspecting HTTPS, or the wrong endpoint)", Err: err}
	case errors.As(err, &he):
		return &Error{Kind: Config, Op: op, Code: "TLS",
			Message: whose + " certificate is for a different host name (check the endpoint settings)", Err: err}
	case errors.As(err, &ci):
		return &Error{Kind: Config, Op: op, Code: "TLS",
			Message: whose + " certificate is invalid or expired (check the computer's clock)", Err: err}
	}
	return nil
}
