// Package auth gets app-only access tokens for the Office 365 Management
// Activity API and Microsoft Graph with the client-credentials flow (one MSAL
// Go confidential client per tenant and app), knows the endpoints of each
// Microsoft cloud, validates what the admin types into the setup wizard,
// decodes token claims for diagnostics and turns Entra ID (AADSTS) failures
// into *fault.Error values.
package auth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Cloud names the Microsoft 365 environment a tenant lives in.
type Cloud string

// The supported clouds. Custom means the endpoints are given explicitly (a
// private deployment or the simulator).
const (
	Commercial Cloud = "commercial"
	GCC        Cloud = "gcc"
	GCCHigh    Cloud = "gcchigh"
	DoD        Cloud = "dod"
	Custom     Cloud = "custom"
)

// Default scopes, used for Custom endpoints when none are given.
const (
	DefaultAPIScope   = "https://manage.office.com/.default"
	DefaultGraphScope = "https://graph.microsoft.com/.default"
)

// Clouds returns the clouds in the order a picker shows them.
func Clouds() []Cloud { return []Cloud{Commercial, GCC, GCCHigh, DoD, Custom} }

// String returns the cloud's identifier.
func (c Cloud) String() string { return string(c) }

// DisplayName returns the name an admin recognises.
func (c Cloud) DisplayName() string {
	switch c {
	case Commercial:
		return "Commercial (worldwide)"
	case GCC:
		return "GCC"
	case GCCHigh:
		return "GCC High"
	case DoD:
		return "DoD"
	case Custom:
		return "Custom endpoints"
	}
	return string(c)
}

// ParseCloud accepts a cloud identifier, case-insensitively and with common
// spellings ("GCC High", "gcc-high", "worldwide", "enterprise"). The empty
// string means Commercial.
func ParseCloud(s string) (Cloud, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(" ", "", "-", "", "_", "").Replace(k)
	switch k {
	case "", "commercial", "worldwide", "global", "enterprise", "public":
		return Commercial, nil
	case "gcc", "gccmoderate":
		return GCC, nil
	case "gcchigh", "usgov", "usgovernment":
		return GCCHigh, nil
	case "dod", "usdod":
		return DoD, nil
	case "custom":
		return Custom, nil
	}
	return "", fmt.Errorf("unknown cloud %q: choose commercial, gcc, gcchigh, dod or custom", s)
}

// Endpoints are the roots and token scopes of one cloud. GraphURL includes the
// API version ("https://graph.microsoft.com/v1.0").
type Endpoints struct {
	LoginURL   string // Entra ID authority host, e.g. https://login.microsoftonline.com
	APIURL     string // Management Activity API root, e.g. https://manage.office.com
	GraphURL   string // Graph root with version, e.g. https://graph.microsoft.com/v1.0
	APIScope   string // e.g. https://manage.office.com/.default
	GraphScope string // e.g. https://graph.microsoft.com/.default
}

// EndpointsFor returns the endpoints of a Microsoft cloud. Custom has no fixed
// endpoints and returns an error: build an Endpoints value instead (empty
// scopes default to DefaultAPIScope and DefaultGraphScope).
func EndpointsFor(c Cloud) (Endpoints, error) {
	switch c {
	case Commercial, "":
		return Endpoints{
			LoginURL:   "https://login.microsoftonline.com",
			APIURL:     "https://manage.office.com",
			GraphURL:   "https://graph.microsoft.com/v1.0",
			APIScope:   "https://manage.office.com/.default",
			GraphScope: "https://graph.microsoft.com/.default",
		}, nil
	case GCC:
		// GCC lives in the worldwide Entra ID and Graph clouds; only the
		// Management API host differs.
		return Endpoints{
			LoginURL:   "https://login.microsoftonline.com",
			APIURL:     "https://manage-gcc.office.com",
			GraphURL:   "https://graph.microsoft.com/v1.0",
			APIScope:   "https://manage-gcc.office.com/.default",
			GraphScope: "https://graph.microsoft.com/.default",
		}, nil
	case GCCHigh:
		return Endpoints{
			LoginURL:   "https://login.microsoftonline.us",
			APIURL:     "https://manage.office365.us",
			GraphURL:   "https://graph.microsoft.us/v1.0",
			APIScope:   "https://manage.office365.us/.default",
			GraphScope: "https://graph.microsoft.us/.default",
		}, nil
	case DoD:
		return Endpoints{
			LoginURL:   "https://login.microsoftonline.us",
			APIURL:     "https://manage.protection.apps.mil",
			GraphURL:   "https://dod-graph.microsoft.us/v1.0",
			APIScope:   "https://manage.protection.apps.mil/.default",
			GraphScope: "https://dod-graph.microsoft.us/.default",
		}, nil
	case Custom:
		return Endpoints{}, errors.New("custom cloud: the endpoints must be given explicitly")
	}
	return Endpoints{}, fmt.Errorf("unknown cloud %q", string(c))
}

// WithDefaults returns e with trailing slashes removed and empty scopes set to
// the commercial defaults.
func (e Endpoints) WithDefaults() Endpoints {
	e.LoginURL = strings.TrimRight(strings.TrimSpace(e.LoginURL), "/")
	e.APIURL = strings.TrimRight(strings.TrimSpace(e.APIURL), "/")
	e.GraphURL = strings.TrimRight(strings.TrimSpace(e.GraphURL), "/")
	if strings.TrimSpace(e.APIScope) == "" {
		e.APIScope = DefaultAPIScope
	}
	if strings.TrimSpace(e.GraphScope) == "" {
		e.GraphScope = DefaultGraphScope
	}
	return e
}

// Validate checks that every URL is absolute https with a host and that the
// scopes are present. Graph may be left empty (Graph is optional).
func (e Endpoints) Validate() error {
	check := func(name, raw string, required bool) error {
		if raw == "" {
			if required {
				return fmt.Errorf("%s is empty", name)
			}
			return nil
		}
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("%s %q is not a URL: %w", name, raw, err)
		}
		if u.Scheme != "https" {
			return fmt.Errorf("%s %q must start with https://", name, raw)
		}
		if u.Hostname() == "" {
			return fmt.Errorf("%s %q has no host", name, raw)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("%s %q must not carry credentials, a query or a fragment", name, raw)
		}
		return nil
	}
	if err := check("login URL", e.LoginURL, true); err != nil {
		return err
	}
	if err := check("Management API URL", e.APIURL, true); err != nil {
		return err
	}
	if err := check("Graph URL", e.GraphURL, false); err != nil {
		return err
	}
	if e.APIScope == "" {
		return errors.New("Management API scope is empty")
	}
	if e.GraphURL != "" && e.GraphScope == "" {
		return errors.New("Graph scope is empty")
	}
	return nil
}
