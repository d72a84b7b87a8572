// Package accesstoken issues and verifies the simulator's app-only access tokens:
// ES256 JWTs carrying the claims Entra ID puts in a client-credentials token.
package accesstoken

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// Claims are the claims of an app-only access token.
type Claims struct {
	Aud    string   `json:"aud"`
	Iss    string   `json:"iss"`
	Iat    int64    `json:"iat"`
	Nbf    int64    `json:"nbf"`
	Exp    int64    `json:"exp"`
	AppID  string   `json:"appid"`
	Azp    string   `json:"azp"`
	AppIDR string   `json:"appidacr"`
	Idtyp  string   `json:"idtyp"`
	Oid    string   `json:"oid"`
	Sub    string   `json:"sub"`
	Roles  []string `json:"roles,omitempty"`
	Tid    string   `json:"tid"`
	Uti    string   `json:"uti"`
	Ver    string   `json:"ver"`
}

// Signer issues and verifies ES256 JWTs with the simulator's key. Entra
// signs with RS256, but a client never checks an access token's signature
// (only the resource does), and a P-256 key is made in microseconds where a
// 2048-bit RSA key took 15–200 ms of every demo's launch (issue 12).
type Signer struct {
	key *ecdsa.PrivateKey
	kid string

	// verified remembers tokens whose signature checked out: a client sends
	// the same token with every request for an hour, and an ES256
	// verification costs ~70 µs, each blob GET of a backfill (issue 12).
	// Times and audience are still checked on every request.
	mu       sync.Mutex
	verified map[string]bool
}

// maxVerified bounds signer.verified; it starts over when full.
const maxVerified = 256

// Alg is the JWS algorithm of the simulator's tokens.
const Alg = "ES256"

// es256Size is the length of one half (r or s) of an ES256 signature.
const es256Size = 32

// NewSigner makes a signer with a fresh P-256 key (crypto/rand).
func NewSigner() (*Signer, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating token signing key: %w", err)
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encoding token signing key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return &Signer{key: k, kid: base64.RawURLEncoding.EncodeToString(sum[:15]), verified: map[string]bool{}}, nil
}

// Sign issues a JWT carrying c, signed with the signer's key.
func (s *Signer) Sign(c Claims) (string, error) {
	hdr, err := json.Marshal(map[string]string{"typ": "JWT", "alg": Alg, "kid": s.kid, "x5t": s.kid})
	if err != nil {
		return "", fmt.Errorf("encoding token header: %w", err)
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encoding token claims: %w", err)
	}
	input := base64.RawURLEncoding.EncodeToString(hdr) + "." + base64.RawURLEncoding.EncodeToString(body)
	sum := sha256.Sum256([]byte(input))
	r, ss, err := ecdsa.Sign(rand.Reader, s.key, sum[:])
	if err != nil {
		return "", fmt.Errorf("signing token: %w", err)
	}
	// JWS (RFC 7518 §3.4): r and s, each left-padded to 32 bytes.
	sig := make([]byte, 2*es256Size)
	r.FillBytes(sig[:es256Size])
	ss.FillBytes(sig[es256Size:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// Token verification failures.
var (
	ErrMalformed = errors.New("token is malformed")
	ErrSignature = errors.New("token signature is invalid")
	ErrExpired   = errors.New("token has expired or is not yet valid")
	ErrAudience  = errors.New("token audience is invalid")
)

// Verify checks signature, time validity against now and the audience.
func (s *Signer) Verify(tok string, now time.Time, aud string) (Claims, error) {
	var c Claims
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return c, ErrMalformed
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return c, ErrMalformed
	}
	if !s.signed(tok, parts, sig) {
		return c, ErrSignature
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return c, ErrMalformed
	}
	if err := json.Unmarshal(body, &c); err != nil {
		return c, ErrMalformed
	}
	if n := now.Unix(); n >= c.Exp || n < c.Nbf {
		return c, ErrExpired
	}
	if c.Aud != aud {
		return c, ErrAudience
	}
	return c, nil
}

// signed reports whether sig is this signer's signature of the token's
// header and claims (parts), remembering tokens that were.
func (s *Signer) signed(tok string, parts []string, sig []byte) bool {
	s.mu.Lock()
	ok := s.verified[tok]
	s.mu.Unlock()
	if ok {
		return true
	}
	if len(sig) != 2*es256Size {
		return false
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, ss := new(big.Int).SetBytes(sig[:es256Size]), new(big.Int).SetBytes(sig[es256Size:])
	if !ecdsa.Verify(&s.key.PublicKey, sum[:], r, ss) {
		return false
	}
	s.mu.Lock()
	if len(s.verified) >= maxVerified {
		clear(s.verified)
	}
	s.verified[tok] = true
	s.mu.Unlock()
	return true
}

// Bearer extracts the token from an Authorization header.
func Bearer(h string) (string, bool) {
	const p = "bearer "
	if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
		return strings.TrimSpace(h[len(p):]), true
	}
	return "", false
}
