package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/time/rate"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/internal/atomicfile"
)

// Config is the non-secret part of the setup, stored as JSON (mode 0600) in
// the profile. The client secret is never here: it lives in the OS keychain.
type Config struct {
	Tenant       string    `json:"tenant"`             // as typed: GUID or *.onmicrosoft.com
	TenantID     string    `json:"tenantId,omitempty"` // the GUID, from the token's tid claim
	ClientID     string    `json:"clientId"`
	Cloud        string    `json:"cloud"`
	LoginURL     string    `json:"loginUrl,omitempty"` // custom cloud only
	APIURL       string    `json:"apiUrl,omitempty"`
	GraphURL     string    `json:"graphUrl,omitempty"`
	CAFile       string    `json:"caFile,omitempty"` // extra CA to trust (the simulator's)
	SecretExpiry time.Time `json:"secretExpiry,omitempty"`
	PollSeconds  int       `json:"pollSeconds,omitempty"`
	// RequestsPerMinute paces Management API calls (default 1,500, under the
	// tenant's documented 2,000/min); raise it only for the simulator.
	RequestsPerMinute int       `json:"requestsPerMinute,omitempty"`
	RetentionDays     int       `json:"retentionDays,omitempty"`
	StartAtLogin      bool      `json:"startAtLogin,omitempty"`
	ConnectedAt       time.Time `json:"connectedAt,omitempty"`
	// AuditPendingSince is when the admin saved with "Save and keep trying"
	// because audit logging was just switched on (health shows a blue wait).
	AuditPendingSince time.Time `json:"auditPendingSince,omitempty"`
}

// Endpoints returns the URLs and scopes for the configured cloud.
func (c Config) Endpoints() (auth.Endpoints, error) {
	cloud, err := auth.ParseCloud(c.Cloud)
	if err != nil {
		return auth.Endpoints{}, err
	}
	if cloud != auth.Custom {
		return auth.EndpointsFor(cloud)
	}
	ep := auth.Endpoints{LoginURL: c.LoginURL, APIURL: c.APIURL, GraphURL: c.GraphURL,
		APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default"}
	if err := ep.Validate(); err != nil {
		return auth.Endpoints{}, fmt.Errorf("custom endpoints: %w", err)
	}
	return ep, nil
}

// PollInterval is the steady-state poll interval (default one minute).
func (c Config) PollInterval() time.Duration {
	if c.PollSeconds <= 0 {
		return time.Minute
	}
	return time.Duration(c.PollSeconds) * time.Second
}

// Limiter paces the Management API requests of this tenant.
func (c Config) Limiter() *rate.Limiter {
	rpm := c.RequestsPerMinute
	if rpm <= 0 {
		rpm = activity.DefaultRequestsPerMinute
	}
	return rate.NewLimiter(rate.Every(time.Minute/time.Duration(rpm)), activity.DefaultBurst)
}

// Retention is how long events are kept (default 90 days).
func (c Config) Retention() time.Duration {
	if c.RetentionDays <= 0 {
		return 90 * 24 * time.Hour
	}
	return time.Duration(c.RetentionDays) * 24 * time.Hour
}

// LoadConfig reads the profile's config. It returns ErrNotConfigured when
// there is none and a clear error when the file is damaged.
func LoadConfig(p Profile) (Config, error) {
	var c Config
	// The config says where the secret is sent: never read one another
	// local user could have written.
	if err := CheckSafe(p); err != nil {
		return c, err
	}
	b, err := os.ReadFile(p.ConfigPath())
	if errors.Is(err, fs.ErrNotExist) {
		return c, ErrNotConfigured
	}
	if err != nil {
		return c, fmt.Errorf("reading %s: %w", p.ConfigPath(), err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("the settings file %s is damaged (%v); run the setup again", p.ConfigPath(), err)
	}
	if c.Tenant == "" || c.ClientID == "" {
		// `{}` or a half-written file: not a configuration to collect with.
		return c, fmt.Errorf("%w (%s has no tenant or client ID)", ErrNotConfigured, p.ConfigPath())
	}
	return c, nil
}

// SaveConfig writes the config atomically with mode 0600.
func SaveConfig(p Profile, c Config) error {
	return WriteJSON(p.ConfigPath(), c)
}

// WriteJSON writes v to path atomically (temp file, fsync, rename) with mode
// 0600, so a crash or a full disk leaves the previous file intact.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", filepath.Base(path), err)
	}
	return atomicfile.Write(path, append(b, '\n'), 0o600)
}
