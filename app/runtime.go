package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/app/profilelock"
	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/graph"
	"github.com/auditlight/auditlight/collector/store"
)

// EnvSecret lets automation pass the client secret without a keychain.
const EnvSecret = "AUDITLIGHT_CLIENT_SECRET"

// httpClient returns a client that trusts the system roots plus the
// configured extra CA (the simulator's). TLS verification is never turned off.
func httpClient(cfg profile.Config, extra *x509.CertPool) (*http.Client, error) {
	pool := extra
	if cfg.CAFile != "" {
		pem, err := readCAFile(cfg.CAFile)
		if err != nil {
			return nil, err
		}
		if pool == nil {
			if pool, err = x509.SystemCertPool(); err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA file %s holds no PEM certificate", cfg.CAFile)
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	tr.MaxIdleConnsPerHost = 32
	// A stall is caught by the idle timeout (internal/idlehttp, which the
	// Management API, sign-in and Graph clients each put over this
	// transport), so a slow but live download of a big blob is not cut; the
	// whole-request limit is only a backstop.
	tr.ResponseHeaderTimeout = activity.DefaultIdleTimeout
	return &http.Client{Transport: tr, Timeout: 10 * time.Minute}, nil
}

// secretFor returns the client secret: $AUDITLIGHT_CLIENT_SECRET for
// automation, else the OS keychain. Never a file.
func secretFor(e *env, ks keychain.Store, cfg profile.Config) (string, error) {
	if s := e.getenv(EnvSecret); s != "" {
		return auth.NormalizeSecret(s)
	}
	s, err := ks.Get(keychain.Account(cfg.Tenant, cfg.ClientID))
	if errors.Is(err, keychain.ErrNotFound) {
		return "", fmt.Errorf("no client secret for this tenant in the OS keychain: run the setup (or `auditlight configure`), or set %s", EnvSecret)
	}
	if err != nil {
		return "", fmt.Errorf("reading the client secret from the OS keychain: %w", err)
	}
	return s, nil
}

// Runtime is one live connection: token source, API clients, store and
// collector, built from a profile's config and the secret.
type Runtime struct {
	Profile   profile.Profile
	Config    profile.Config
	Source    *auth.Source
	API       *activity.Client
	Graph     *graph.Client
	Store     *store.Store
	Collector *collector.Collector
	Detect    *detect.Engine
	log       *slog.Logger
	lock      *profilelock.Lock // one collector per profile, held until Close
}

// runtimeOptions tune a runtime for tests and the demo.
type runtimeOptions struct {
	extraCA  *x509.CertPool
	onStored func(int)
	// onFinding receives every finding the detection engine creates or grows.
	onFinding func(detect.Notice)
	command   string // who holds the profile lock ("gui", "collect"), shown to a refused second collector
	// backfillHold: see collector.Options.BackfillHold (the GUI's window first).
	backfillHold <-chan struct{}
	// onUpgrade hears how far a one-time upgrade of the store has got,
	// while openRuntime waits for it (the GUI shows it as the status).
	onUpgrade func(store.Progress)
}

// openRuntime authenticates, resolves the tenant GUID (kept in the config),
// opens the store and builds the collector. Close it when done.
func openRuntime(ctx context.Context, p profile.Profile, cfg profile.Config, secret string, log *slog.Logger, ro runtimeOptions) (rt *Runtime, err error) {
	if err := p.Ensure(); err != nil {
		return nil, err
	}
	// One collector per profile, whoever starts it: taken before the store
	// is opened (two collectors racing to create it failed obscurely).
	lock, err := profilelock.Acquire(p.Dir, ro.command, time.Now())
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.Close()
		}
	}()
	ep, err := cfg.Endpoints()
	if err != nil {
		return nil, err
	}
	hc, err := httpClient(cfg, ro.extraCA)
	if err != nil {
		return nil, err
	}
	src, err := auth.NewSource(auth.Config{Endpoints: ep, Tenant: cfg.Tenant, ClientID: cfg.ClientID, Secret: secret,
		HTTPClient: hc, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("setting up sign-in: %w", err)
	}
	if cfg.TenantID == "" {
		tid, err := src.TenantID(ctx)
		if err != nil {
			return nil, fmt.Errorf("signing in: %w", err)
		}
		cfg.TenantID = tid
		if err := profile.SaveConfig(p, cfg); err != nil {
			return nil, err
		}
	}
	api, err := activity.New(activity.Config{BaseURL: ep.APIURL, TenantID: cfg.TenantID, PublisherID: cfg.TenantID,
		HTTPClient: hc, Token: src.Provider(auth.API), Invalidate: src.Invalidator(auth.API), Limiter: cfg.Limiter(), Logger: log})
	if err != nil {
		return nil, fmt.Errorf("setting up the Management API client: %w", err)
	}
	gc, err := graph.New(graph.Config{BaseURL: ep.GraphURL, HTTPClient: hc, Token: src.Provider(auth.Graph), Logger: log})
	if err != nil {
		return nil, fmt.Errorf("setting up the Graph client: %w", err)
	}
	st, err := store.Open(ctx, p.StorePath(), store.Options{Retention: cfg.Retention(), Logger: log,
		OnUpgrade: upgradeReporter(log, ro.onUpgrade)})
	if err != nil {
		return nil, explainStoreError(p, err)
	}
	// A damaged store must not look healthy: the collector checks it beside
	// collecting (Run and Drain), so a restart after a crash is not delayed
	// by a read of the whole file.
	eng, err := detect.New(ctx, detect.Options{Store: st, RulesDir: p.RulesDir(), Logger: log, OnFinding: ro.onFinding})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("loading detection rules: %w", err)
	}
	coll, err := collector.New(collector.Options{API: api, Store: st, PollInterval: cfg.PollInterval(),
		Enricher: graphNames{gc}, SecretExpiry: cfg.SecretExpiry, Logger: log, OnStored: ro.onStored, Detector: eng,
		AuditPendingSince: cfg.AuditPendingSince, BackfillHold: ro.backfillHold})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &Runtime{Profile: p, Config: cfg, Source: src, API: api, Graph: gc, Store: st, Collector: coll, Detect: eng, log: log, lock: lock}, nil
}

// Close releases the store, then the profile lock.
func (r *Runtime) Close() error {
	err := r.Store.Close()
	if lerr := r.lock.Close(); err == nil {
		err = lerr
	}
	return err
}

// upgradeReporter logs a store upgrade's progress at its start, every tenth
// of the records copied and when it finishes, and passes every report on to
// also (nil = none).
func upgradeReporter(log *slog.Logger, also func(store.Progress)) func(store.Progress) {
	tenth := -1
	return func(p store.Progress) {
		switch {
		case p.Finishing:
			log.Info("upgrading the event store: records copied, rebuilding its indexes", "schema", p.Schema, "records", p.Total)
			tenth = -1
		case p.Total > 0 && int(p.Done*10/p.Total) > tenth:
			tenth = int(p.Done * 10 / p.Total)
			log.Info("upgrading the event store once for this version; collection starts after it", "schema", p.Schema,
				"copied", p.Done, "of", p.Total)
		}
		if also != nil {
			also(p)
		}
	}
}

// graphNames adapts the Graph client to the collector's Enricher.
type graphNames struct{ c *graph.Client }

// UserNames maps each user's UPN (the audit records' UserId) to a display name.
func (g graphNames) UserNames(ctx context.Context) (map[string]string, error) {
	users, err := g.c.Users(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(users))
	for _, u := range users {
		if u.UPN != "" && u.DisplayName != "" {
			m[trimLower(u.UPN)] = u.DisplayName
		}
	}
	return m, nil
}
