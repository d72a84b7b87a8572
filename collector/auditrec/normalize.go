package auditrec

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ParseTime parses an audit timestamp. Values without a zone are UTC. The
// result is always in UTC; ok is false for empty or unparseable input.
func ParseTime(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	// Microsoft documents CreationTime without a zone or fraction (UTC
	// implied); other producers add Z, offsets or fractions.
	layouts := [...]string{
		"2006-01-02T15:04:05.999999999",
		time.RFC3339Nano,
		"2006-01-02 15:04:05.999999999",
		"2006-01-02 15:04:05.999999999Z07:00",
	}
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// NormalizeIP strips a port ("203.0.113.7:51544") and IPv6 brackets
// ("[2001:db8::1]:443") from a ClientIP and returns the canonical text form
// of the address (IPv4-mapped IPv6 is unmapped). Values that are not an IP
// address after stripping are returned trimmed but otherwise unchanged, so
// nothing the service sent is lost.
func NormalizeIP(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	host := s
	if strings.HasPrefix(host, "[") {
		if end := strings.IndexByte(host, ']'); end > 0 {
			host = host[1:end]
		}
	} else if i := strings.IndexByte(host, ':'); i >= 0 && strings.IndexByte(host[i+1:], ':') < 0 {
		host = host[:i] // exactly one colon: IPv4 (or name) with a port
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String()
	}
	return host
}

// NormalizeResult decides whether a record describes a success or a failure.
// Failure signals win: an Entra sign-in with ResultStatus "Success" but
// Operation UserLoginFailed, a non-zero ErrorNumber or a LogonError failed.
// It returns ResultSuccess, ResultFailure, or "" when the record says nothing.
func NormalizeResult(operation, resultStatus, errorNumber, logonError string) string {
	if strings.EqualFold(operation, "UserLoginFailed") {
		return ResultFailure
	}
	if en := strings.TrimSpace(errorNumber); en != "" {
		if n, err := strconv.ParseInt(en, 10, 64); err != nil || n != 0 {
			return ResultFailure
		}
	}
	if strings.TrimSpace(logonError) != "" {
		return ResultFailure
	}
	switch strings.ToLower(strings.TrimSpace(resultStatus)) {
	case "failed", "failure", "false":
		return ResultFailure
	case "succeeded", "success", "true", "partiallysucceeded":
		return ResultSuccess
	}
	return ""
}
