package app

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/check"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/ui"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/setup"
)

// backend implements ui.Backend: it owns the profile's config, the keychain
// item and the running collector, and relays the collector's status and
// "events stored" ticks to the GUI.
type backend struct {
	prof  profile.Profile
	keys  keychain.Store
	log   *slog.Logger
	clock func() time.Time
	// template supplies endpoints for a custom cloud (the demo's simulator)
	// and extraCA its CA; the demo sets both once its simulator is up
	// (useTenant), so they are read under mu (tenant).
	template *profile.Config
	extraCA  *x509.CertPool
	// backfillHold holds a new collector's backfill after its first poll
	// until the GUI's window is up (collector.Options.BackfillHold); nil
	// holds nothing.
	backfillHold <-chan struct{}

	status *health.Broadcaster

	mu  sync.Mutex
	cfg profile.Config
	// graphExpiry is the secret's end date as Entra reports it (zero when
	// Application.Read.All is not granted).
	graphExpiry time.Time
	rt          *Runtime
	stop        context.CancelFunc
	done        chan struct{}
	relay       func()
	evSubs      map[int]chan int
	nextSub     int
	// findings relays detection notices and "findings changed" ticks (findings.go).
	findings findingHub
	// demoAction performs a detection test's admin action in the demo's
	// simulator (nil outside --demo).
	demoAction func(test string) error
}

var _ ui.Backend = (*backend)(nil)

// newBackend is the backend of profile p on the real clouds (useTenant
// points it at a custom one), its secret in keys.
func newBackend(p profile.Profile, keys keychain.Store, log *slog.Logger) *backend {
	b := &backend{prof: p, keys: keys, log: log, clock: time.Now,
		status: health.NewBroadcaster(), evSubs: map[int]chan int{}}
	b.publishIdle()
	return b
}

// useTenant points the backend at a custom cloud (the demo's simulator):
// its endpoints, the CA it is served under and, for the demo, who performs a
// detection test's admin action.
func (b *backend) useTenant(tmpl *profile.Config, extraCA *x509.CertPool, action func(test string) error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.template, b.extraCA, b.demoAction = tmpl, extraCA, action
}

// tenant returns the custom cloud's template and CA (nil, nil for the real clouds).
func (b *backend) tenant() (*profile.Config, *x509.CertPool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.template, b.extraCA
}

// publishIdle publishes the grey "not configured" status.
func (b *backend) publishIdle() {
	b.status.Publish(health.Evaluate(health.Inputs{}, b.clock(), health.Thresholds{}))
}

// start opens the runtime for the saved config and runs the collector in the
// background. It is used at launch and after Connect/Rotate.
//
// When the collector cannot start (an expired or wrong secret, a missing
// keychain item) the failure is published as the status, with the
// configured secret expiry, so every caller shows the real red light and the
// fix instead of a grey "not set up".
func (b *backend) start(ctx context.Context) error {
	cfg, err := profile.LoadConfig(b.prof)
	if err != nil {
		return err
	}
	if err := b.startWith(ctx, cfg); err != nil {
		b.mu.Lock()
		b.cfg = cfg
		b.mu.Unlock()
		b.publishNotRunning(err, cfg.SecretExpiry)
		return err
	}
	return nil
}

// publishNotRunning publishes err as the status of a configured tenant whose
// collector does not run (it could not start, or stopped on err): the red
// light and the fix, and no Pause (nothing runs to pause).
func (b *backend) publishNotRunning(err error, expiry time.Time) {
	now := b.clock()
	st := health.Evaluate(health.Inputs{Configured: true, Err: err, SecretExpiry: expiry}, now, health.Thresholds{})
	st.NotRunningSince = now
	b.status.Publish(st)
}

// publishUpgrade returns the store-upgrade reporter of a collector being
// started: each report is published as the amber status with its progress,
// not running since the first one (nothing collects until it ends).
func (b *backend) publishUpgrade(expiry time.Time) func(store.Progress) {
	var since time.Time
	return func(p store.Progress) {
		now := b.clock()
		if since.IsZero() {
			since = now
		}
		st := health.Evaluate(health.Inputs{Configured: true, SecretExpiry: expiry,
			TotalRecords: p.Total,
			StoreUpgrade: &health.StoreUpgrade{Done: p.Done, Total: p.Total, Finishing: p.Finishing}}, now, health.Thresholds{})
		st.NotRunningSince = since
		b.status.Publish(st)
	}
}

// startRetrying starts the collector like start; while the keychain cannot
// be read it keeps the red status up and tries again with backoff (5 s
// doubling to 5 minutes) until it can, ctx ends, or a collector was started
// another way (Connect, Rotate). Other failures are returned at once.
func (b *backend) startRetrying(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	wait := 5 * time.Second
	for {
		err := b.start(ctx)
		if err == nil || fault.KindOf(err) != fault.SecretUnavailable {
			return err
		}
		b.log.Warn("cannot read the secret from the keychain; retrying", "in", wait, "err", err)
		if serr := sleep(ctx, wait); serr != nil {
			return err
		}
		if b.runtime() != nil {
			return nil
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

func (b *backend) startWith(ctx context.Context, cfg profile.Config) error {
	secret, err := b.keys.Get(keychain.Account(cfg.Tenant, cfg.ClientID))
	if errors.Is(err, keychain.ErrUnavailable) {
		// Red, and retried by startRetrying: the tray app keeps running.
		return &fault.Error{Kind: fault.SecretUnavailable, Op: "reading the client secret from the keychain", Message: err.Error(), Err: err}
	}
	if err != nil {
		return fmt.Errorf("reading the client secret from the keychain: %w", err)
	}
	_, extraCA := b.tenant()
	rt, err := openRuntime(ctx, b.prof, cfg, secret, b.log, runtimeOptions{extraCA: extraCA, onStored: b.tick,
		onFinding: b.findings.emit, command: "gui", backfillHold: b.backfillHold, onUpgrade: b.publishUpgrade(cfg.SecretExpiry)})
	if err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sub, unsub := rt.Collector.Subscribe()
	relayDone := make(chan struct{})
	go func() {
		defer close(relayDone)
		for st := range sub {
			b.status.Publish(st)
			if j, err := json.Marshal(st); err == nil {
				_ = rt.Store.SetMeta(context.Background(), metaLastStatus, string(j))
			}
		}
	}()
	go func() {
		defer close(done)
		err := rt.Collector.Run(runCtx)
		if err == nil || errors.Is(err, context.Canceled) {
			return
		}
		b.log.Error("collector stopped", "err", err)
		// The collector's last status (green, perhaps) must not stay up,
		// nor arrive after this one.
		unsub()
		<-relayDone
		b.publishNotRunning(err, rt.Config.SecretExpiry)
	}()
	b.mu.Lock()
	b.cfg, b.rt, b.stop, b.done = rt.Config, rt, cancel, done
	b.relay = func() { unsub(); <-relayDone }
	b.mu.Unlock()
	go b.readSecretExpiry(runCtx, rt, secret)
	go prepareDetections(runCtx, rt, b.log)
	return nil
}

// readSecretExpiry asks Graph (Application.Read.All) for the secret's real
// end date: it fills in an unknown expiry and warns when the typed one differs.
func (b *backend) readSecretExpiry(ctx context.Context, rt *Runtime, secret string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	app, err := rt.Graph.App(ctx, rt.Config.ClientID)
	if err != nil {
		b.log.Info("could not read the secret's expiry from Microsoft Graph (needs Application.Read.All)", "err", err)
		return
	}
	info, ok := app.SecretFor(secret)
	if !ok || info.End.IsZero() {
		return
	}
	b.mu.Lock()
	typed := b.cfg.SecretExpiry
	b.graphExpiry = info.End
	if typed.IsZero() {
		b.cfg.SecretExpiry = info.End
	}
	cfg := b.cfg
	b.mu.Unlock()
	switch {
	case typed.IsZero():
		b.log.Info("read the client secret's expiry from Microsoft Graph", "expires", info.End.Format("2006-01-02"))
		if err := profile.SaveConfig(b.prof, cfg); err != nil {
			b.log.Warn("saving the secret expiry", "err", err)
		}
		rt.Collector.SetSecretExpiry(info.End)
	case absDuration(info.End.Sub(typed)) >= 24*time.Hour:
		b.log.Warn("the secret expiry entered differs from Entra's", "entered", typed.Format("2006-01-02"), "entra", info.End.Format("2006-01-02"))
	}
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// shutdown stops the collector (the blobs in flight are committed first) and
// closes the store.
func (b *backend) shutdown() {
	b.mu.Lock()
	rt, stop, done, relay := b.rt, b.stop, b.done, b.relay
	b.rt, b.stop, b.done, b.relay = nil, nil, nil, nil
	b.mu.Unlock()
	if rt == nil {
		return
	}
	stop()
	<-done
	relay()
	if err := rt.Close(); err != nil {
		b.log.Warn("closing the store", "err", err)
	}
}

func (b *backend) runtime() *Runtime {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rt
}

func (b *backend) tick(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.evSubs {
		select {
		case ch <- n:
		default: // the reader is behind; it reloads anyway
		}
	}
}

// LoadDraft returns the wizard's saved non-secret fields.
func (b *backend) LoadDraft() setup.Draft {
	var d setup.Draft
	if raw, err := os.ReadFile(b.prof.DraftPath()); err == nil {
		_ = json.Unmarshal(raw, &d)
	}
	if tmpl, _ := b.tenant(); d.Tenant == "" && tmpl != nil {
		d.Tenant, d.ClientID = tmpl.Tenant, tmpl.ClientID
	}
	if d.Cloud == "" {
		d.Cloud = string(auth.Commercial)
	}
	return d
}

// SaveDraft stores the wizard's non-secret fields (mode 0600).
func (b *backend) SaveDraft(d setup.Draft) error {
	if err := b.prof.Ensure(); err != nil {
		return err
	}
	return profile.WriteJSON(b.prof.DraftPath(), d)
}

// configFrom turns the wizard's fields into a config.
func (b *backend) configFrom(d setup.Draft) (profile.Config, error) {
	tenant, err := auth.NormalizeTenant(d.Tenant)
	if err != nil {
		return profile.Config{}, fmt.Errorf("tenant: %w", err)
	}
	client, err := auth.NormalizeClientID(d.ClientID)
	if err != nil {
		return profile.Config{}, fmt.Errorf("client ID: %w", err)
	}
	cfg := profile.Config{Tenant: tenant, ClientID: client, Cloud: d.Cloud, SecretExpiry: d.SecretExpiry}
	if cfg.Cloud == "" {
		cfg.Cloud = string(auth.Commercial)
	}
	if tmpl, _ := b.tenant(); tmpl != nil { // the demo's simulator stands in for every cloud
		cfg.Cloud, cfg.LoginURL, cfg.APIURL, cfg.GraphURL, cfg.CAFile = string(auth.Custom), tmpl.LoginURL, tmpl.APIURL, tmpl.GraphURL, tmpl.CAFile
		cfg.PollSeconds, cfg.RequestsPerMinute = tmpl.PollSeconds, tmpl.RequestsPerMinute
	}
	return cfg, nil
}

// TestConnection runs the checks for the wizard's fields.
// An empty secret means "the stored one": the dashboard's Test connection.
func (b *backend) TestConnection(ctx context.Context, d setup.Draft, secret string, progress func(setup.CheckResult)) setup.CheckReport {
	var (
		cfg profile.Config
		err error
	)
	if secret == "" && b.Configured() {
		cfg, err = profile.LoadConfig(b.prof)
		if err == nil {
			secret, err = b.keys.Get(keychain.Account(cfg.Tenant, cfg.ClientID))
		}
		if err == nil {
			b.RetryNow() // the admin asked: re-subscribe a disabled subscription too
		}
	} else {
		cfg, err = b.configFrom(d)
	}
	if err != nil {
		r := setup.CheckResult{ID: check.IDInputs, Title: check.Title(check.IDInputs), Status: setup.CheckFail, Reason: err.Error(), Step: setup.StepIDs}
		progress(r)
		return setup.CheckReport{Results: []setup.CheckResult{r}}
	}
	ep, err := cfg.Endpoints()
	if err != nil {
		r := setup.CheckResult{ID: check.IDInputs, Title: check.Title(check.IDInputs), Status: setup.CheckFail, Reason: err.Error(), Step: setup.StepCloud}
		progress(r)
		return setup.CheckReport{Results: []setup.CheckResult{r}}
	}
	_, extraCA := b.tenant()
	hc, err := httpClient(cfg, extraCA)
	if err != nil {
		r := setup.CheckResult{ID: check.IDInputs, Title: check.Title(check.IDInputs), Status: setup.CheckFail, Reason: err.Error(), Step: setup.StepCloud}
		progress(r)
		return setup.CheckReport{Results: []setup.CheckResult{r}}
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	rep := check.Run(ctx, check.Input{Tenant: cfg.Tenant, ClientID: cfg.ClientID, Secret: secret, Endpoints: ep, HTTPClient: hc,
		SecretExpiry: cfg.SecretExpiry, Logger: b.log}, func(r check.Result) { progress(toUIResult(r)) })
	out := setup.CheckReport{OK: rep.OK, TenantID: rep.TenantID}
	for _, r := range rep.Results {
		out.Results = append(out.Results, toUIResult(r))
	}
	return out
}

func toUIResult(r check.Result) setup.CheckResult {
	st := map[check.Status]setup.CheckStatus{check.Pending: setup.CheckPending, check.Running: setup.CheckRunning, check.Pass: setup.CheckPass,
		check.Warn: setup.CheckWarn, check.Fail: setup.CheckFail, check.Skip: setup.CheckSkip}[r.Status]
	return setup.CheckResult{ID: r.ID, Title: r.Title, Status: st, Reason: r.Reason, Fix: r.Fix, Step: r.Step, Waitable: r.Waitable}
}

// Connect saves the config, puts the secret in the keychain and starts collecting.
func (b *backend) Connect(ctx context.Context, d setup.Draft, secret string) error {
	if err := b.saveConnection(d, secret); err != nil {
		return err
	}
	return b.startSaved(ctx)
}

// startSaved is Connect's second half: it signs in, opens the store and
// starts collecting on the config saveConnection saved.
func (b *backend) startSaved(ctx context.Context) error {
	if err := b.start(ctx); err != nil {
		return err
	}
	_ = os.Remove(b.prof.DraftPath())
	return nil
}

// saveConnection is Connect's first half: the running collector stopped,
// the secret in the keychain, the config saved (Configured is true from
// then on). The demo builds its window once this is done, while the second
// half (sign-in, store, collector) runs.
func (b *backend) saveConnection(d setup.Draft, secret string) error {
	cfg, err := b.configFrom(d)
	if err != nil {
		return err
	}
	secret, err = auth.NormalizeSecret(secret)
	if err != nil {
		return fmt.Errorf("client secret: %w", err)
	}
	if err := b.prof.Ensure(); err != nil {
		return err
	}
	b.shutdown()
	if err := b.keys.Set(keychain.Account(cfg.Tenant, cfg.ClientID), secret); err != nil {
		return fmt.Errorf("storing the client secret in the OS keychain: %w", err)
	}
	cfg.ConnectedAt = b.clock().UTC()
	if d.AuditPending {
		cfg.AuditPendingSince = cfg.ConnectedAt
	}
	return profile.SaveConfig(b.prof, cfg)
}

// ErrSecretRejected wraps the sign-in failure of a new secret that
// RotateSecret refused to store; the old secret is still in use.
var ErrSecretRejected = errors.New("the new client secret did not work; AuditLight keeps using the old one")

// verifySecret signs in to the Management API with secret for cfg's tenant.
func (b *backend) verifySecret(ctx context.Context, cfg profile.Config, secret string) error {
	ep, err := cfg.Endpoints()
	if err != nil {
		return err
	}
	_, extraCA := b.tenant()
	hc, err := httpClient(cfg, extraCA)
	if err != nil {
		return err
	}
	src, err := auth.NewSource(auth.Config{Endpoints: ep, Tenant: cfg.Tenant, ClientID: cfg.ClientID, Secret: secret,
		HTTPClient: hc, Logger: b.log})
	if err != nil {
		return fmt.Errorf("setting up sign-in with the new secret: %w", err)
	}
	if _, err := src.Token(ctx, auth.API); err != nil {
		reason, _, _ := health.Explain(err)
		return fmt.Errorf("%w: %s", ErrSecretRejected, reason)
	}
	return nil
}

// RotateSecret signs in with the new secret first and only when that works
// stores it (replacing the old one) with its expiry and reconnects; a
// rejected secret returns an error wrapping ErrSecretRejected and changes
// nothing.
func (b *backend) RotateSecret(ctx context.Context, secret string, expiry time.Time) error {
	secret, err := auth.NormalizeSecret(secret)
	if err != nil {
		return fmt.Errorf("client secret: %w", err)
	}
	if auth.LooksLikeSecretID(secret) {
		return errors.New(auth.SecretIDHint)
	}
	cfg, err := profile.LoadConfig(b.prof)
	if err != nil {
		return err
	}
	// Sign in with the new secret before touching the working one: a
	// mistyped value must leave the old secret (and the green light) alone.
	if err := b.verifySecret(ctx, cfg, secret); err != nil {
		return err
	}
	b.shutdown()
	if err := b.keys.Set(keychain.Account(cfg.Tenant, cfg.ClientID), secret); err != nil {
		if rerr := b.start(ctx); rerr != nil {
			b.log.Error("restarting with the old secret", "err", rerr)
		}
		return fmt.Errorf("storing the new client secret in the OS keychain: %w", err)
	}
	cfg.SecretExpiry = expiry
	if err := profile.SaveConfig(b.prof, cfg); err != nil {
		return err
	}
	return b.start(ctx)
}

// ErrDataNotDeleted wraps a failure to delete the local event store after
// the tenant itself was disconnected: AuditLight is disconnected, only the
// files remain.
var ErrDataNotDeleted = errors.New("disconnected, but the local events could not be deleted")

// Disconnect stops collecting, removes the keychain item and the config, and
// deletes the local events unless keepData. Forgetting the tenant is all or
// nothing: when removing the secret or the settings fails, what was already
// removed is put back and collection resumes, so the app is either still
// connected (and says so) or fully disconnected. A failure to delete the
// events afterwards wraps ErrDataNotDeleted.
func (b *backend) Disconnect(ctx context.Context, keepData bool) error {
	cfg, err := profile.LoadConfig(b.prof)
	if err != nil && !errors.Is(err, profile.ErrNotConfigured) {
		return err
	}
	configured := err == nil
	b.shutdown()
	if configured {
		if err := b.forget(ctx, cfg); err != nil {
			return err
		}
	} else if err := os.Remove(b.prof.ConfigPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the settings: %w", err)
	}
	b.mu.Lock()
	b.cfg = profile.Config{}
	b.mu.Unlock()
	b.publishIdle()
	if !keepData {
		if err := os.RemoveAll(b.prof.DataDir()); err != nil {
			return fmt.Errorf("%w (delete %s by hand): %w", ErrDataNotDeleted, b.prof.DataDir(), err)
		}
	}
	return nil
}

// forget removes the settings and the secret, or neither: on a failure the
// removed part is restored and the collector restarted.
func (b *backend) forget(ctx context.Context, cfg profile.Config) error {
	account := keychain.Account(cfg.Tenant, cfg.ClientID)
	restart := func() {
		if err := b.start(ctx); err != nil {
			b.log.Error("restarting after a failed disconnect", "err", err)
		}
	}
	if err := os.Remove(b.prof.ConfigPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		restart()
		return fmt.Errorf("removing the settings (still connected): %w", err)
	}
	if derr := b.keys.Delete(account); derr != nil && !errors.Is(derr, keychain.ErrNotFound) {
		if err := profile.SaveConfig(b.prof, cfg); err != nil {
			b.log.Error("restoring the settings after a failed disconnect", "err", err)
		} else {
			restart()
		}
		return fmt.Errorf("removing the client secret from the OS keychain (still connected): %w", derr)
	}
	return nil
}

// Configured reports whether a tenant is set up.
func (b *backend) Configured() bool {
	_, err := profile.LoadConfig(b.prof)
	return err == nil
}

// SubscribeStatus relays the collector's status; it survives reconnects.
func (b *backend) SubscribeStatus() (<-chan health.Status, func()) { return b.status.Subscribe() }

// SubscribeEvents ticks when the collector stores new rows.
func (b *backend) SubscribeEvents() (<-chan int, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan int, 1)
	id := b.nextSub
	b.nextSub++
	b.evSubs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.evSubs, id)
			b.mu.Unlock()
		})
	}
}

func toFilter(f events.Filter) store.Filter {
	sf := store.Filter{Workloads: f.Workloads, ContentTypes: f.ContentTypes, Result: f.Result, Since: f.Since, Until: f.Until, Text: f.Text, Limit: f.Limit, IDs: f.IDs}
	if f.Before != nil {
		sf.Before = &store.Position{CreationTime: f.Before.Time, ID: f.Before.ID}
	}
	return sf
}

func toRow(ev store.Event) events.Row {
	return events.Row{ID: ev.ID, Time: ev.CreationTime, User: ev.UserID, UserDisplay: ev.UserDisplay, Operation: ev.Operation,
		Workload: ev.Workload, ContentType: ev.ContentType, ClientIP: ev.ClientIP, Result: ev.Result, ObjectID: ev.ObjectID, Raw: ev.Raw}
}

var errNoStore = errors.New("not connected yet")

// Events returns a page of the feed: the columns only, no record (Record
// reads the one shown), so a page reads and decompresses no chunk and a deep
// scroll holds no records.
func (b *backend) Events(ctx context.Context, f events.Filter) ([]events.Row, error) {
	rt := b.runtime()
	if rt == nil {
		return nil, nil
	}
	sf := toFilter(f)
	sf.WithoutRaw = true
	evs, err := rt.Store.Query(ctx, sf)
	if err != nil {
		return nil, err
	}
	rows := make([]events.Row, len(evs))
	for i, ev := range evs {
		rows[i] = toRow(ev)
	}
	return rows, nil
}

// Record returns the original JSON of one stored record.
func (b *backend) Record(ctx context.Context, id string, at time.Time) ([]byte, error) {
	rt := b.runtime()
	if rt == nil {
		return nil, errNoStore
	}
	ev, err := rt.Store.Get(ctx, id, at)
	if err != nil {
		return nil, err
	}
	return ev.Raw, nil
}

// CountEvents counts the events matching f.
func (b *backend) CountEvents(ctx context.Context, f events.Filter) (int64, error) {
	rt := b.runtime()
	if rt == nil {
		return 0, nil
	}
	sf := toFilter(f)
	sf.Limit, sf.Before = 0, nil
	return rt.Store.Count(ctx, sf)
}

// HourlyCounts feeds the activity chart.
func (b *backend) HourlyCounts(ctx context.Context, since, until time.Time) ([]ui.HourCount, error) {
	rt := b.runtime()
	if rt == nil {
		return nil, nil
	}
	hs, err := rt.Store.HourlyCounts(ctx, since, until)
	if err != nil {
		return nil, err
	}
	out := make([]ui.HourCount, len(hs))
	for i, h := range hs {
		out[i] = ui.HourCount{Hour: h.Hour, Workload: h.Workload, Count: h.Count}
	}
	return out, nil
}

// Export streams the filtered events as CSV (formula-safe) or JSON lines.
func (b *backend) Export(ctx context.Context, f events.Filter, format events.ExportFormat, w io.Writer, progress func(done, total int64)) error {
	rt := b.runtime()
	if rt == nil {
		return errNoStore
	}
	sf := toFilter(f)
	sf.Limit, sf.Before = 0, nil
	total, err := rt.Store.Count(ctx, sf)
	if err != nil {
		return err
	}
	rows := func(yield func(events.Row, error) bool) {
		var done int64
		stop := errors.New("stop")
		err := rt.Store.ForEach(ctx, sf, func(ev store.Event) error {
			done++
			if progress != nil && (done%1000 == 0 || done == total) {
				progress(done, total)
			}
			if !yield(toRow(ev), nil) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			yield(events.Row{}, err)
		}
	}
	var seq iter.Seq2[events.Row, error] = rows
	if format == events.JSONLines {
		_, err = events.WriteJSONLines(w, seq)
	} else {
		_, err = events.WriteCSV(w, seq)
	}
	if progress != nil && err == nil {
		progress(total, total)
	}
	return err
}

// Pause stops polling.
func (b *backend) Pause() {
	if rt := b.runtime(); rt != nil {
		rt.Collector.Pause()
	}
}

// Resume restarts polling.
func (b *backend) Resume() {
	if rt := b.runtime(); rt != nil {
		rt.Collector.Resume()
	}
}

// RetryNow polls at once.
func (b *backend) RetryNow() {
	if rt := b.runtime(); rt != nil {
		rt.Collector.RetryNow()
	}
}

// SecretExpiry is the configured secret's expiry.
func (b *backend) SecretExpiry() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cfg.SecretExpiry
}

// ReminderText is the secret-expiry reminder in force (30 days or less
// before expiry, or expired), "" otherwise; the countdown itself is shown
// separately by the dashboard.
func (b *backend) ReminderText() string {
	exp := b.SecretExpiry()
	if exp.IsZero() {
		return ""
	}
	b.mu.Lock()
	fromGraph := b.graphExpiry
	b.mu.Unlock()
	if !fromGraph.IsZero() && absDuration(fromGraph.Sub(exp)) >= 24*time.Hour {
		return "Entra says this client secret expires on " + fromGraph.Format("2006-01-02") + ", not " + exp.Format("2006-01-02") +
			" as entered. Use Rotate secret to correct the date (or to enter the secret you meant)."
	}
	left := exp.Sub(b.clock())
	switch {
	case left <= 0:
		return "The client secret has expired: AuditLight can no longer collect. Create a new secret in the Entra admin center and use Rotate secret."
	case left <= 30*24*time.Hour:
		return "Reminder: create a new client secret in the Entra admin center (Certificates & secrets) before " +
			exp.Format("2006-01-02") + ", then use Rotate secret — an expired secret silently stops collection."
	}
	return ""
}
