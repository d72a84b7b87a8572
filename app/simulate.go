package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator"
)

// simInfo is what `auditlight simulate --json` prints: everything a client
// needs to talk to the simulator.
type simInfo struct {
	Scenario       string    `json:"scenario"`
	URL            string    `json:"url"`
	LoginURL       string    `json:"loginUrl"`
	APIURL         string    `json:"apiUrl"`
	GraphURL       string    `json:"graphUrl"`
	TokenURL       string    `json:"tokenUrl"`
	GroundTruthURL string    `json:"groundTruthUrl"`
	CAFile         string    `json:"caFile"`
	TenantID       string    `json:"tenantId"`
	TenantDomain   string    `json:"tenantDomain"`
	ClientID       string    `json:"clientId"`
	ClientSecret   string    `json:"clientSecret"`
	SecretID       string    `json:"secretId"`
	SecretExpiry   time.Time `json:"secretExpiry"`
	APIScope       string    `json:"apiScope"`
	GraphScope     string    `json:"graphScope"`
}

func runSimulate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "simulate", "simulate [--listen ADDR] [--scenario NAME] [--seed N] [--users N] [--json]")
	listen := fs.String("listen", "127.0.0.1:8443", "address to serve HTTPS on")
	scenario := fs.String("scenario", "healthy", "scenario: "+strings.Join(simulator.Scenarios(), ", "))
	seed := fs.Int64("seed", 1, "seed for the generated tenant and its audit data")
	users := fs.Int("users", 0, "number of users (default: the simulator's)")
	perDay := fs.Int("records-per-user-day", 0, "audit records per active user per day (default: the simulator's)")
	caFile := fs.String("ca-file", "", "where to write the CA certificate (default: a temp file)")
	asJSON := fs.Bool("json", false, "print one JSON object with the endpoints and credentials on stdout")
	budget := fs.Int("requests-per-minute", 0, "the tenant's Management API budget before 403 AF429 (default: Microsoft's 2000)")
	verbose := fs.Bool("verbose", false, "log every request")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	sim, err := simulator.Start(ctx, simulator.Config{Listen: *listen, Scenario: *scenario, Seed: *seed, Users: *users,
		RecordsPerUserDay: *perDay, Logger: newLogger(e.stderr, level)})
	if err != nil {
		return fmt.Errorf("starting the simulator: %w", err)
	}
	defer sim.Close()
	if *budget > 0 {
		sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = *budget })
	}
	path := *caFile
	if path == "" {
		dir, err := os.MkdirTemp("", "auditlight-sim-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "ca.pem")
	}
	if err := sim.WriteCAFile(path); err != nil {
		return fmt.Errorf("writing the CA file: %w", err)
	}
	info := describeSim(sim, *scenario, path)
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(info); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, `AuditLight Microsoft 365 simulator — scenario %q (%s)
  Entra ID login:      %s   (token: %s)
  Management API:      %s/api/v1.0/%s/activity/feed/...
  Microsoft Graph:     %s
  Ground truth:        %s
  CA certificate:      %s
  Tenant:              %s (%s)
  Client ID:           %s
  Client secret value: %s
  Secret ID:           %s (sending this instead of the value fails, as in Entra)
  Secret expires:      %s

Try:  curl --cacert %s -d grant_type=client_credentials -d client_id=%s --data-urlencode client_secret=%s --data-urlencode scope=%s %s
Configure AuditLight against it:
  AUDITLIGHT_CLIENT_SECRET='%s' auditlight --profile /tmp/al configure --cloud custom --tenant %s --client-id %s --login-url %s --api-url %s --graph-url %s --ca-file %s --secret-expiry %s
Serving until interrupted (Ctrl+C).
`, info.Scenario, simulator.Describe(info.Scenario), info.LoginURL, info.TokenURL, info.APIURL, info.TenantID, info.GraphURL,
			info.GroundTruthURL, info.CAFile, info.TenantID, info.TenantDomain, info.ClientID, info.ClientSecret, info.SecretID,
			info.SecretExpiry.Format("2006-01-02"), info.CAFile, info.ClientID, info.ClientSecret, info.APIScope, info.TokenURL,
			info.ClientSecret, info.TenantID, info.ClientID, info.LoginURL, info.APIURL, info.GraphURL, info.CAFile, info.SecretExpiry.Format("2006-01-02"))
	}
	<-ctx.Done()
	return nil
}

func describeSim(sim *simulator.Sim, scenario, caFile string) simInfo {
	t := sim.Tenant()
	return simInfo{
		Scenario: scenario, URL: sim.URL(), LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL(),
		TokenURL:       sim.LoginURL() + "/" + t.ID + "/oauth2/v2.0/token",
		GroundTruthURL: sim.GroundTruthURL(), CAFile: caFile, TenantID: t.ID, TenantDomain: t.Domain,
		ClientID: t.ClientID, ClientSecret: t.Secret, SecretID: t.SecretID, SecretExpiry: t.SecretExpiry,
		APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default",
	}
}
