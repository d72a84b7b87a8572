package auth

import (
	"testing"
	"time"
)

func TestParseClaims(t *testing.T) {
	exp := time.Date(2026, 9, 3, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		token   string
		want    Claims
		wantErr bool
		hasRole string
		noRole  string
	}{
		{
			name:    "v1 management token",
			token:   makeJWT(map[string]any{"tid": testTenantID, "appid": testClientID, "aud": "https://manage.office.com", "iss": "https://sts.windows.net/x/", "roles": []string{"ActivityFeed.Read", "ActivityFeed.ReadDlp"}, "exp": exp.Unix()}),
			want:    Claims{TenantID: testTenantID, AppID: testClientID, Audience: "https://manage.office.com", Issuer: "https://sts.windows.net/x/", Expiry: exp},
			hasRole: "activityfeed.read", noRole: "User.Read.All",
		},
		{
			name:   "v2 token with azp, audience list, no roles",
			token:  makeJWT(map[string]any{"tid": testTenantID, "azp": testClientID, "aud": []string{"00000003-0000-0000-c000-000000000000"}, "exp": float64(exp.Unix())}),
			want:   Claims{TenantID: testTenantID, AppID: testClientID, Audience: "00000003-0000-0000-c000-000000000000", Expiry: exp},
			noRole: "ActivityFeed.Read",
		},
		{name: "not a jwt", token: "opaque-token", wantErr: true},
		{name: "bad base64", token: "a.!!!.c", wantErr: true},
		{name: "bad exp", token: makeJWT(map[string]any{"exp": "soon"}), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClaims(tt.token)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseClaims succeeded: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.TenantID != tt.want.TenantID || got.AppID != tt.want.AppID || got.Audience != tt.want.Audience ||
				got.Issuer != tt.want.Issuer || !got.Expiry.Equal(tt.want.Expiry) {
				t.Errorf("claims = %+v, want %+v", got, tt.want)
			}
			if tt.hasRole != "" && !got.HasRole(tt.hasRole) {
				t.Errorf("HasRole(%q) = false for roles %v", tt.hasRole, got.Roles)
			}
			if tt.noRole != "" && got.HasRole(tt.noRole) {
				t.Errorf("HasRole(%q) = true for roles %v", tt.noRole, got.Roles)
			}
		})
	}
}
