package simulator

import (
	"log/slog"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/faults"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
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
// behaviour (see faults.Faults).
type Faults = faults.Faults

// Tenant describes the simulated tenant and its registered application.
type Tenant = tenant.Tenant

const (
	defaultListen       = "127.0.0.1:0"
	defaultUsers        = 12
	defaultRecords      = 200
	defaultPageSize     = 100
	defaultBlobInterval = 5 * time.Minute
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
