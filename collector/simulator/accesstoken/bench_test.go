package accesstoken

import (
	"testing"
	"time"
)

// BenchmarkVerifyToken is the simulator's check of the bearer token that
// comes with every request (the same token for an hour).
func BenchmarkVerifyToken(b *testing.B) {
	s, err := NewSigner()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	tok, err := s.Sign(Claims{Aud: audManagement, Nbf: now.Add(-time.Minute).Unix(), Exp: now.Add(time.Hour).Unix()})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Verify(tok, now, audManagement); err != nil {
			b.Fatal(err)
		}
	}
}
