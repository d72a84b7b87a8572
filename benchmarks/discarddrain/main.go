// Command discarddrain is the reference of the drain benchmark (issue 12):
// a bare client that lists every content blob of the last 7 days and GETs
// each one with the same concurrency as the collector, then throws it away.
// It uses AuditLight's own token source and Management API client, so the
// difference to `auditlight collect --once` against the same simulator is
// what storing, indexing and detecting cost. scripts/drain.sh runs both.
//
//	AUDITLIGHT_CLIENT_SECRET=... discarddrain --login-url URL --api-url URL \
//	    --tenant DOMAIN --tenant-id GUID --client-id ID --ca-file ca.pem
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "discarddrain:", err)
		os.Exit(1)
	}
}

// counters is what the drain saw.
type counters struct {
	blobs, bytes, pages atomic.Int64
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("discarddrain", flag.ContinueOnError)
	loginURL := fs.String("login-url", "", "Entra login URL (the simulator's)")
	apiURL := fs.String("api-url", "", "Management API root URL")
	tenant := fs.String("tenant", "", "tenant domain or GUID to sign in to")
	tenantID := fs.String("tenant-id", "", "tenant GUID (the API path and publisher id)")
	clientID := fs.String("client-id", "", "application (client) id")
	caFile := fs.String("ca-file", "", "CA certificate (PEM) to trust")
	workers := fs.Int("workers", 8, "concurrent blob downloads (the collector's default)")
	lookback := fs.Duration("lookback", 167*time.Hour+55*time.Minute, "how far back to list (the collector's backfill)")
	rpm := fs.Int("requests-per-minute", 1_000_000, "request pacing (lifted for the simulator, as in the benchmark profile)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	secret := os.Getenv("AUDITLIGHT_CLIENT_SECRET")
	if secret == "" || *tenantID == "" || *apiURL == "" {
		return errors.New("--tenant-id, --api-url and $AUDITLIGHT_CLIENT_SECRET are required")
	}
	hc, err := client(*caFile)
	if err != nil {
		return err
	}
	ep := auth.Endpoints{LoginURL: *loginURL, APIURL: *apiURL, GraphURL: *apiURL + "/v1.0",
		APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default"}
	src, err := auth.NewSource(auth.Config{Endpoints: ep, Tenant: *tenant, ClientID: *clientID, Secret: secret, HTTPClient: hc})
	if err != nil {
		return fmt.Errorf("token source: %w", err)
	}
	api, err := activity.New(activity.Config{BaseURL: *apiURL, TenantID: *tenantID, PublisherID: *tenantID, HTTPClient: hc,
		Token: src.Provider(auth.API), Invalidate: src.Invalidator(auth.API),
		Limiter: rate.NewLimiter(rate.Every(time.Minute/time.Duration(*rpm)), activity.DefaultBurst),
		Logger:  slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("API client: %w", err)
	}
	start := time.Now()
	var c counters
	sem := make(chan struct{}, *workers)
	var wg sync.WaitGroup
	errs := make(chan error, len(activity.AllContentTypes()))
	for _, ct := range activity.AllContentTypes() {
		wg.Add(1)
		go func(ct activity.ContentType) {
			defer wg.Done()
			if err := drainType(ctx, api, ct, start.Add(-*lookback), start, sem, &c); err != nil {
				errs <- fmt.Errorf("%s: %w", ct, err)
			}
		}(ct)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	took := time.Since(start)
	requests := c.blobs.Load() + c.pages.Load() + int64(len(activity.AllContentTypes()))
	fmt.Printf("discard drain: %d blobs, %.1f MB in %.2f s; %d Management API requests (%d listing pages, %d starts)\n",
		c.blobs.Load(), float64(c.bytes.Load())/1e6, took.Seconds(), requests, c.pages.Load(), len(activity.AllContentTypes()))
	fmt.Printf("pacing: a 7-day catch-up needs >= %.1f min at Microsoft's 2,000 requests/min (the floor), %.1f min at AuditLight's default 1,500/min\n",
		float64(requests)/2000, float64(requests)/float64(activity.DefaultRequestsPerMinute))
	return nil
}

// drainType walks 24-hour windows like the collector's backfill and GETs
// every listed blob, at most cap(sem) at once across all content types.
func drainType(ctx context.Context, api *activity.Client, ct activity.ContentType, from, now time.Time,
	sem chan struct{}, c *counters) error {
	if _, err := api.Start(ctx, ct); err != nil {
		return fmt.Errorf("starting the subscription: %w", err)
	}
	for ws := from.UTC().Truncate(time.Second); ws.Before(now); ws = ws.Add(24 * time.Hour) {
		we := ws.Add(24 * time.Hour)
		if end := now.UTC().Truncate(time.Second); we.After(end) {
			we = end
		}
		err := api.ListContent(ctx, ct, ws, we, func(page []activity.Content) error {
			c.pages.Add(1)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var first error
			for _, b := range page {
				sem <- struct{}{}
				wg.Add(1)
				go func(b activity.Content) {
					defer wg.Done()
					defer func() { <-sem }()
					body, err := api.Fetch(ctx, b)
					if err != nil {
						mu.Lock()
						first = errors.Join(first, err)
						mu.Unlock()
						return
					}
					c.blobs.Add(1)
					c.bytes.Add(int64(len(body)))
				}(b)
			}
			wg.Wait()
			return first
		})
		if err != nil {
			return fmt.Errorf("window %s: %w", ws.Format(time.RFC3339), err)
		}
	}
	return nil
}

// client trusts the given CA (TLS verification stays on).
func client(caFile string) (*http.Client, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("reading the CA file: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	tr.MaxIdleConnsPerHost = 32
	return &http.Client{Transport: tr, Timeout: 90 * time.Second}, nil
}
