package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/notify"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/auditrec"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/check"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/internal/memlimit"
)

// newLogger logs to stderr (text) and, when path is set, also to a file.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func (e *env) resolve() (profile.Profile, error) { return profile.Resolve(e.profile) }

// configured loads what every connected command needs: the profile, its
// config and the client secret.
func (e *env) configured() (profile.Profile, profile.Config, string, error) {
	p, err := e.resolve()
	if err != nil {
		return p, profile.Config{}, "", err
	}
	cfg, err := profile.LoadConfig(p)
	if err != nil {
		return p, cfg, "", err
	}
	secret, err := secretFor(e, e.keychain(), cfg)
	return p, cfg, secret, err
}

func runConfigure(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "configure", "configure --tenant T --client-id C [--cloud commercial|gcc|gcchigh|dod|custom] [--secret-stdin] [flags]")
	tenant := fs.String("tenant", "", "Directory (tenant) ID: a GUID or a *.onmicrosoft.com domain")
	clientID := fs.String("client-id", "", "Application (client) ID (a GUID)")
	cloud := fs.String("cloud", "commercial", "cloud: commercial, gcc, gcchigh, dod or custom")
	loginURL := fs.String("login-url", "", "custom cloud: Entra ID login URL")
	apiURL := fs.String("api-url", "", "custom cloud: Management API root URL")
	graphURL := fs.String("graph-url", "", "custom cloud: Microsoft Graph URL including /v1.0")
	caFile := fs.String("ca-file", "", "extra CA certificate (PEM) to trust, e.g. the simulator's")
	expiry := fs.String("secret-expiry", "", "the secret's expiry date as Entra shows it (YYYY-MM-DD)")
	secretStdin := fs.Bool("secret-stdin", false, "read the client secret from standard input (else $"+EnvSecret+")")
	skipCheck := fs.Bool("no-check", false, "save without running the test connection")
	rpm := fs.Int("requests-per-minute", 0, "pace Management API requests (default 1500, under Microsoft's 2000/min; raise only for the simulator)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	if err := profile.CheckSafe(p); err != nil {
		return err
	}
	t, err := auth.NormalizeTenant(*tenant)
	if err != nil {
		return fmt.Errorf("--tenant: %w", err)
	}
	c, err := auth.NormalizeClientID(*clientID)
	if err != nil {
		return fmt.Errorf("--client-id: %w", err)
	}
	cl, err := auth.ParseCloud(*cloud)
	if err != nil {
		return fmt.Errorf("--cloud: %w", err)
	}
	if *rpm < 0 {
		return errNegative("requests-per-minute", *rpm)
	}
	for _, u := range []struct{ name, v string }{{"login-url", *loginURL}, {"api-url", *apiURL}, {"graph-url", *graphURL}} {
		if err := checkURLFlag(u.name, u.v); err != nil {
			return err
		}
	}
	if *caFile != "" {
		if _, err := readCAFile(*caFile); err != nil {
			return fmt.Errorf("--ca-file: %w", err)
		}
	}
	raw := e.getenv(EnvSecret)
	if *secretStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the secret from stdin: %w", err)
		}
		raw = line
	}
	secret, err := auth.NormalizeSecret(raw)
	if err != nil {
		return fmt.Errorf("client secret (--secret-stdin or $%s): %w", EnvSecret, err)
	}
	if auth.LooksLikeSecretID(secret) {
		return fmt.Errorf("client secret: %s", auth.SecretIDHint)
	}
	cfg := profile.Config{Tenant: t, ClientID: c, Cloud: string(cl), LoginURL: *loginURL, APIURL: *apiURL, GraphURL: *graphURL, CAFile: *caFile,
		RequestsPerMinute: *rpm}
	if *expiry != "" {
		d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(*expiry), time.Local)
		if err != nil {
			return fmt.Errorf("--secret-expiry: want YYYY-MM-DD: %w", err)
		}
		if err := checkExpiryDate(d, time.Now()); err != nil {
			return err
		}
		cfg.SecretExpiry = d
	}
	if _, err := cfg.Endpoints(); err != nil {
		return err
	}
	if !*skipCheck {
		rep, err := runChecks(ctx, cfg, secret, nil)
		if err != nil {
			return err
		}
		if !rep.OK {
			fmt.Fprint(e.stdout, rep.Text())
			return &exitError{code: 1, err: errors.New("the test connection failed; nothing was saved")}
		}
		cfg.TenantID = rep.TenantID
	}
	ks := e.keychain()
	if err := ks.Set(keychain.Account(cfg.Tenant, cfg.ClientID), secret); err != nil {
		return fmt.Errorf("storing the client secret in the OS keychain: %w", err)
	}
	cfg.ConnectedAt = time.Now().UTC()
	if err := p.Ensure(); err != nil {
		return err
	}
	if err := profile.SaveConfig(p, cfg); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Saved the settings in %s and the client secret in the OS keychain.\n", p.ConfigPath())
	return nil
}

// runChecks runs the test connection for cfg.
func runChecks(ctx context.Context, cfg profile.Config, secret string, progress func(check.Result)) (check.Report, error) {
	ep, err := cfg.Endpoints()
	if err != nil {
		return check.Report{}, err
	}
	hc, err := httpClient(cfg, nil)
	if err != nil {
		return check.Report{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return check.Run(ctx, check.Input{Tenant: cfg.Tenant, ClientID: cfg.ClientID, Secret: secret, Endpoints: ep,
		HTTPClient: hc, SecretExpiry: cfg.SecretExpiry}, progress), nil
}

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check", "check [--json]")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	_, cfg, secret, err := e.configured()
	if err != nil {
		return err
	}
	progress := func(r check.Result) {
		if !*asJSON && r.Status != check.Running {
			fmt.Fprintf(e.stdout, "[%s] %s: %s\n", r.Status, r.Title, r.Reason)
			if r.Fix != "" && (r.Status == check.Fail || r.Status == check.Warn) {
				fmt.Fprintf(e.stdout, "    Fix: %s\n", r.Fix)
			}
		}
	}
	rep, err := runChecks(ctx, cfg, secret, progress)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	}
	if !rep.OK {
		f, _ := rep.Failed()
		return &exitError{code: 1, err: fmt.Errorf("test connection failed at %q", f.Title)}
	}
	if !*asJSON {
		fmt.Fprintln(e.stdout, "Result: connected")
	}
	return nil
}

func runCollect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "collect", "collect [--once] [--verbose]")
	once := fs.Bool("once", false, "drain everything available now, then exit (0 on success)")
	verbose := fs.Bool("verbose", false, "debug logging")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, cfg, secret, err := e.configured()
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	// Headless runs log to the profile too (rotated), so diagnostics has a tail.
	log, closeLog := profileLogger(e.stderr, p, level, secret)
	defer closeLog()
	rt, err := openRuntime(ctx, p, cfg, secret, log, runtimeOptions{command: "collect"})
	if err != nil {
		return err
	}
	defer rt.Close()
	defer memlimit.Start(e.getenv, memlimit.DefaultFloor)()
	stopStatus := persistStatus(ctx, rt, log)
	defer stopStatus()
	prepareDetections(ctx, rt, log)
	if *once {
		start := time.Now()
		before, _ := rt.Store.Total(ctx)
		err := rt.Collector.Drain(ctx)
		after, _ := rt.Store.Total(ctx)
		log.Info("drain finished", "newRecords", after-before, "totalRecords", after, "took", time.Since(start).Round(time.Millisecond))
		if errors.Is(err, store.ErrCorrupt) {
			return &exitError{code: 1, err: explainStoreError(p, err)}
		}
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("collection incomplete: %w", err)}
		}
		return nil
	}
	log.Info("collecting; press Ctrl+C to stop", "tenant", cfg.TenantID, "profile", p.Dir)
	if err := rt.Collector.Run(ctx); errors.Is(err, store.ErrCorrupt) {
		return explainStoreError(p, err)
	} else if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	log.Info("stopped; checkpoints committed")
	return nil
}

const metaLastStatus = "last_status"

// persistStatus keeps the latest status in the store so `auditlight status`
// can show it from another process, and logs state changes.
func persistStatus(ctx context.Context, rt *Runtime, log *slog.Logger) func() {
	ch, cancel := rt.Collector.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		var last health.State = -1
		for st := range ch {
			if st.State != last {
				log.Info("status", "state", st.State.String(), "colour", st.Colour, "reason", st.Reason)
				last = st.State
			}
			if b, err := json.Marshal(st); err == nil {
				_ = rt.Store.SetMeta(context.WithoutCancel(ctx), metaLastStatus, string(b))
			}
		}
	}()
	return func() { cancel(); <-done }
}

func runStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "status", "status [--json]")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	st, err := currentStatus(ctx, p, time.Now(), checkFile)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStatus(e.stdout, st)
	return nil
}

func printStatus(w io.Writer, st health.Status) {
	fmt.Fprintf(w, "Status: %s (%s)\n%s\n", st.State, st.Colour, st.Reason)
	if st.Fix != "" {
		fmt.Fprintf(w, "Fix: %s\n", st.Fix)
	}
	if !st.At.IsZero() {
		fmt.Fprintf(w, "As of: %s\n", st.At.Local().Format("2006-01-02 15:04:05"))
	}
	if !st.LastPoll.IsZero() {
		fmt.Fprintf(w, "Last successful poll: %s\n", st.LastPoll.Local().Format("2006-01-02 15:04:05"))
	}
	fmt.Fprintf(w, "Records stored: %d\n", st.TotalRecords)
	for _, wl := range st.Workloads {
		line := fmt.Sprintf("  %-28s 24h: %7d", wl.Name, wl.Records24h)
		if !wl.LastRecord.IsZero() {
			line += "  newest: " + wl.LastRecord.Local().Format("2006-01-02 15:04")
		}
		if wl.Backfilling {
			line += fmt.Sprintf("  backfill %.0f%%", wl.BackfillPercent)
		}
		if wl.Error != "" {
			line += "  ! " + wl.Error
		}
		fmt.Fprintln(w, line)
	}
	if st.DeadLetters > 0 {
		fmt.Fprintf(w, "Blobs waiting for a retry: %d\n", st.DeadLetters)
	}
	for _, g := range st.Gaps {
		note := ""
		if g.AtLimit {
			note = " (at Microsoft's 7-day limit when collection began; not a fault)"
		}
		fmt.Fprintf(w, "Gap: %s %s – %s: %s%s\n", g.ContentType, g.From.Local().Format("2006-01-02 15:04"), g.To.Local().Format("2006-01-02 15:04"), g.Reason, note)
	}
	if !st.SecretExpiry.IsZero() {
		fmt.Fprintf(w, "Client secret expires: %s\n", st.SecretExpiry.Format("2006-01-02"))
	}
}

func runEvents(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "events", "events [--since T] [--until T] [--workload W] [--operation OP] [--user U] [--result failed|succeeded] [--limit N] [--json]")
	since := fs.String("since", "", "only events at or after this time (RFC 3339, YYYY-MM-DD, or a duration like 24h)")
	until := fs.String("until", "", "only events before this time")
	workload := fs.String("workload", "", "workload, e.g. Exchange, SharePoint, AzureActiveDirectory")
	operation := fs.String("operation", "", "operation, e.g. New-InboxRule")
	user := fs.String("user", "", "user (UPN)")
	result := fs.String("result", "", "failed or succeeded")
	text := fs.String("search", "", "free text over user, operation, IP and object")
	limit := fs.Int("limit", 50, "at most this many events (0 = all)")
	asJSON := fs.Bool("json", false, "one stored record per line, exactly as Microsoft sent it")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	cfg, err := profile.LoadConfig(p)
	if err != nil {
		return err
	}
	if *limit < 0 {
		return errNegative("limit", *limit)
	}
	f := store.Filter{Operation: *operation, User: *user, Text: *text, Limit: *limit}
	if *result != "" {
		r, ok := auditrec.CanonicalResult(*result)
		if !ok {
			return fmt.Errorf("--result %q: use failed or succeeded", *result)
		}
		f.Result = r
	}
	if *workload != "" {
		f.Workloads = []string{*workload}
	}
	now := time.Now()
	if f.Since, err = parseWhen(*since, now); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	if f.Until, err = parseWhen(*until, now); err != nil {
		return fmt.Errorf("--until: %w", err)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return fmt.Errorf("--until (%s) is not after --since (%s)", f.Until.Format(time.RFC3339), f.Since.Format(time.RFC3339))
	}
	s, err := openStoreForReading(ctx, p, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	if !*asJSON {
		fmt.Fprintf(w, "%-19s  %-32s  %-24s  %-20s  %-15s  %s\n", "TIME", "USER", "OPERATION", "WORKLOAD", "CLIENT IP", "RESULT")
	}
	n := 0
	err = s.ForEach(ctx, f, func(ev store.Event) error {
		n++
		if *asJSON {
			w.Write(ev.Raw)
			return w.WriteByte('\n')
		}
		user := ev.UserID
		if ev.UserDisplay != "" {
			user = ev.UserDisplay
		}
		_, err := fmt.Fprintf(w, "%-19s  %-32s  %-24s  %-20s  %-15s  %s\n", ev.CreationTime.Local().Format("2006-01-02 15:04:05"),
			clip(user, 32), clip(ev.Operation, 24), clip(ev.Workload, 20), clip(ev.ClientIP, 15), auditrec.ResultLabel(ev.Result))
		return err
	})
	if errors.Is(err, store.ErrCorrupt) {
		w.Flush()
		return fmt.Errorf("stopped after %d events: %w", n, explainStoreError(p, err))
	}
	if err != nil {
		return err
	}
	if n == 0 && !*asJSON {
		fmt.Fprintln(w, "(no events match)")
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// parseWhen accepts RFC 3339, YYYY-MM-DD (local) or a duration meaning "ago".
func parseWhen(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("%q is a negative duration; a duration means that long ago (e.g. 24h)", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time (use RFC 3339, YYYY-MM-DD or a duration like 24h)", s)
}

func runDiagnostics(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "diagnostics", "diagnostics [--out FILE]")
	out := fs.String("out", "", "write to FILE instead of standard output")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	if *out != "" {
		return writeFileChecked(*out, func(w io.Writer) error { return writeDiagnostics(ctx, w, p) })
	}
	return writeDiagnostics(ctx, e.stdout, p)
}

// writeDiagnostics writes what support needs: version, settings (no
// secret: the config never holds one), status and the log's tail.
func writeDiagnostics(ctx context.Context, w io.Writer, p profile.Profile) error {
	fmt.Fprintf(w, "AuditLight %s diagnostics, %s\nProfile: %s\n", Version, time.Now().UTC().Format(time.RFC3339), p.Dir)
	notePath, noteWhy := notify.Describe(ID)
	fmt.Fprintf(w, "Notifications: %s (%s)\n\n", notePath, noteWhy)
	if cfg, err := profile.LoadConfig(p); err == nil {
		b, _ := json.MarshalIndent(cfg, "", "  ")
		fmt.Fprintf(w, "Settings:\n%s\n\n", b)
		if s, err := openStoreForReading(ctx, p, cfg); err == nil {
			if v, ok, _ := s.Meta(ctx, metaLastStatus); ok {
				var st health.Status
				if json.Unmarshal([]byte(v), &st) == nil {
					printStatus(w, st)
				}
			}
			s.Close()
		}
	} else {
		fmt.Fprintf(w, "Settings: %v\n", err)
	}
	if b, err := os.ReadFile(p.LogPath()); err == nil {
		if len(b) > 64<<10 {
			b = b[len(b)-64<<10:]
		}
		fmt.Fprintf(w, "\nLog (tail):\n%s\n", b)
	}
	return nil
}
