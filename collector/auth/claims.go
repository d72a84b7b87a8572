package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Claims are the access-token claims AuditLight looks at for diagnostics.
type Claims struct {
	TenantID string    // tid
	AppID    string    // appid (v1 tokens) or azp (v2 tokens)
	Audience string    // aud
	Issuer   string    // iss
	Roles    []string  // roles: the application permissions granted for the token's resource
	Expiry   time.Time // exp
}

// HasRole reports whether the token carries the application permission name
// (compared case-insensitively, as Entra ID treats role values).
func (c Claims) HasRole(name string) bool {
	for _, r := range c.Roles {
		if strings.EqualFold(r, name) {
			return true
		}
	}
	return false
}

// rawClaims is the JSON payload; roles and aud tolerate a string or an array,
// exp a number or a numeric string.
type rawClaims struct {
	Tid   string          `json:"tid"`
	AppID string          `json:"appid"`
	Azp   string          `json:"azp"`
	Aud   json.RawMessage `json:"aud"`
	Iss   string          `json:"iss"`
	Roles json.RawMessage `json:"roles"`
	Exp   json.RawMessage `json:"exp"`
}

// ParseClaims decodes the payload of a JWT access token. The signature is not
// checked: the claims are only used to explain problems, never to authorise.
func ParseClaims(jwt string) (Claims, error) {
	parts := strings.Split(strings.TrimSpace(jwt), ".")
	if len(parts) != 3 {
		return Claims{}, fmt.Errorf("access token is not a JWT: %d parts, want 3", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, fmt.Errorf("decoding access token payload: %w", err)
	}
	var raw rawClaims
	if err := json.Unmarshal(payload, &raw); err != nil {
		return Claims{}, fmt.Errorf("parsing access token claims: %w", err)
	}
	c := Claims{TenantID: raw.Tid, AppID: raw.AppID, Issuer: raw.Iss}
	if c.AppID == "" {
		c.AppID = raw.Azp
	}
	if c.Audience, err = stringOrFirst(raw.Aud); err != nil {
		return Claims{}, fmt.Errorf("parsing aud claim: %w", err)
	}
	if c.Roles, err = stringList(raw.Roles); err != nil {
		return Claims{}, fmt.Errorf("parsing roles claim: %w", err)
	}
	if c.Expiry, err = unixTime(raw.Exp); err != nil {
		return Claims{}, fmt.Errorf("parsing exp claim: %w", err)
	}
	return c, nil
}

func isNull(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

func stringOrFirst(b json.RawMessage) (string, error) {
	l, err := stringList(b)
	if err != nil || len(l) == 0 {
		return "", err
	}
	return l[0], nil
}

func stringList(b json.RawMessage) ([]string, error) {
	if isNull(b) {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return nil, err
	}
	return many, nil
}

func unixTime(b json.RawMessage) (time.Time, error) {
	if isNull(b) {
		return time.Time{}, nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		var s string
		if err2 := json.Unmarshal(b, &s); err2 != nil {
			return time.Time{}, err
		}
		n = json.Number(s)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return time.Time{}, errors.New("not a Unix time")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}
