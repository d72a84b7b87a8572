package auth

import (
	"strings"
	"testing"
)

func TestNormalizeTenant(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{"  6F2B4C1E-93A7-4D2B-8C55-1E0F7A9B3D21\n", testTenantID, ""},
		{`"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21"`, testTenantID, ""},
		{"{6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21}", testTenantID, ""},
		{"\u200bContoso.OnMicrosoft.com ", testDomain, ""},
		{"contoso.com", "contoso.com", ""},
		{"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d2", "", "that is 35 characters; a GUID has 36"},
		{"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d211", "", "that is 37 characters"},
		{"6f2b4c1e93a7-4d2b-8c55-1e0f-7a9b3d21", "", "dashes are in the wrong places"},
		{"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3dzz", "", `contains 'z'`},
		{"", "", "Directory (tenant) ID"},
		{"https://login.microsoftonline.com/contoso.onmicrosoft.com", "", "not a web address"},
		{"admin@contoso.onmicrosoft.com", "", "email address"},
		{"common", "", "not a tenant"},
		{"contoso", "", "GUID"},
		{"contoso..com", "", "empty part"},
		{"con_toso.com", "", `contains '_'`},
		{"contoso.c0m", "", "top-level domain"},
	}
	for _, tt := range tests {
		got, err := NormalizeTenant(tt.in)
		if tt.wantErr == "" {
			if err != nil || got != tt.want {
				t.Errorf("NormalizeTenant(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("NormalizeTenant(%q) error = %v; want it to say %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestNormalizeClientID(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{" 0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D ", testClientID, ""},
		{"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4", "", "that is 35 characters"},
		{"contoso.onmicrosoft.com", "", "looks like a domain"},
		{"my app", "", "must be a GUID"},
		{"", "", "Application (client) ID"},
	}
	for _, tt := range tests {
		got, err := NormalizeClientID(tt.in)
		if tt.wantErr == "" {
			if err != nil || got != tt.want {
				t.Errorf("NormalizeClientID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("NormalizeClientID(%q) error = %v; want it to say %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestNormalizeSecretAndSecretID(t *testing.T) {
	tests := []struct {
		in, want    string
		wantErr     bool
		looksLikeID bool
	}{
		{"  Abc8Q~x.y_z-1 \n", "Abc8Q~x.y_z-1", false, false},
		{"'Abc8Q~x'", "Abc8Q~x", false, false},
		{"   ", "", true, false},
		{"Abc8Q~x\nsecond line", "", true, false},
		{"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", false, true},
	}
	for _, tt := range tests {
		got, err := NormalizeSecret(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("NormalizeSecret(%q) = %q, %v; want %q, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if LooksLikeSecretID(tt.in) != tt.looksLikeID {
			t.Errorf("LooksLikeSecretID(%q) = %v, want %v", tt.in, !tt.looksLikeID, tt.looksLikeID)
		}
	}
}
