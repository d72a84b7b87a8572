package simulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// signer issues and verifies RS256 JWTs with the simulator's key.
type signer struct {
	key *rsa.PrivateKey
	kid string
}

func newSigner() (*signer, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generating token signing key: %w", err)
	}
	sum := sha256.Sum256(k.PublicKey.N.Bytes())
	return &signer{key: k, kid: base64.RawURLEncoding.EncodeToString(sum[:15])}, nil
}

func (s *signer) sign(c tokenClaims) (string, error) {
	hdr, err := json.Marshal(map[string]string{"typ": "JWT", "alg": "RS256", "kid": s.kid, "x5t": s.kid})
	if err != nil {
		return "", fmt.Errorf("encoding token header: %w", err)
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encoding token claims: %w", err)
	}
	input := base64.RawURLEncoding.EncodeToString(hdr) + "." + base64.RawURLEncoding.EncodeToString(body)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("signing token: %w", err)
	}
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
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&s.key.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
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

// bearer extracts the token from an Authorization header.
func bearer(h string) (string, bool) {
	const p = "bearer "
	if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
		return strings.TrimSpace(h[len(p):]), true
	}
	return "", false
}
