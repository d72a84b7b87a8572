package simulator

import (
	"log/slog"
	"time"
)

// Config configures a simulator. The zero value is a healthy demo tenant on a
// random loopback port.
type Config struct {
	Listen            string        // listen address, default "127.0.0.1:0"
	Scenario          string        // one of Scenarios(), default "healthy"
	Seed              int64         // drives every generated value; same seed, same tenant and data
	Users             int           // number of users, default 12
	RecordsPerUserDay int           // average audit records per user per day, default 200
	PageSize          int           // content listing page size, default 100
	BlobInterval      time.Duration // contentCreated spacing per content type, default 5m
	Clock             func() time.Time
	Faults            *Faults // nil = the scenario's fault mix
	Logger            *slog.Logger
}

// Faults is the untidiness the simulator adds on top of the documented
// behaviour. Rates are probabilities in [0, 1], decided deterministically from
// the seed and the request sequence.
type Faults struct {
	// FirstDataDelay hides every blob created earlier than the first
	// subscription start of its content type plus this delay ("first blobs can
	// take up to 12 hours"). Zero means the seven-day backlog is available.
	FirstDataDelay time.Duration
	// LateBlobRate is the fraction of blobs whose records are much older than
	// the blob (made available late); LateBy is how much older (default 6h).
	LateBlobRate float64
	LateBy       time.Duration
	// ReplayRate is the fraction of blobs that repeat a record already served
	// in an earlier blob (same Id).
	ReplayRate float64
	// Rate429 answers HTTP 429 with Retry-After; RateAF429 answers HTTP 403
	// AF429; Rate500 and Rate503 answer server errors. Management API only.
	Rate429   float64
	RateAF429 float64
	Rate500   float64
	Rate503   float64
	// RetryAfter is the Retry-After value sent with throttling answers (default 2s;
	// negative = header omitted).
	RetryAfter time.Duration
	// SlowRate is the fraction of Management API answers delayed by SlowDelay.
	SlowRate  float64
	SlowDelay time.Duration
	// ForeignURIRate is the fraction of blobs (chosen per blob, so always the
	// same ones) whose listed contentUri points at another host; RedirectRate
	// the fraction whose GET answers 302 to another host. Neither blob can be
	// fetched by a client that keeps its token on the API host.
	ForeignURIRate float64
	RedirectRate   float64
	// DripRate is the fraction of 200 answers (content lists, blobs) that
	// send half the body, then stall for DripStall (default 1 minute) before
	// the rest: a slow-dripping proxy.
	DripRate  float64
	DripStall time.Duration
	// TruncateRate is the fraction of 200 answers (content lists, blobs) whose
	// JSON body is cut in half.
	TruncateRate float64
	// ClockSkew shifts the simulator's notion of now (Date header and every
	// time rule) relative to Config.Clock.
	ClockSkew time.Duration
	// TokenLifetime is the access-token lifetime (default 3599s).
	TokenLifetime time.Duration
	// RequestsPerMinute is the per-tenant Management API budget (default 2000);
	// beyond it requests get HTTP 403 AF429.
	RequestsPerMinute int
}

// Tenant describes the simulated tenant and its registered application.
type Tenant struct {
	ID           string    // directory (tenant) GUID
	Domain       string    // initial domain, e.g. "contoso-demo.onmicrosoft.com"
	DisplayName  string    // organisation name
	ClientID     string    // application (client) id of the AuditLight app registration
	AppObjectID  string    // object id of the application
	AppName      string    // application display name
	Secret       string    // client secret value (as shown once in the portal)
	SecretID     string    // secret's key id GUID ("Secret ID" in the portal)
	SecretName   string    // secret description
	SecretStart  time.Time // secret creation
	SecretExpiry time.Time // secret end date
	PublisherID  string    // PublisherIdentifier to send (the tenant GUID)
}

const (
	defaultListen       = "127.0.0.1:0"
	defaultUsers        = 12
	defaultRecords      = 200
	defaultPageSize     = 100
	defaultBlobInterval = 5 * time.Minute
	defaultTokenLife    = 3599 * time.Second
	defaultBudget       = 2000
	defaultRetryAfter   = 2 * time.Second
	defaultLateBy       = 6 * time.Hour
	retention           = 7 * 24 * time.Hour
)

func (c *Config) applyDefaults() {
	if c.Listen == "" {
		c.Listen = defaultListen
	}
	if c.Scenario == "" {
		c.Scenario = ScenarioHealthy
	}
	if c.Users <= 0 {
		c.Users = defaultUsers
	}
	if c.RecordsPerUserDay <= 0 {
		c.RecordsPerUserDay = defaultRecords
	}
	if c.PageSize <= 0 {
		c.PageSize = defaultPageSize
	}
	if c.BlobInterval <= 0 {
		c.BlobInterval = defaultBlobInterval
	}
	if c.BlobInterval < time.Second {
		c.BlobInterval = time.Second
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

func (f Faults) tokenLifetime() time.Duration {
	if f.TokenLifetime > 0 {
		return f.TokenLifetime
	}
	return defaultTokenLife
}

func (f Faults) budget() int {
	if f.RequestsPerMinute > 0 {
		return f.RequestsPerMinute
	}
	return defaultBudget
}

func (f Faults) retryAfter() time.Duration {
	if f.RetryAfter == 0 {
		return defaultRetryAfter
	}
	return f.RetryAfter
}

func (f Faults) lateBy() time.Duration {
	if f.LateBy > 0 {
		return f.LateBy
	}
	return defaultLateBy
}
