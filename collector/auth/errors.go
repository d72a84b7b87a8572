package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/idlehttp"
)

var aadstsRE = regexp.MustCompile(`AADSTS(\d+)`)

// aadstsKind maps the Entra ID error numbers an admin meets during setup.
func aadstsKind(code int) (fault.Kind, bool) {
	switch code {
	case 7000215, 7000218:
		return fault.InvalidSecret, true
	case 7000222:
		return fault.ExpiredSecret, true
	case 700016, 700011, 7000112, 70001:
		return fault.AppNotFound, true
	case 90002, 900023, 90038:
		return fault.TenantNotFound, true
	case 500011, 70011, 700022:
		return fault.Config, true
	case 53003, 65001:
		return fault.PermissionMissing, true
	case 90055, 50196, 429:
		return fault.Throttled, true
	}
	return fault.Unknown, false
}

// tokenErrorBody is the OAuth error response of the Entra ID token and
// discovery endpoints.
type tokenErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Codes       []int  `json:"error_codes"`
}

// classifyTokenError turns an MSAL failure into a *fault.Error. The message is
// the first line of Entra ID's error_description (never the secret).
func classifyTokenError(op string, err error) *fault.Error {
	if err == nil {
		return nil
	}
	if fe, ok := fault.As(err); ok {
		return fe
	}
	if errors.Is(err, idlehttp.ErrStalled) || strings.Contains(err.Error(), idlehttp.ErrStalled.Error()) {
		// MSAL does not always wrap the transport's error: match its text too.
		return &fault.Error{Kind: fault.Transient, Op: op, Code: "STALLED",
			Message: "the sign-in service stopped answering (the connection stalled)", Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &fault.Error{Kind: fault.Canceled, Op: op, Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &fault.Error{Kind: fault.Transient, Op: op, Message: "the sign-in service did not answer in time", Err: err}
	}
	if fe := classifyTLS(op, err); fe != nil {
		return fe
	}

	var status int
	var header http.Header
	var body []byte
	var callErr msalerrors.CallErr
	if errors.As(err, &callErr) && callErr.Resp != nil {
		status = callErr.Resp.StatusCode
		header = callErr.Resp.Header
		if callErr.Resp.Body != nil {
			body, _ = io.ReadAll(callErr.Resp.Body)
			callErr.Resp.Body = io.NopCloser(bytes.NewReader(body))
		}
	}
	var parsed tokenErrorBody
	_ = json.Unmarshal(body, &parsed)

	code := 0
	if len(parsed.Codes) > 0 {
		code = parsed.Codes[0]
	} else if m := aadstsRE.FindStringSubmatch(parsed.Description); m != nil {
		code, _ = strconv.Atoi(m[1])
	} else if m := aadstsRE.FindStringSubmatch(err.Error()); m != nil {
		code, _ = strconv.Atoi(m[1])
	}
	msg := firstLine(parsed.Description)

	fe := &fault.Error{Op: op, Status: status, Message: msg, Err: err}
	if code != 0 {
		fe.Code = "AADSTS" + strconv.Itoa(code)
		if k, ok := aadstsKind(code); ok {
			fe.Kind = k
		}
	}
	if fe.Kind == fault.Throttled || status == http.StatusTooManyRequests {
		fe.Kind = fault.Throttled
		fe.RetryAfter = retryAfter(header)
	}
	if fe.Kind != fault.Unknown {
		return fe
	}
	switch {
	case status == http.StatusTooManyRequests:
		fe.Kind = fault.Throttled
	case status >= 500 || status == http.StatusRequestTimeout:
		fe.Kind = fault.Transient
		if fe.Code == "" {
			fe.Code = "HTTP " + strconv.Itoa(status)
		}
	case status >= 400:
		// An Entra ID error we do not know: the request itself is wrong.
		fe.Kind = fault.Config
		if fe.Code == "" {
			fe.Code = "HTTP " + strconv.Itoa(status)
		}
		if fe.Message == "" && parsed.Error != "" {
			fe.Message = parsed.Error
		}
	default:
		var ne net.Error
		var oe *net.OpError
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr):
			fe.Kind = fault.Transient
			fe.Message = fmt.Sprintf("cannot find the sign-in server %s (check the network or the cloud setting)", dnsErr.Name)
		case errors.As(err, &ne), errors.As(err, &oe), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			fe.Kind = fault.Transient
			fe.Message = "cannot reach the sign-in service"
		default:
			// MSAL's own validation (authority, issuer mismatch, bad
			// discovery document): the endpoints are wrong.
			fe.Kind = fault.Config
			fe.Message = firstLine(err.Error())
		}
	}
	return fe
}

// classifyTLS recognises certificate problems (see fault.ClassifyTLS).
func classifyTLS(op string, err error) *fault.Error {
	return fault.ClassifyTLS(op, "the server's", err)
}

// firstLine returns the first line of s, trimmed.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d, err2 := http.ParseTime(h.Get("Date")); err2 == nil && t.After(d) {
			return t.Sub(d)
		}
	}
	return 0
}
