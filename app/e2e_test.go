package app

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/setup"
)

// TestHelperProcess is the child process of the crash test: it runs the real
// command line (`auditlight --profile DIR collect --once`).
func TestHelperProcess(t *testing.T) {
	if os.Getenv("AUDITLIGHT_HELPER_PROCESS") != "1" {
		t.Skip("only runs as the crash test's child process")
	}
	args := strings.Split(os.Getenv("AUDITLIGHT_HELPER_ARGS"), "\x1f")
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(context.Background(), e, args))
}

// simProfile writes a profile configured for sim (custom cloud, its CA).
func simProfile(t *testing.T, sim *simulator.Sim) profile.Profile {
	t.Helper()
	p := profile.Profile{Dir: filepath.Join(t.TempDir(), "profile")}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(p.Dir, "sim-ca.pem")
	if err := sim.WriteCAFile(ca); err != nil {
		t.Fatal(err)
	}
	ten := sim.Tenant()
	cfg := profile.Config{Tenant: ten.Domain, ClientID: ten.ClientID, Cloud: "custom", LoginURL: sim.LoginURL(), APIURL: sim.APIURL(),
		GraphURL: sim.GraphURL(), CAFile: ca, SecretExpiry: ten.SecretExpiry, RequestsPerMinute: 1 << 20}
	// This test is about crashes, not throttling: lift the tenant's budget.
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	if err := profile.SaveConfig(p, cfg); err != nil {
		t.Fatal(err)
	}
	return p
}

func storeIDs(t *testing.T, p profile.Profile) map[string]int {
	t.Helper()
	st, err := store.Open(context.Background(), p.StorePath(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := map[string]int{}
	if err := st.ForEach(context.Background(), store.Filter{}, func(ev store.Event) error {
		ids[ev.ID]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestExactlyOnceUnderSIGKILL kills `auditlight collect --once` with SIGKILL
// at random moments during a drain of the simulator, restarts it each time,
// and finally compares the store with the simulator's ground truth.
func TestExactlyOnceUnderSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	frozen := time.Now() // a still clock: the ground truth does not grow during the test
	sim := startSim(t, simulator.Config{Seed: 42, Users: 120,
		Clock: func() time.Time { return frozen }})
	p := simProfile(t, sim)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := func() *exec.Cmd {
		cmd := exec.Command(self, "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), "AUDITLIGHT_HELPER_PROCESS=1",
			"AUDITLIGHT_HELPER_ARGS="+strings.Join([]string{"--profile", p.Dir, "collect", "--once"}, "\x1f"),
			EnvSecret+"="+sim.Tenant().Secret)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		return cmd
	}
	rng := rand.New(rand.NewPCG(1, 2))
	count := func() int64 {
		st, err := store.Open(context.Background(), p.StorePath(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, err := st.Total(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Kill at random moments until 20 kills have landed mid-drain (records
	// were stored since the previous kill and the drain had not finished).
	kills, runs := 0, 0
	killTarget := 20
	if os.Getenv("AUDITLIGHT_NOKILL") == "1" {
		killTarget = 0
	}
	var last int64
	// A kill before the child's first commit proves nothing; on a loaded
	// machine starting takes longer, so each such miss moves the random
	// kill moments 100 ms later (the test used to fail with "only 15 of 201
	// runs were killed mid-drain" at load average 8).
	var late time.Duration
	for kills < killTarget {
		runs++
		if runs > 200 {
			t.Fatalf("only %d of %d runs were killed mid-drain", kills, runs)
		}
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := late + time.Duration(150+rng.IntN(600))*time.Millisecond
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("collect --once failed on its own: %v\n%s", err, cmd.Stdout)
			}
			t.Fatalf("the drain finished after %d kills; make the tenant larger so 20 kills land mid-drain", kills)
		case <-time.After(delay):
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
		}
		if n := count(); n > last {
			kills++
			last = n
		} else {
			late += 100 * time.Millisecond
		}
	}
	// The last run completes.
	cmd := child()
	if err := cmd.Run(); err != nil {
		t.Fatalf("final collect --once: %v\n%s", err, cmd.Stdout)
	}
	got := storeIDs(t, p)
	// After all the kills the store, its word index included, is sound.
	if st, err := store.Open(context.Background(), p.StorePath(), store.Options{}); err != nil {
		t.Fatal(err)
	} else {
		err := st.QuickCheck(context.Background())
		st.Close()
		if err != nil {
			t.Fatalf("store after %d SIGKILLs: %v", kills, err)
		}
	}
	// The backfill starts at Microsoft's 7-day limit itself, so every blob
	// the simulator still lists is the collector's to fetch (2 s of slack:
	// the skew correction reads the Date header to the second).
	want := sim.GroundTruthSince(frozen.Add(-7*24*time.Hour + 2*time.Second))
	missing, dup, foreign := 0, 0, 0
	for _, id := range want {
		if got[id] == 0 {
			missing++
		}
	}
	// Blobs just before the backfill start (inside the slack) may be stored
	// too; every stored record must still exist at the simulator.
	all := map[string]bool{}
	for _, id := range sim.GroundTruth() {
		all[id] = true
	}
	for id, n := range got {
		if n > 1 {
			dup++
		}
		if !all[id] {
			foreign++
		}
	}
	t.Logf("%d SIGKILLs landed mid-drain (%d runs); ground truth %d records, stored %d", kills, runs, len(want), len(got))
	if missing != 0 || dup != 0 || foreign != 0 {
		t.Fatalf("missing %d, duplicated %d, not at the simulator %d (stored %d, ground truth %d)", missing, dup, foreign, len(got), len(want))
	}
}

// TestSecretNeverOnDiskOrInLogs sets up through the GUI backend, collects,
// exports diagnostics and an event export, then greps every file in the
// profile and every log line for the secret and for bearer tokens.
func TestSecretNeverOnDiskOrInLogs(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 9, Users: 4})
	ten := sim.Tenant()
	p := profile.Profile{Dir: filepath.Join(t.TempDir(), "profile")}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := sim.WriteCAFile(ca); err != nil {
		t.Fatal(err)
	}
	keys := &keychain.Memory{}
	tmpl := &profile.Config{Tenant: ten.Domain, ClientID: ten.ClientID, Cloud: "custom", LoginURL: sim.LoginURL(), APIURL: sim.APIURL(),
		GraphURL: sim.GraphURL(), CAFile: ca}
	b := newBackend(p, keys, log)
	b.useTenant(tmpl, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d := setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry}
	if err := b.SaveDraft(d); err != nil {
		t.Fatal(err)
	}
	rep := b.TestConnection(ctx, d, ten.Secret, func(setup.CheckResult) {})
	if !rep.OK {
		t.Fatalf("test connection failed:\n%s", rep.Text())
	}
	if err := b.Connect(ctx, d, ten.Secret); err != nil {
		t.Fatal(err)
	}
	// wait for collected data
	deadline := time.Now().Add(45 * time.Second)
	for {
		n, _ := b.CountEvents(ctx, events.Filter{})
		if n > 500 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d events collected", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var export bytes.Buffer
	if err := b.Export(ctx, events.Filter{}, events.CSV, &export, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.Dir, "export.csv"), export.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b.shutdown()
	var diag bytes.Buffer
	if err := writeDiagnostics(ctx, &diag, p); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.Dir, "diagnostics.txt"), diag.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := keys.Get(keychain.Account(ten.Domain, ten.ClientID)); err != nil || got != ten.Secret {
		t.Fatalf("the secret is not in the keychain: %v", err)
	}
	files := 0
	err := filepath.WalkDir(p.Dir, func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(ten.Secret)) {
			t.Errorf("the client secret is in %s", path)
		}
		if fi, _ := de.Info(); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v; want owner-only", path, fi.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("only %d files in the profile; the test proves nothing", files)
	}
	if strings.Contains(logs.String(), ten.Secret) {
		t.Error("the client secret appears in the log")
	}
	if strings.Contains(logs.String(), "eyJ") {
		t.Error("a bearer token (JWT) appears in the log")
	}
	if !strings.Contains(diag.String(), ten.ClientID) {
		t.Errorf("diagnostics lack the settings:\n%s", diag.String())
	}
	fmt.Fprint(&logs) // keep the buffer referenced
}
