package simulator

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

// tokenClaims are the claims of an app-only access token.
type tokenClaims struct {
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

// signer issues and verifies ES256 JWTs with the simulator's key. Entra
// signs with RS256, but a client never checks an access token's signature
// (only the resource does), and a P-256 key is made in microseconds where a
// 2048-bit RSA key took 15–200 ms of every demo's launch (issue 12).
type signer struct {
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

// tokenAlg is the JWS algorithm of the simulator's tokens.
const tokenAlg = "ES256"

// es256Size is the length of one half (r or s) of an ES256 signature.
const es256Size = 32

func newSigner() (*signer, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating token signing key: %w", err)
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encoding token signing key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return &signer{key: k, kid: base64.RawURLEncoding.EncodeToString(sum[:15]), verified: map[string]bool{}}, nil
}

func (s *signer) sign(c tokenClaims) (string, error) {
	hdr, err := json.Marshal(map[string]string{"typ": "JWT", "alg": tokenAlg, "kid": s.kid, "x5t": s.kid})
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
	errTokenMalformed = errors.New("token is malformed")
	errTokenSignature = errors.New("token signature is invalid")
	errTokenExpired   = errors.New("token has expired or is not yet valid")
	errTokenAudience  = errors.New("token audience is invalid")
)

// verify checks signature, time validity against now and the audience.
func (s *signer) verify(tok string, now time.Time, aud string) (tokenClaims, error) {
	var c tokenClaims
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return c, errTokenMalformed
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return c, errTokenMalformed
	}
	if !s.signed(tok, parts, sig) {
		return c, errTokenSignature
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return c, errTokenMalformed
	}
	if err := json.Unmarshal(body, &c); err != nil {
		return c, errTokenMalformed
	}
	if n := now.Unix(); n >= c.Exp || n < c.Nbf {
		return c, errTokenExpired
	}
	if c.Aud != aud {
		return c, errTokenAudience
	}
	return c, nil
}

// signed reports whether sig is this signer's signature of the token's
// header and claims (parts), remembering tokens that were.
func (s *signer) signed(tok string, parts []string, sig []byte) bool {
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

// bearer extracts the token from an Authorization header.
func bearer(h string) (string, bool) {
	const p = "bearer "
	if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
		return strings.TrimSpace(h[len(p):]), true
	}
	return "", false
}
