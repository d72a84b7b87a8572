package simulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/accesstoken"
	"github.com/auditlight/auditlight/collector/simulator/auditgen"
	"github.com/auditlight/auditlight/collector/simulator/faults"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
	"github.com/auditlight/auditlight/collector/simulator/tlsca"
)

// Sim is a running simulator. All methods are safe for concurrent use.
type Sim struct {
	cfg    Config
	log    *slog.Logger
	certs  *tlsca.Certs
	signer *accesstoken.Signer
	ln     net.Listener
	srv    *http.Server
	url    string
	w      *tenant.World
	tl     *auditgen.Timeline
	gen    *auditgen.Generator
	start  time.Time // the simulator's now at Start

	mu    sync.Mutex
	state State
	quota faults.Quota
	bufs  blobBuffers

	seq atomic.Uint64 // request sequence for deterministic fault decisions
	// adminSeq numbers on-demand admin actions (adminaction.go).
	adminSeq atomic.Uint64
	stats    stats
	done     chan struct{}
	once     sync.Once
}

// Start builds the tenant for cfg and serves it over HTTPS until ctx ends or
// Close is called.
func Start(ctx context.Context, cfg Config) (*Sim, error) {
	cfg.applyDefaults()
	def, err := lookupScenario(cfg.Scenario)
	if err != nil {
		return nil, fmt.Errorf("starting simulator: %w", err)
	}
	st := healthyState()
	if cfg.Faults != nil {
		st.Faults = *cfg.Faults
	}
	base := cfg.Clock()
	if def.apply != nil {
		fault := st.Faults
		def.apply(&st, base.Add(st.Faults.ClockSkew))
		if cfg.Faults != nil {
			st.Faults = fault // explicit faults replace the scenario's mix
		}
	}
	now := base.Add(st.Faults.ClockSkew)
	seed := uint64(cfg.Seed)
	s := &Sim{cfg: cfg, log: cfg.Logger, state: st, start: now, done: make(chan struct{})}
	s.w = tenant.NewWorld(seed, cfg.Users, now)
	if st.SecretExpired {
		s.w.Tenant.SecretStart = now.UTC().Add(-183 * 24 * time.Hour).Truncate(time.Second)
		s.w.Tenant.SecretExpiry = s.w.Tenant.SecretStart.Add(180 * 24 * time.Hour)
	}
	s.tl = auditgen.NewTimeline(seed, now, cfg.BlobInterval, cfg.Users, cfg.RecordsPerUserDay)
	s.gen = auditgen.NewGenerator(seed, s.tl, s.w)
	switch cfg.Scenario {
	case ScenarioAttack:
		s.gen.AddAttack(now)
	case ScenarioBusyBenign:
		s.gen.AddBusyBenign(now)
	}
	if s.certs, err = tlsca.New(time.Now()); err != nil {
		return nil, fmt.Errorf("starting simulator: %w", err)
	}
	if s.signer, err = accesstoken.NewSigner(); err != nil {
		return nil, fmt.Errorf("starting simulator: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("starting simulator: listening on %s: %w", cfg.Listen, err)
	}
	s.ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{s.certs.Server}, MinVersion: tls.VersionTLS12})
	s.url = "https://" + publicAddr(ln.Addr())
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	go func() {
		if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("simulator server stopped", "err", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.done:
		}
	}()
	s.log.Info("simulator started", "url", s.url, "scenario", cfg.Scenario, "tenant", s.w.Tenant.ID, "users", cfg.Users)
	return s, nil
}

// closeGrace is how long Close lets requests in flight finish.
const closeGrace = 250 * time.Millisecond

// Close stops the server and releases the port.
func (s *Sim) Close() error {
	var err error
	s.once.Do(func() {
		close(s.done)
		// A client's connection that never sent a request (a transport's
		// spare dial) keeps Shutdown waiting; what is still open after a
		// short grace is closed.
		ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
		defer cancel()
		if s.srv.Shutdown(ctx) != nil { // the grace ran out: close what is left
			if e := s.srv.Close(); e != nil {
				err = fmt.Errorf("stopping simulator: %w", e)
			}
		}
	})
	return err
}

// URL is the root of every service, https://127.0.0.1:PORT.
func (s *Sim) URL() string { return s.url }

// LoginURL is the Entra login host; the MSAL authority is LoginURL()+"/"+tenant.
func (s *Sim) LoginURL() string { return s.url }

// APIURL is the Management Activity API root ({APIURL}/api/v1.0/{tenant}/activity/feed/...).
func (s *Sim) APIURL() string { return s.url }

// GraphURL is the Microsoft Graph v1.0 base URL.
func (s *Sim) GraphURL() string { return s.url + "/v1.0" }

// GroundTruthURL serves the ground truth as JSON (no authentication).
func (s *Sim) GroundTruthURL() string { return s.url + "/_sim/ground-truth" }

// CACertPEM is the PEM of the CA that signed the server certificate.
func (s *Sim) CACertPEM() []byte { return append([]byte(nil), s.certs.CAPEM...) }

// CertPool is a pool holding only the simulator's CA.
func (s *Sim) CertPool() *x509.CertPool { return s.certs.Pool.Clone() }

// WriteCAFile writes the CA certificate PEM to path (mode 0644) so other
// processes can trust the simulator.
func (s *Sim) WriteCAFile(path string) error {
	if err := os.WriteFile(path, s.certs.CAPEM, 0o644); err != nil {
		return fmt.Errorf("writing simulator CA to %s: %w", path, err)
	}
	return nil
}

// Client returns an HTTP client that trusts the simulator's CA (verification on).
func (s *Sim) Client() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: s.certs.Pool.Clone(), MinVersion: tls.VersionTLS12},
			MaxIdleConnsPerHost: 16,
			ForceAttemptHTTP2:   true,
		},
	}
}

// Tenant describes the simulated tenant and app registration.
func (s *Sim) Tenant() Tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.w.Tenant
	if s.state.SecretExpired && !t.SecretExpiry.Before(s.nowLocked()) {
		t.SecretExpiry = s.nowLocked().Add(-time.Hour).Truncate(time.Second)
	}
	return t
}

// Mutate changes the tenant's state under the simulator's lock.
func (s *Sim) Mutate(fn func(*State)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.state)
}

// Snapshot returns a copy of the current state.
func (s *Sim) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.clone()
}

// Now is the simulator's notion of the current time (Config.Clock plus the clock skew fault).
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Sim) nowLocked() time.Time { return s.cfg.Clock().Add(s.state.Faults.ClockSkew).UTC() }

// publicAddr is the address clients dial: an unspecified listen IP
// (0.0.0.0, ::) is reached through 127.0.0.1, which the certificate covers.
func publicAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return tcp.String()
}
