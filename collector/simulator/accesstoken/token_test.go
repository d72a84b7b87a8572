package accesstoken

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestSignedTokensVerify: a token the simulator issued is accepted only
// unaltered, by the audience it names, while it is valid; its header names
// the algorithm its signature really uses.
// The audiences of the simulator's two resources.
const (
	audManagement = "https://manage.office.com"
	audGraph      = "https://graph.microsoft.com"
)

func TestSignedTokensVerify(t *testing.T) {
	s, err := NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	claims := Claims{Aud: audManagement, Nbf: now.Add(-time.Minute).Unix(), Exp: now.Add(time.Hour).Unix(),
		AppID: "app", Tid: "tenant", Roles: []string{"ActivityFeed.Read"}}
	tok, err := s.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := other.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	moreRoles := claims
	moreRoles.Roles = append(moreRoles.Roles, "ActivityFeed.ReadDlp")
	body, err := json.Marshal(moreRoles)
	if err != nil {
		t.Fatal(err)
	}
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(body) + "." + parts[2]
	tests := []struct {
		name string
		tok  string
		at   time.Time
		aud  string
		want error
	}{
		{"as issued", tok, now, audManagement, nil},
		{"claims altered after signing", tampered, now, audManagement, ErrSignature},
		{"signed by another key", foreign, now, audManagement, ErrSignature},
		{"signature cut short", tok[:len(tok)-4], now, audManagement, ErrSignature},
		{"expired", tok, now.Add(2 * time.Hour), audManagement, ErrExpired},
		{"another audience", tok, now, audGraph, ErrAudience},
		{"not a JWT", "abc", now, audManagement, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Verify(tc.tok, tc.at, tc.aud)
			if !errors.Is(err, tc.want) {
				t.Fatalf("verify: err %v, want %v", err, tc.want)
			}
			if err == nil && (got.Tid != claims.Tid || len(got.Roles) != 1) {
				t.Fatalf("verified claims %+v, want %+v", got, claims)
			}
		})
	}
	hdr, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Alg, Kid string }
	if err := json.Unmarshal(hdr, &h); err != nil {
		t.Fatal(err)
	}
	if h.Alg != "ES256" || h.Kid == "" {
		t.Fatalf("token header %s: want alg ES256 (a P-256 key, made in microseconds) and a kid", hdr)
	}
}
