package auth

import (
	"testing"
	"time"
)

func BenchmarkParseClaims(b *testing.B) {
	tok := makeJWT(map[string]any{"tid": testTenantID, "appid": testClientID, "aud": "https://manage.office.com",
		"iss": "https://sts.windows.net/x/", "roles": []string{"ActivityFeed.Read", "ActivityFeed.ReadDlp", "ServiceHealth.Read"},
		"exp": time.Date(2026, 9, 3, 9, 0, 0, 0, time.UTC).Unix()})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseClaims(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalizeTenant(b *testing.B) {
	inputs := []string{" 6F2B4C1E-93A7-4D2B-8C55-1E0F7A9B3D21\n", "\"Contoso.OnMicrosoft.com\"", "6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d2"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = NormalizeTenant(inputs[i%len(inputs)])
	}
}

// BenchmarkProvider is the per-request cost of the activity client's token
// callback once a token is cached (every blob GET of a backfill pays it).
func BenchmarkProvider(b *testing.B) {
	f := newFakeIdP(b)
	s, err := NewSource(Config{Endpoints: f.endpoints(), Tenant: testTenantID, ClientID: testClientID, Secret: testSecret, HTTPClient: f.srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	get := s.Provider(API)
	if _, err := get(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := get(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
