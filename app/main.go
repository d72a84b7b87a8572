// Package app is AuditLight's composition root: the command line, the
// profile and its config, the keychain, the collector's lifecycle, the GUI
// backend, the tray and the reminders. It imports Fyne's API but never the
// GL driver (fyne.io/fyne/v2/app); main.go passes a constructor in.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/internal/glwarm"
	"github.com/auditlight/auditlight/internal/recording"
)

// Version is set at build time with -ldflags "-X github.com/auditlight/auditlight/app.Version=…".
// ID is the application's reverse-DNS identifier (also in FyneApp.toml).
const ID = "io.github.auditlight.auditlight"

var Version = "0.1.0-dev"

// NewFyneApp creates the GUI application (main.go passes the GL driver's).
type NewFyneApp func() fyne.App

// env is what a command needs from the outside world; tests replace parts.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	newApp NewFyneApp
	// warmGL starts loading the GL driver's libraries beside the GUI's
	// start (glwarm.Preload on a goroutine); nil in tests.
	warmGL  func(log *slog.Logger)
	profile string
	keys    keychain.Store // nil = the OS keychain
	// exit ends the process (nil = os.Exit): only when Fyne's event loop
	// never returned after a quit (loopwatch.go).
	exit func(code int)
}

// exitProcess ends the process with code.
func (e *env) exitProcess(code int) {
	if e.exit != nil {
		e.exit(code)
		return
	}
	os.Exit(code)
}

// startGLWarm starts loading the GL driver's libraries on another core
// (issue 12): the GUI commands call it first, so that the main thread's
// first GL window finds them loaded. Headless commands never call it.
func (e *env) startGLWarm(log *slog.Logger) {
	if e.warmGL != nil {
		e.warmGL(log)
	}
}

// keychain returns the secret store: the OS keychain unless a test injected one.
func (e *env) keychain() keychain.Store {
	if e.keys == nil {
		return keychain.OS{}
	}
	return e.keys
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"gui", "open the window and the tray (the default)", runGUI},
		{"simulate", "run the Microsoft 365 simulator (HTTPS) until interrupted", runSimulate},
		{"configure", "headless setup: store the settings and put the secret in the OS keychain", runConfigure},
		{"check", "run the test connection and print every check; exit 1 if one fails", runCheck},
		{"collect", "collect until interrupted (--once: drain what is available, then exit)", runCollect},
		{"status", "print the collector's status (--json for a script)", runStatus},
		{"events", "print stored events, newest first (--json: one record per line as Microsoft sent it)", runEvents},
		{"salvage", "rescue a damaged event store: keep what is readable in a new store, keep the damaged file", runSalvage},
		{"findings", "list detection findings (--json; exit 3 when new high findings exist); ack, resolve, false-positive ID", runFindings},
		{"test-detections", "the guide's \"Test my detections\": an external forwarding rule and a Global Administrator assignment", runTestDetections},
		{"quit", "ask the running AuditLight window/tray to quit and wait until it has (exit 4: it was not running)", runQuit},
		{"remove-secrets", "remove every AuditLight client secret (all profiles) from the OS keychain (the uninstaller runs it)", runRemoveSecrets},
		{"diagnostics", "write a diagnostics bundle (settings, status, recent log) without any secret", runDiagnostics},
		{"version", "print the version", func(_ context.Context, e *env, _ []string) error {
			fmt.Fprintln(e.stdout, "auditlight", Version)
			return nil
		}},
	}
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Main runs the command line and returns the process exit code.
func Main(args []string, newApp NewFyneApp) int {
	note := attachConsole(args)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, newApp: newApp,
		warmGL: func(log *slog.Logger) { go glwarm.Preload(log, os.Getenv) }}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if note != "" {
		fmt.Fprintln(e.stderr, note)
	}
	return run(ctx, e, args)
}

func run(ctx context.Context, e *env, args []string) int {
	args = toastLaunchArgs(args)
	global := flag.NewFlagSet("auditlight", flag.ContinueOnError)
	global.SetOutput(e.stderr)
	profile := global.String("profile", "", "profile `DIR` holding settings and data (default: $AUDITLIGHT_PROFILE or the OS config dir)")
	demo := global.Bool("demo", false, "open the GUI on the built-in Microsoft 365 simulator with a throwaway profile and an in-memory secret store")
	scenario := global.String("scenario", "healthy", "simulator scenario for --demo")
	hidden := global.Bool("hidden", false, "start in the tray without showing the window (GUI and --demo)")
	size := global.String("size", "", "initial window size `WxH`, e.g. 1024x700 (GUI and --demo)")
	tab := global.String("tab", "", tabFlagUsage+" (GUI and --demo)")
	runTest := global.String("run-test", "", "with --demo: start a detection test at launch, its action done by the demo tenant (forwarding-rule or global-admin)")
	global.Usage = func() { usage(e.stderr, global) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	e.profile = *profile
	hctx, stopHeap := context.WithCancel(ctx)
	waitHeap := recording.StartHeap(hctx, e.getenv(recording.EnvHeapProfile), recording.HeapEvery)
	defer waitHeap()
	defer stopHeap()
	stopCPU := recording.StartCPU(e.getenv(recording.EnvCPUProfile))
	defer func() {
		if err := stopCPU(); err != nil {
			fmt.Fprintln(e.stderr, "auditlight:", err)
		}
	}()
	stopTrace := recording.StartTrace(e.getenv(recording.EnvTrace))
	defer func() {
		if err := stopTrace(); err != nil {
			fmt.Fprintln(e.stderr, "auditlight:", err)
		}
	}()
	rest := global.Args()
	if *demo {
		if *hidden {
			rest = append([]string{"--hidden"}, rest...)
		}
		if *size != "" {
			rest = append([]string{"--size", *size}, rest...)
		}
		if *tab != "" {
			rest = append([]string{"--tab", *tab}, rest...)
		}
		if *runTest != "" {
			rest = append([]string{"--run-test", *runTest}, rest...)
		}
		return exitCode(e, runDemo(ctx, e, *scenario, rest))
	}
	name := "gui"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if *hidden && name == "gui" {
		rest = append([]string{"--hidden"}, rest...)
	}
	if *size != "" && name == "gui" {
		rest = append([]string{"--size", *size}, rest...)
	}
	if *tab != "" && name == "gui" {
		rest = append([]string{"--tab", *tab}, rest...)
	}
	for _, c := range commands() {
		if c.name == name {
			out := &checkedWriter{w: e.stdout}
			e.stdout = out
			err := c.run(ctx, e, rest)
			if werr := out.Err(); err == nil && werr != nil {
				err = fmt.Errorf("writing the output: %w", werr)
			}
			return exitCode(e, err)
		}
	}
	if name == "help" {
		usage(e.stdout, global)
		return 0
	}
	fmt.Fprintf(e.stderr, "auditlight: unknown command %q\n\n", name)
	usage(e.stderr, global)
	return 2
}

func exitCode(e *env, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(e.stderr, "auditlight:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(e.stderr, "auditlight:", err)
	return 1
}

func usage(w io.Writer, global *flag.FlagSet) {
	fmt.Fprintf(w, "AuditLight %s — your Microsoft 365 audit log, collected on this machine.\n\n", Version)
	fmt.Fprintln(w, "Usage: auditlight [--profile DIR] [--demo] [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	cs := commands()
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].name == "gui" })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nGlobal flags:")
	global.SetOutput(w)
	global.PrintDefaults()
	fmt.Fprintln(w, "\nRun 'auditlight COMMAND -h' for a command's flags.")
	fmt.Fprintln(w, "Headless commands read the client secret from the OS keychain, or from $AUDITLIGHT_CLIENT_SECRET for automation.")
}

// newFlags returns a command's flag set, accepting --profile there too.
func newFlags(e *env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet("auditlight "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Func("profile", "profile `DIR` (same as the global flag)", func(s string) error { e.profile = s; return nil })
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: auditlight %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

func trimLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
