package auth

import (
	"strings"
	"testing"
)

func TestParseCloud(t *testing.T) {
	tests := []struct {
		in      string
		want    Cloud
		wantErr bool
	}{
		{"", Commercial, false},
		{"Commercial", Commercial, false},
		{"worldwide", Commercial, false},
		{"GCC", GCC, false},
		{"GCC High", GCCHigh, false},
		{"gcc-high", GCCHigh, false},
		{"DoD", DoD, false},
		{"custom", Custom, false},
		{"china", "", true},
	}
	for _, tt := range tests {
		got, err := ParseCloud(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseCloud(%q) = %q, %v; want %q, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestEndpointsFor(t *testing.T) {
	tests := []struct {
		cloud                  Cloud
		login, api, graphScope string
	}{
		{Commercial, "https://login.microsoftonline.com", "https://manage.office.com", "https://graph.microsoft.com/.default"},
		{GCC, "https://login.microsoftonline.com", "https://manage-gcc.office.com", "https://graph.microsoft.com/.default"},
		{GCCHigh, "https://login.microsoftonline.us", "https://manage.office365.us", "https://graph.microsoft.us/.default"},
		{DoD, "https://login.microsoftonline.us", "https://manage.protection.apps.mil", "https://dod-graph.microsoft.us/.default"},
	}
	for _, tt := range tests {
		t.Run(string(tt.cloud), func(t *testing.T) {
			ep, err := EndpointsFor(tt.cloud)
			if err != nil {
				t.Fatal(err)
			}
			if ep.LoginURL != tt.login || ep.APIURL != tt.api || ep.GraphScope != tt.graphScope {
				t.Errorf("endpoints = %+v", ep)
			}
			if ep.APIScope != ep.APIURL+"/.default" {
				t.Errorf("API scope %q does not match the API host %q", ep.APIScope, ep.APIURL)
			}
			if !strings.HasSuffix(ep.GraphURL, "/v1.0") {
				t.Errorf("Graph URL %q lacks the version segment", ep.GraphURL)
			}
			if err := ep.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	if _, err := EndpointsFor(Custom); err == nil {
		t.Error("EndpointsFor(Custom) succeeded; custom endpoints must be explicit")
	}
}

func TestEndpointsValidate(t *testing.T) {
	tests := []struct {
		name    string
		ep      Endpoints
		wantErr string
	}{
		{"custom with default scopes", Endpoints{LoginURL: "https://127.0.0.1:8443", APIURL: "https://127.0.0.1:8443", GraphURL: "https://127.0.0.1:8443/v1.0"}.WithDefaults(), ""},
		{"plain http", Endpoints{LoginURL: "http://127.0.0.1:8443", APIURL: "https://a.test"}.WithDefaults(), "https://"},
		{"no host", Endpoints{LoginURL: "https://", APIURL: "https://a.test"}.WithDefaults(), "no host"},
		{"missing api", Endpoints{LoginURL: "https://a.test"}.WithDefaults(), "Management API URL is empty"},
		{"query", Endpoints{LoginURL: "https://a.test", APIURL: "https://a.test?x=1"}.WithDefaults(), "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.ep.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if tt.ep.APIScope != DefaultAPIScope || tt.ep.GraphScope != DefaultGraphScope {
					t.Errorf("default scopes not applied: %+v", tt.ep)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate = %v, want an error mentioning %q", err, tt.wantErr)
			}
		})
	}
}
