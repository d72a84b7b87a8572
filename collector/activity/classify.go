package activity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

var (
	afCodeRE = regexp.MustCompile(`^AF\d{3,5}$`)
	// An AF code inside free text (broken JSON bodies); not inside a GUID.
	afInTextRE = regexp.MustCompile(`(?:^|[\s"':,(\[{])(AF\d{3,5})\b`)
	// "Please retry again after 14m 56s" (the subscription start cool-down).
	// "Tenant <guid> does not exist." without the exception name (the
	// UAL-off text when the body was cut or reshaped).
	tenantMissingRE = regexp.MustCompile(`(?i)\btenant\s+\S+\s+does not exist`)
	retryTextRE     = regexp.MustCompile(`(?i)retry (?:again )?after\s+((?:\d+\s*[hms]\s*)+)`)
)

// errorBody is the API's error shape: {"error":{"code":"AF…","message":"…"}}.
type errorBody struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// afKind maps the documented (and the commonly seen undocumented) AF codes.
func afKind(code string) (fault.Kind, bool) {
	switch code {
	case "AF10001":
		return fault.PermissionMissing, true
	case "AF20010", "AF20013", "AF20020", "AF20001", "AF20002", "AF20003", "AF20021", "AF20024",
		"AF20052", "AF20053", "AF20054":
		return fault.Config, true
	case "AF20011":
		return fault.TenantNotFound, true
	case "AF20012":
		return fault.AuditOff, true
	case "AF20022":
		return fault.NoSubscription, true
	case "AF20023":
		return fault.SubscriptionDisabled, true
	case "AF20030", "AF20031", "AF20055":
		return fault.Window, true
	case "AF20050":
		return fault.ContentMissing, true
	case "AF20051":
		return fault.ContentExpired, true
	case "AF429":
		return fault.Throttled, true
	case "AF50000", "AF50005", "AF50006":
		return fault.Transient, true
	}
	return fault.Unknown, false
}

// ClassifyResponse classifies a non-2xx response of the Management Activity
// API. It tolerates broken JSON and the malformed "audit logging is off" body
// (a .NET exception split across code and message). Retry-After (seconds, or
// an HTTP date relative to the response's Date header) and the "retry again
// after 14m 56s" text of the subscription-start cool-down set RetryAfter.
func ClassifyResponse(status int, h http.Header, body []byte) *fault.Error {
	return classify(status, h, body, time.Now)
}

func classify(status int, h http.Header, body []byte, clock func() time.Time) *fault.Error {
	code, msg := parseErrorBody(body)
	text := code + msg
	if text == "" {
		text = string(body)
	}
	fe := &fault.Error{Status: status}

	// The AF code, from the code field or, for broken bodies, the text.
	af := ""
	if c := strings.TrimSpace(code); afCodeRE.MatchString(c) {
		af = c
	} else if m := afInTextRE.FindStringSubmatch(text); m != nil && !strings.Contains(text, "DataServiceException") {
		af = m[1]
	}
	if af != "" {
		fe.Code = af
		fe.Kind, _ = afKind(af)
	}
	fe.Message = cleanMessage(msg)
	if fe.Message == "" && code != "" && af == "" {
		fe.Message = cleanMessage(code)
	}

	switch {
	case fe.Kind != fault.Unknown:
	case strings.Contains(text, "DataServiceException") || (status != http.StatusNotFound && tenantMissingRE.MatchString(text)):
		// UAL off: "…DataServiceException: Tenant <guid> does not exist."
		fe.Kind = fault.AuditOff
		fe.Message = auditOffMessage(text)
	case status == http.StatusTooManyRequests:
		fe.Kind = fault.Throttled
	case status >= 500 || status == http.StatusRequestTimeout:
		fe.Kind = fault.Transient
	case status == http.StatusNotFound:
		fe.Kind = fault.ContentMissing
	case status == http.StatusUnauthorized:
		fe.Kind = fault.Config
		if fe.Message == "" {
			fe.Message = "the Management API rejected the access token"
		}
	case status == http.StatusForbidden:
		fe.Kind = fault.PermissionMissing
	case status >= 400:
		fe.Kind = fault.Config
	default:
		// 1xx/3xx: redirects are never followed, so the token stays on the
		// configured host; a redirect means a wrong endpoint.
		fe.Kind = fault.Config
		fe.Message = fmt.Sprintf("unexpected HTTP status %d (is the Management API URL right?)", status)
		if loc := h.Get("Location"); status >= 300 && status < 400 && loc != "" {
			fe.Code = "REDIRECT"
			fe.Message = fmt.Sprintf("the API redirected to %s; AuditLight never follows a redirect with the access token", cleanMessage(loc))
		}
	}
	if fe.Code == "" {
		fe.Code = "HTTP " + strconv.Itoa(status)
	}
	if fe.Kind == fault.Throttled {
		fe.RetryAfter = parseRetryAfter(h, clock)
		if fe.RetryAfter == 0 {
			fe.RetryAfter = retryFromText(text)
		}
	} else if fe.Kind == fault.Transient {
		fe.RetryAfter = parseRetryAfter(h, clock)
	}
	return fe
}

// parseErrorBody extracts code and message; for bodies that are not JSON it
// returns no code and the body text as message.
func parseErrorBody(body []byte) (code, msg string) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return "", ""
	}
	var eb errorBody
	if err := json.Unmarshal(b, &eb); err == nil {
		if eb.Error != nil {
			return eb.Error.Code, eb.Error.Message
		}
		if eb.Code != "" || eb.Message != "" {
			return eb.Code, eb.Message
		}
	}
	if len(b) > 2048 {
		b = b[:2048]
	}
	return "", string(b)
}

// cleanMessage keeps the first line, at most 300 characters.
func cleanMessage(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

// auditOffMessage explains the UAL-off failure and quotes "Tenant … does not
// exist." from the service's text.
func auditOffMessage(text string) string {
	const hint = "unified audit logging is not turned on for this tenant (or was turned on less than an hour ago)"
	rest := ""
	if i := strings.Index(text, "DataServiceException"); i >= 0 {
		rest = strings.TrimLeft(text[i+len("DataServiceException"):], ": ")
	} else if loc := tenantMissingRE.FindStringIndex(text); loc != nil {
		rest = text[loc[0]:]
	}
	if m := cleanMessage(rest); m != "" {
		return hint + ": " + m
	}
	return hint
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date; a date is
// measured against the response's own Date header when present so that clock
// skew does not distort it.
func parseRetryAfter(h http.Header, clock func() time.Time) time.Duration {
	if h == nil {
		return 0
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(n * float64(time.Second))
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	now := clock()
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		now = d
	}
	if t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// retryFromText parses "retry again after 14m 56s".
func retryFromText(text string) time.Duration {
	m := retryTextRE.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	d, err := time.ParseDuration(strings.ReplaceAll(m[1], " ", ""))
	if err != nil {
		return 0
	}
	return d
}
