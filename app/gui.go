package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/trace"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"github.com/auditlight/auditlight/app/fynelog"
	"github.com/auditlight/auditlight/app/instance"
	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/notify"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/app/reminders"
	"github.com/auditlight/auditlight/assets"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/walkthrough"
	"github.com/auditlight/auditlight/internal/ctxsleep"
	"github.com/auditlight/auditlight/internal/macapp"
	"github.com/auditlight/auditlight/internal/memlimit"
	"github.com/auditlight/auditlight/ui"
	"github.com/auditlight/auditlight/ui/setup"
	"github.com/auditlight/auditlight/ui/uigate"
)

// validator hands the wizard the real input rules.
func validator() setup.Validator {
	return setup.Validator{Tenant: auth.NormalizeTenant, ClientID: auth.NormalizeClientID, Secret: auth.NormalizeSecret,
		LooksLikeSecretID: auth.LooksLikeSecretID}
}

// guiLogger logs to the profile's rotated log file and to stderr.
func guiLogger(e *env, p profile.Profile) (*slog.Logger, func()) {
	return profileLogger(e.stderr, p, slog.LevelInfo)
}

func runGUI(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "gui", "[gui] [--hidden]")
	hidden := fs.Bool("hidden", false, "start in the tray without showing the window (used by Start at login)")
	var size windowSize
	fs.Var(&size, "size", "initial window size `WxH` in pixels, e.g. 1024x700 (default 1100x760)")
	tab := fs.String("tab", "", tabFlagUsage)
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
	if err := p.Ensure(); err != nil {
		return err
	}
	log, closeLog := guiLogger(e, p)
	defer closeLog()
	activate := make(chan struct{}, 1)
	quitAsked := make(chan struct{}, 1)
	signal := func(c chan struct{}) func() {
		return func() {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
	inst, err := instance.AcquireWith(p.Dir, instance.Handlers{Activate: signal(activate), Quit: signal(quitAsked)})
	if errors.Is(err, instance.ErrAlreadyRunning) {
		fmt.Fprintln(e.stdout, "AuditLight is already running; its window was brought forward.")
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking for another AuditLight: %w", err)
	}
	defer inst.Close()
	e.startGLWarm(log)
	defer memlimit.Start(e.getenv, memlimit.DefaultFloor)()
	hold, release := newBackfillHold()
	defer release()
	b := newBackend(p, e.keychain(), log)
	b.backfillHold = hold
	if b.Configured() {
		// Until the collector publishes, show the saved status as it is true now.
		if st, err := currentStatus(ctx, p, time.Now(), skipFileCheck); err == nil {
			b.status.Publish(st)
		}
		// The tray keeps running whatever happens; a keychain that cannot be
		// read yet (locked, its service not up after login) is retried.
		go func() {
			if err := b.startRetrying(ctx, ctxsleep.Sleep); err != nil { // start publishes the failure as the status
				log.Error("starting the collector", "err", err)
			}
		}()
	}
	defer b.shutdown()
	return showGUI(ctx, e, p, b, log, guiOptions{hidden: *hidden, activate: activate, quit: quitAsked, login: &loginItem{prof: p}, size: size, tab: *tab,
		windowUp: release, atForcedExit: func() { inst.Close(); closeLog() }})
}

// runDemo opens the GUI on the built-in simulator with a throwaway profile
// and an in-memory secret store: the user's keychain and config are never
// touched.
func runDemo(ctx context.Context, e *env, scenario string, args []string) error {
	fs := newFlags(e, "--demo", "--demo [--scenario NAME] [--hidden] [--run-test TEST]")
	hidden := fs.Bool("hidden", false, "start in the tray without showing the window")
	var size windowSize
	fs.Var(&size, "size", "initial window size `WxH` in pixels, e.g. 1024x700 (default 1100x760)")
	tab := fs.String("tab", "", tabFlagUsage)
	runTest := fs.String("run-test", "", "start a detection test at launch, its action done by the demo tenant: `TEST` is "+
		string(walkthrough.ForwardingRule)+" or "+string(walkthrough.GlobalAdmin)+" (for a presentation; see the Test detections tab)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *runTest != "" {
		if _, ok := walkthrough.TestByID(walkthrough.TestID(*runTest)); !ok {
			return fmt.Errorf("--run-test: unknown detection test %q (want %s or %s)", *runTest, walkthrough.ForwardingRule, walkthrough.GlobalAdmin)
		}
	}
	dir, err := os.MkdirTemp("", "auditlight-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p := profile.Profile{Dir: dir}
	if err := p.Ensure(); err != nil {
		return err
	}
	log, closeLog := guiLogger(e, p)
	defer closeLog()
	e.startGLWarm(log)
	hold, release := newBackfillHold()
	defer release()
	b := newDemoBackend(p, log, hold)
	// The simulator starts and the backend connects to it beside the
	// window: meanwhile the main thread makes the tray and the window (GL
	// contexts), which need neither (issue 12).
	type started struct {
		sim *simulator.Sim
		err error
	}
	// The window's screens need only the saved config (saved); the sign-in,
	// the store and the collector go on beside the window (connected).
	var res started
	connected := make(chan struct{})
	saved := make(chan struct{})
	markSaved := sync.OnceFunc(func() { close(saved) })
	go func() {
		defer trace.StartRegion(ctx, "demo: simulator and connect").End()
		sim, err := connectDemoSaved(ctx, b, p, scenario, log, markSaved)
		res = started{sim, err}
		close(connected)
		markSaved() // not saved: the window must not wait for it
	}()
	wait := func() started {
		<-connected
		return res
	}
	// On the way out: the connection under way ends first (it may start
	// the collector), then the collector stops, then the tenant it talks
	// to closes. Deferred, and run by a forced exit (atForcedExit below).
	teardown := sync.OnceFunc(func() {
		s := wait()
		b.shutdown()
		if s.sim != nil {
			s.sim.Close()
		}
	})
	defer teardown()
	ready := func() error {
		<-saved
		select {
		case <-connected:
			if res.err != nil {
				return res.err
			}
		default: // signing in: the window shows "Connecting…" meanwhile
		}
		if *runTest != "" {
			if s := wait(); s.err != nil {
				return s.err
			}
			if _, err := b.PerformTestAction(ctx, walkthrough.TestID(*runTest)); err != nil {
				log.Error("starting the detection test", "test", *runTest, "err", err)
			} else {
				log.Info("detection test started", "test", *runTest)
			}
		}
		return nil
	}
	return showGUI(ctx, e, p, b, log, guiOptions{demo: true, hidden: *hidden, size: size, tab: *tab, ready: ready, windowUp: release,
		atForcedExit: func() { teardown(); closeLog(); os.RemoveAll(dir) }})
}

// newDemoBackend is the demo's backend before its tenant exists: secret in
// memory, the backfill held by hold, and the status "Connecting…" (not the
// grey "not set up": the demo connects by itself).
func newDemoBackend(p profile.Profile, log *slog.Logger, hold <-chan struct{}) *backend {
	b := newBackend(p, &keychain.Memory{}, log)
	b.backfillHold = hold
	b.status.Publish(health.Evaluate(health.Inputs{Configured: true}, b.clock(), health.Thresholds{}))
	return b
}

// newBackfillHold returns the hold a GUI's collector starts under
// (collector.Options.BackfillHold) and its release, which may be called any
// number of times. The GUI releases it once its window is up; the hold
// ends by itself after backfillHoldMax whatever happens.
func newBackfillHold() (<-chan struct{}, func()) {
	hold := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(hold) }) }
	t := time.AfterFunc(backfillHoldMax, release)
	return hold, func() { t.Stop(); release() }
}

// backfillHoldMax bounds how long a GUI's backfill waits for the window.
const backfillHoldMax = 10 * time.Second

// connectDemo starts the simulator's tenant for scenario and connects b
// (a newDemoBackend on profile p) to it. A failed connection is logged and
// shown by b's status; only a simulator that cannot start is an error.
func connectDemo(ctx context.Context, b *backend, p profile.Profile, scenario string, log *slog.Logger) (*simulator.Sim, error) {
	return connectDemoSaved(ctx, b, p, scenario, log, nil)
}

// connectDemoSaved is connectDemo calling saved (when not nil) as soon as
// the demo's config is saved — b is Configured, so the window can build
// its screens — before it signs in, opens the store and starts the
// collector (issue 12: the window need not wait for those). A simulator
// that cannot start, or a config that cannot be saved, never calls saved.
func connectDemoSaved(ctx context.Context, b *backend, p profile.Profile, scenario string, log *slog.Logger, saved func()) (*simulator.Sim, error) {
	// The demo tenant outlives ctx (SIGTERM, Ctrl+C end it): it is closed
	// after the collector stopped, so the collector's last requests are
	// answered, not cut into retries, and the server has no request left
	// to wait for when it closes.
	sim, err := simulator.Start(context.WithoutCancel(ctx), simulator.Config{Scenario: scenario, Seed: 1, Logger: log.With("component", "simulator")})
	if err != nil {
		return nil, fmt.Errorf("starting the demo tenant: %w", err)
	}
	// The demo tenant is local: lift its request budget so the 7-day
	// backfill takes seconds, not minutes.
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	caFile := filepath.Join(p.Dir, "simulator-ca.pem")
	if err := sim.WriteCAFile(caFile); err != nil {
		sim.Close()
		return nil, err
	}
	t := sim.Tenant()
	tmpl := &profile.Config{Tenant: t.Domain, ClientID: t.ClientID, Cloud: string(auth.Custom), LoginURL: sim.LoginURL(),
		APIURL: sim.APIURL(), GraphURL: sim.GraphURL(), CAFile: caFile, PollSeconds: demoPollSeconds, RequestsPerMinute: 60000}
	b.useTenant(tmpl, sim.CertPool(), func(test string) error { _, err := sim.AdminAction(test, demoActionDelay); return err })
	log.Info("demo tenant", "tenant", t.Domain, "scenario", scenario, "profile", p.Dir)
	if err := b.saveConnection(setup.Draft{Tenant: t.Domain, ClientID: t.ClientID, Cloud: string(auth.Custom), SecretExpiry: t.SecretExpiry}, t.Secret); err != nil {
		log.Error("connecting to the demo tenant", "err", err)
		return sim, nil
	}
	trace.Log(ctx, "demo", "config saved")
	if saved != nil {
		saved()
	}
	if err := b.startSaved(ctx); err != nil {
		log.Error("connecting to the demo tenant", "err", err)
	}
	return sim, nil
}

type guiOptions struct {
	size     windowSize // zero = 1100×760
	tab      string     // the tab to open on ("" = Status)
	login    *loginItem // nil in the demo: a throwaway profile never starts at login
	hidden   bool
	demo     bool
	activate <-chan struct{} // another launch or a notification click: bring the window forward
	quit     <-chan struct{} // `auditlight quit` (the installer): quit as the tray's Quit does
	// ready, when set, is waited for once the tray is up and before the
	// window's screens are made: the demo saves its config meanwhile (its
	// sign-in, store and collector go on beside the window). Its error
	// ends the GUI before the event loop starts.
	ready func() error
	// atForcedExit, when set, runs the caller's clean-up (its deferred
	// calls will not run) before the process exits because Fyne's Run never
	// returned after a quit (loopwatch.go); the collector is stopped first.
	atForcedExit func()
	// windowUp, when set, is called once Fyne's event loop runs, with the
	// tray and the window made (it releases the collector's backfill hold).
	windowUp func()
}

// showGUI builds the window and the tray and runs the Fyne event loop until Quit.
func showGUI(ctx context.Context, e *env, p profile.Profile, b *backend, log *slog.Logger, o guiOptions) error {
	if e.newApp == nil {
		return errors.New("this build has no GUI driver")
	}
	logFile := p.LogPath()
	if o.demo {
		logFile = "" // a throwaway profile, removed on exit
	}
	defer fynelog.Route(log, logFile, fynelog.ShowGraphicsFailure, os.Exit)()
	// The collector works while only the menu-bar light is there: on macOS,
	// App Nap would otherwise stretch its timers and network I/O.
	defer macapp.KeepWorking("collecting the Microsoft 365 audit log")()
	region := trace.StartRegion(ctx, "gui: app and window")
	a := e.newApp()
	fonts := fontWarm{}
	if !o.hidden {
		// The first frame measures text; the fonts are parsed on another
		// core while this thread makes the GL windows.
		fonts = startFontWarm(warmFonts)
	}
	a.SetIcon(assets.AppIcon())
	title := "AuditLight"
	if o.demo {
		title += " — demo tenant"
	}
	// Hidden in the tray, the window lets go of its rows (issue 12).
	w := ui.NewVisibilityWindow(a.NewWindow(title))
	w.Resize(o.size.orDefault())
	// dw shows/hides the macOS Dock icon with the window (a no-op elsewhere).
	dw := dockWindow{Window: w, dock: macapp.NewDock(macapp.System())}
	var (
		mw       *ui.MainWindow
		t        *tray
		quitting bool
	)
	closeMW := sync.OnceFunc(func() { mw.Close() })
	// gate is the one way from a goroutine to the widgets and the tray
	// (package uigate): once the quit has begun — SIGTERM or Ctrl+C (ctx,
	// signal.NotifyContext's), the tray's or the window's Quit, `auditlight
	// quit`, Fyne's loop ending — their work is dropped, never run on a
	// caller's goroutine as fyne.Do does once Fyne's loop has drained.
	gate := uigate.New(ctx, nil)
	// watch notices a quit after which Fyne's Run never returns (a deadlock
	// in Fyne's own shutdown, loopwatch.go).
	watch := newLoopWatch(loopStopGrace, time.After)
	// quit runs on the Fyne goroutine (tray Quit, window close without a
	// tray, Ctrl+C). Fyne also quits on its own on SIGTERM; either way the
	// collector is stopped after the event loop ends, below.
	quit := func() {
		if quitting {
			return
		}
		quitting = true
		gate.Close()
		watch.Ask()
		closeMW()
		a.Quit()
	}
	// Fyne's "stopped" event closes the gate too, though it may come late,
	// or never: the quit paths above and below close it first.
	a.Lifecycle().SetOnStopped(gate.Close)
	var reopenMu sync.Mutex
	stopReopen := func() {}
	a.Lifecycle().SetOnStarted(func() {
		stop := dw.started(o.hidden, gate.Do, log)
		reopenMu.Lock()
		stopReopen = stop
		reopenMu.Unlock()
		afterQueued(gate.Do, o.windowUp)
	})
	region.End()
	region = trace.StartRegion(ctx, "gui: tray")
	var own *ownTray
	if _, desk := a.(desktop.App); desk {
		own = platformTray(title, gate.Do)
	}
	t = newTray(a, dw, b, quit, own)
	region.End()
	if o.ready != nil {
		region = trace.StartRegion(ctx, "gui: wait for the backend")
		err := o.ready()
		region.End()
		if err != nil {
			return err
		}
	}
	var last health.State = -1
	// Notifications: a WinRT toast under the installer's AppUserModelID on
	// Windows (a click brings this window forward), else Fyne's; the log
	// says which and why.
	notes := notify.New(notify.Options{AppID: ID, Fallback: a.SendNotification, Logger: log,
		OnClick: func(string) { gate.Do(dw.bringForward) }})
	// The opt-in responsiveness probe (scripts/clicks.sh): tabs shown, with
	// their time, and the Fyne goroutine's latency.
	uiProbe := os.Getenv(EnvUIProbe) != ""
	var onTabShown func(string)
	if uiProbe {
		onTabShown = func(tab string) { logTabShown(log, time.Now, tab) }
	}
	var ub ui.Backend = b
	if o.login != nil {
		ub = guiBackend{backend: b, loginItem: *o.login}
	}
	fonts.wait() // building the screens measures text
	mw = ui.NewMainWindow(a, w, ub, ui.MainOptions{
		Options:   ui.Options{Logger: log, Gate: gate},
		Validator: validator(),
		OnStatus: func(st health.Status) {
			if st.State != last {
				trace.Log(ctx, "status", st.State.String())
				log.Info("status", "state", st.State.String(), "colour", st.Colour, "reason", st.Reason)
				last = st.State
			}
			t.apply(st)
		},
		Notify:     notes.Send,
		OnFindings: t.findings,
		OpenURL:    a.OpenURL,
		DemoAct:    demoAct(b),
		OnTabShown: onTabShown,
	})
	t.mw = mw
	if o.tab != "" {
		if err := mw.SelectTab(o.tab); err != nil {
			log.Warn("--tab", "err", err)
		}
	}
	// Closing hides to the tray only when a tray host really shows the icon
	// (asked at each close); otherwise it asks before quitting, so the app
	// never runs invisibly. The window menu always has Quit.
	hasTray := func() bool { return t.ok && trayHostPresent(ctx) }
	w.SetCloseIntercept(ui.CloseHandler(dw, hasTray, quit))
	w.SetMainMenu(ui.WindowMenu(dw, hasTray, quit))
	if o.hidden && !hasTray() {
		log.Warn("no system tray on this desktop; showing the window although --hidden was given")
		o.hidden = false
	}
	loopCtx, endLoop := context.WithCancel(ctx)
	defer endLoop() // nothing may call into Fyne once its loop has ended
	go remindLoop(loopCtx, notes.Send, b, p, log)
	go notifyFindings(loopCtx, notes.Send, b, log)
	probeDone := make(chan struct{})
	if uiProbe {
		go func() {
			defer close(probeDone)
			newLoopProbe(gate.Do, nil, log).run(loopCtx, uiProbeEvery, uiProbeReportEvery)
		}()
	} else {
		close(probeDone)
	}
	if o.activate != nil {
		go func() {
			for {
				select {
				case <-loopCtx.Done():
					return
				case <-o.activate:
					gate.Do(dw.bringForward)
				case <-o.quit:
					log.Info("quitting: asked by another process (auditlight quit, the installer)")
					gate.Do(quit)
				}
			}
		}()
	}
	// Ctrl+C and SIGTERM: Fyne's driver catches them and ends the event
	// loop itself; the collector is stopped below once a.Run returns.
	if !o.hidden {
		region = trace.StartRegion(ctx, "gui: show")
		w.Show()
		region.End()
	}
	// finish runs once, after Run returned or, when Fyne's shutdown is
	// stuck, on the watch's goroutine.
	finish := sync.OnceFunc(func() {
		// No widget work from now on, and none under way: closing the
		// window and the tray below are the only widget work left.
		gate.CloseAndWait()
		reopenMu.Lock()
		stopReopen()
		reopenMu.Unlock()
		endLoop()
		<-probeDone // its last report
		closeMW()   // when Fyne ended the loop itself (SIGTERM, logout): stop the presenter first
		t.end()
		log.Info("quitting; committing checkpoints")
		b.shutdown()
		log.Info("collector stopped cleanly")
	})
	go func() {
		if !watch.Wait(ctx, gate.Close) {
			return
		}
		log.Warn("the window toolkit did not finish quitting; stopping the collector and exiting without it",
			"waited", loopStopGrace)
		finish()
		if o.atForcedExit != nil {
			o.atForcedExit()
		}
		e.exitProcess(0)
	}()
	t.start()
	a.Run()
	watch.Returned()
	finish()
	return nil
}

// afterQueued hands f to do (the gate's Do, which keeps order) rather than
// calling it: run from Fyne's OnStarted, f then runs behind what was queued
// for the loop before it ran — the window's first status, the green — so
// the backfill that windowUp releases does not take the cores the first
// status needs (issue 12). A nil f does nothing.
func afterQueued(do func(func()), f func()) {
	if f != nil {
		do(f)
	}
}

// remindLoop sends each secret-expiry reminder once (remembered across
// restarts) as a desktop notification.
func remindLoop(ctx context.Context, send func(*fyne.Notification), b *backend, p profile.Profile, log *slog.Logger) {
	sched, err := reminders.New(p.RemindersPath(), time.Now)
	if sched == nil {
		log.Warn("secret-expiry reminders unavailable", "err", err)
		return
	}
	if err != nil { // a damaged state file was set aside; reminders go on
		log.Warn("secret-expiry reminder state was reset", "err", err)
	}
	for {
		if exp := b.SecretExpiry(); !exp.IsZero() {
			due, err := sched.Due(exp)
			if err != nil {
				log.Warn("checking secret-expiry reminders", "err", err)
			}
			for _, r := range due {
				log.Info("secret-expiry reminder", "title", r.Title)
				send(fyne.NewNotification(r.Title, r.Body))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// trayIcon returns the tray image for a state.
func trayIcon(s health.State) fyne.Resource { return assets.TrayIcon(s) }

// windowSize is the --size flag: the window's initial size, "WxH".
type windowSize struct{ w, h float32 }

// String implements flag.Value.
func (s *windowSize) String() string {
	if s == nil || s.w == 0 {
		return ""
	}
	return fmt.Sprintf("%gx%g", s.w, s.h)
}

// Set implements flag.Value.
func (s *windowSize) Set(v string) error {
	var w, h int
	if _, err := fmt.Sscanf(strings.ToLower(strings.TrimSpace(v)), "%dx%d", &w, &h); err != nil || w < 400 || h < 300 || w > 10000 || h > 10000 {
		return fmt.Errorf("window size %q: use WxH, e.g. 1024x700 (at least 400x300)", v)
	}
	s.w, s.h = float32(w), float32(h)
	return nil
}

func (s windowSize) orDefault() fyne.Size {
	if s.w == 0 {
		return fyne.NewSize(1100, 760)
	}
	return fyne.NewSize(s.w, s.h)
}

// demoAct lets the detection test's screen ask the demo's simulator to do
// the admin action (nil outside --demo, where the admin does it).
func demoAct(b *backend) func(ctx context.Context, id walkthrough.TestID) error {
	if !b.CanPerformTestAction() {
		return nil
	}
	return func(ctx context.Context, id walkthrough.TestID) error {
		_, err := b.PerformTestAction(ctx, id)
		return err
	}
}

// tabFlagUsage documents --tab.
const tabFlagUsage = "open the window on a tab: status, findings, events or tests"

// warmFonts parses the fonts of the first frame's text (regular and bold)
// into Fyne's font cache. Run beside the window's creation it takes ~0.15 s
// of font parsing off the main thread's path to the first frame (issue 12).
// Fyne's text painter is not safe for concurrent use in this build
// (migrated_fynedo: its shaper, run buffer and font cache are unguarded),
// so it runs through startFontWarm, whose wait the main thread passes
// before it measures any text.
func warmFonts() {
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		fyne.MeasureText("AuditLight", theme.TextSize(), style)
	}
}

// fontWarm is a font warm-up running beside the main thread; the zero
// value is none.
type fontWarm struct{ done chan struct{} }

// startFontWarm runs warm on another goroutine.
func startFontWarm(warm func()) fontWarm {
	f := fontWarm{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		warm()
	}()
	return f
}

// wait returns once the warm-up has ended (at once when there is none):
// only then may this goroutine use Fyne's text painter. A launch that
// built its screens while the warm-up still shaped text crashed in the
// shaper (index out of range) or Fyne's font cache map.
func (f fontWarm) wait() {
	if f.done != nil {
		<-f.done
	}
}
