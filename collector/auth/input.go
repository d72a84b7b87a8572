package auth

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in the 8-4-4-4-12 form.
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// cleanPasted removes what copy and paste tends to add around a value:
// whitespace (including zero-width and no-break spaces), a byte-order mark and
// matching quotes.
func cleanPasted(s string) string {
	trim := func(s string) string {
		return strings.TrimFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u00a0'
		})
	}
	s = trim(s)
	for _, q := range [][2]string{{`"`, `"`}, {`'`, `'`}, {"“", "”"}, {"‘", "’"}, {"`", "`"}, {"{", "}"}, {"<", ">"}} {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			s = trim(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// guidProblem explains why s (which is not a GUID) fails the GUID rule, or
// returns "" when s does not even look like an attempt at a GUID.
func guidProblem(s string) string {
	hexDash := true
	for _, r := range s {
		if r != '-' && !unicode.Is(unicode.ASCII_Hex_Digit, r) {
			hexDash = false
			break
		}
	}
	n := len([]rune(s))
	if !hexDash {
		if strings.Count(s, "-") == 4 && n == 36 {
			for _, r := range s {
				if r != '-' && !unicode.Is(unicode.ASCII_Hex_Digit, r) {
					return fmt.Sprintf("it contains %q; a GUID has only the digits 0-9, the letters a-f and dashes", r)
				}
			}
		}
		return ""
	}
	if n != 36 {
		return fmt.Sprintf("that is %d characters; a GUID has 36 (8-4-4-4-12 hex digits with dashes)", n)
	}
	return "the dashes are in the wrong places; a GUID is 8-4-4-4-12 hex digits"
}

// NormalizeTenant cleans a pasted tenant identifier and checks it is either a
// GUID (the Directory (tenant) ID, returned in lower case) or a domain such as
// contoso.onmicrosoft.com (returned in lower case). The error says what is
// wrong in words an admin understands.
func NormalizeTenant(s string) (string, error) {
	s = cleanPasted(s)
	if s == "" {
		return "", errors.New("enter the Directory (tenant) ID from the app's Overview page, or your domain such as contoso.onmicrosoft.com")
	}
	if IsGUID(s) {
		return strings.ToLower(s), nil
	}
	lower := strings.ToLower(s)
	if strings.Contains(lower, "://") || strings.Contains(lower, "/") {
		return "", errors.New("paste only the Directory (tenant) ID, not a web address")
	}
	if strings.Contains(lower, "@") {
		return "", errors.New("that looks like an email address; enter the Directory (tenant) ID or just the domain after the @")
	}
	if !strings.Contains(lower, ".") {
		if p := guidProblem(s); p != "" {
			return "", fmt.Errorf("the tenant ID is not valid: %s", p)
		}
		if lower == "common" || lower == "organizations" || lower == "consumers" {
			return "", fmt.Errorf("%q is not a tenant; enter your Directory (tenant) ID", s)
		}
		return "", errors.New("the tenant must be the Directory (tenant) ID (a GUID like 6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21) or a domain such as contoso.onmicrosoft.com")
	}
	if err := checkDomain(lower); err != nil {
		return "", err
	}
	return lower, nil
}

// checkDomain validates a DNS name of at least two labels.
func checkDomain(d string) error {
	if len(d) > 253 {
		return fmt.Errorf("that domain is %d characters; the limit is 253", len(d))
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%q is not a full domain such as contoso.onmicrosoft.com", d)
	}
	for _, l := range labels {
		if l == "" {
			return fmt.Errorf("%q has an empty part between dots", d)
		}
		if len(l) > 63 {
			return fmt.Errorf("%q has a part longer than 63 characters", d)
		}
		if strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return fmt.Errorf("%q has a part that starts or ends with a dash", d)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return fmt.Errorf("%q contains %q, which a domain cannot contain", d, r)
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") != "" {
		return fmt.Errorf("%q does not end in a real top-level domain such as .com", d)
	}
	return nil
}

// NormalizeClientID cleans a pasted Application (client) ID and checks it is a
// GUID; the result is lower case.
func NormalizeClientID(s string) (string, error) {
	s = cleanPasted(s)
	if s == "" {
		return "", errors.New("enter the Application (client) ID from the app's Overview page")
	}
	if IsGUID(s) {
		return strings.ToLower(s), nil
	}
	if p := guidProblem(s); p != "" {
		return "", fmt.Errorf("the Application (client) ID is not valid: %s", p)
	}
	if strings.Contains(s, ".") {
		return "", errors.New("that looks like a domain; the Application (client) ID is a GUID on the app's Overview page")
	}
	return "", errors.New("the Application (client) ID must be a GUID like 6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21, shown on the app's Overview page")
}

// MaxSecretLen bounds a client secret: Entra's are 40 characters; a 1 MiB
// paste is a mistake, not a secret.
const MaxSecretLen = 512

// NormalizeSecret trims what copy and paste adds around a client secret value,
// and rejects control characters and anything longer than MaxSecretLen.
// It does not reject a GUID (see LooksLikeSecretID), because only a warning is
// appropriate there.

func NormalizeSecret(s string) (string, error) {
	s = cleanPasted(s)
	if s == "" {
		return "", errors.New("enter the client secret Value (shown once, when the secret is created)")
	}
	if strings.ContainsAny(s, "\r\n\t") {
		return "", errors.New("the secret contains a line break or tab; copy the Value again without extra text")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", errors.New("the secret contains a control character; copy the Value again without extra text")
		}
	}
	if len(s) > MaxSecretLen {
		return "", fmt.Errorf("the secret is %d characters long; an Entra client secret Value is about 40 (at most %d accepted)", len(s), MaxSecretLen)
	}
	return s, nil
}

// LooksLikeSecretID reports whether the pasted secret is a GUID, which almost
// always means the Secret ID column was copied instead of the Value column.
func LooksLikeSecretID(secret string) bool { return IsGUID(cleanPasted(secret)) }

// SecretIDHint is the message to show when LooksLikeSecretID is true.
const SecretIDHint = "This looks like the Secret ID. Copy the Value column instead"
