package graph

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/idlehttp"
)

// classify turns an SDK failure into a *fault.Error. notFound is the kind a
// 404 means for this operation.
func classify(op string, err error, notFound fault.Kind) *fault.Error {
	if fe, ok := fault.As(err); ok {
		if fe.Op == "" {
			fe.Op = op
		}
		return fe
	}
	if errors.Is(err, idlehttp.ErrStalled) {
		return &fault.Error{Kind: fault.Transient, Op: op, Code: "STALLED",
			Message: "Microsoft Graph stopped answering (the connection stalled)", Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &fault.Error{Kind: fault.Canceled, Op: op, Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &fault.Error{Kind: fault.Transient, Op: op, Message: "Microsoft Graph did not answer in time", Err: err}
	}
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	if errors.As(err, &ua) || strings.Contains(err.Error(), "certificate signed by unknown authority") {
		return &fault.Error{Kind: fault.Config, Op: op, Code: "TLS", Err: err,
			Message: "Microsoft Graph's certificate is not trusted by this computer (a proxy inspecting HTTPS, or the wrong endpoint)"}
	}
	if errors.As(err, &he) {
		return &fault.Error{Kind: fault.Config, Op: op, Code: "TLS", Err: err,
			Message: "Microsoft Graph's certificate is for a different host name (check the cloud setting)"}
	}

	status, code, msg := 0, "", ""
	var header *abstractions.ResponseHeaders
	var odata *odataerrors.ODataError
	var apiErr *abstractions.ApiError
	switch {
	case errors.As(err, &odata):
		status = odata.ResponseStatusCode
		header = odata.GetResponseHeaders()
		if main := odata.GetErrorEscaped(); main != nil {
			if c := main.GetCode(); c != nil {
				code = *c
			}
			if m := main.GetMessage(); m != nil {
				msg = *m
			}
		}
	case errors.As(err, &apiErr):
		status = apiErr.ResponseStatusCode
		header = apiErr.GetResponseHeaders()
		msg = apiErr.Message
	default:
		var ne net.Error
		if errors.As(err, &ne) {
			return &fault.Error{Kind: fault.Transient, Op: op, Code: "NETWORK", Message: "cannot reach Microsoft Graph", Err: err}
		}
		return &fault.Error{Kind: fault.Unknown, Op: op, Message: firstLine(err.Error()), Err: err}
	}

	fe := &fault.Error{Op: op, Status: status, Code: code, Message: firstLine(msg), Err: err}
	if fe.Code == "" {
		fe.Code = "HTTP " + strconv.Itoa(status)
	}
	switch {
	case status == http.StatusForbidden || code == "Authorization_RequestDenied":
		fe.Kind = fault.PermissionMissing
	case status == http.StatusUnauthorized:
		fe.Kind = fault.Config
		if fe.Message == "" {
			fe.Message = "Microsoft Graph rejected the access token (check the cloud setting)"
		}
	case status == http.StatusTooManyRequests:
		fe.Kind = fault.Throttled
		fe.RetryAfter = retryAfter(header)
	case status >= 500 || status == http.StatusRequestTimeout:
		fe.Kind = fault.Transient
		fe.RetryAfter = retryAfter(header)
	case status == http.StatusNotFound:
		fe.Kind = notFound
	default:
		fe.Kind = fault.Config
	}
	return fe
}

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h *abstractions.ResponseHeaders) time.Duration {
	if h == nil {
		return 0
	}
	for _, v := range h.Get("Retry-After") {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}

// firstLine returns the first line of s, trimmed.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}
