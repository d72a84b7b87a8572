package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/autostart"
	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/ui"
	"github.com/auditlight/auditlight/ui/events"
	"github.com/auditlight/auditlight/ui/setup"
)

// startSim starts a simulator for the test and closes it when the test ends.
func startSim(t testing.TB, cfg simulator.Config) *simulator.Sim {
	t.Helper()
	sim, err := simulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

func simBackend(t *testing.T, sim *simulator.Sim) *backend {
	t.Helper()
	ten := sim.Tenant()
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	tmpl := &profile.Config{Tenant: ten.Domain, ClientID: ten.ClientID, Cloud: "custom", LoginURL: sim.LoginURL(), APIURL: sim.APIURL(),
		GraphURL: sim.GraphURL(), RequestsPerMinute: 1 << 20}
	b := newBackend(profile.Profile{Dir: filepath.Join(t.TempDir(), "p")}, &keychain.Memory{}, slog.New(slog.DiscardHandler))
	b.useTenant(tmpl, sim.CertPool(), nil)
	t.Cleanup(b.shutdown)
	return b
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSecretExpiryFromGraph: with Application.Read.All the real end date is
// read from Entra — filling in an unknown expiry, and flagging a typo.
func TestSecretExpiryFromGraph(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 4, Users: 2})
	ten := sim.Tenant()
	ctx := context.Background()

	t.Run("unknown expiry is filled in", func(t *testing.T) {
		b := simBackend(t, sim)
		if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID}, ten.Secret); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the expiry from Graph, saved", func() bool {
			cfg, err := profile.LoadConfig(b.prof)
			return err == nil && cfg.SecretExpiry.Equal(ten.SecretExpiry)
		})
		if !b.SecretExpiry().Equal(ten.SecretExpiry) {
			t.Fatalf("shown expiry %v, want %v", b.SecretExpiry(), ten.SecretExpiry)
		}
		eventually(t, "the status to carry it", func() bool { st, _ := b.status.Latest(); return st.SecretExpiry.Equal(ten.SecretExpiry) })
	})
	t.Run("a mistyped expiry is flagged", func(t *testing.T) {
		b := simBackend(t, sim)
		typed := ten.SecretExpiry.AddDate(0, 2, 0)
		if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: typed}, ten.Secret); err != nil {
			t.Fatal(err)
		}
		want := "Entra says this client secret expires on " + ten.SecretExpiry.Format("2006-01-02")
		eventually(t, "the mismatch warning", func() bool { return strings.Contains(b.ReminderText(), want) })
	})
}

func TestDisconnectRemovesSecretAndOptionallyData(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 4, Users: 2})
	ten := sim.Tenant()
	for _, keep := range []bool{true, false} {
		b := simBackend(t, sim)
		ctx := context.Background()
		if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry}, ten.Secret); err != nil {
			t.Fatal(err)
		}
		eventually(t, "some events", func() bool { n, _ := b.CountEvents(ctx, events.Filter{}); return n > 0 })
		if err := b.Disconnect(ctx, keep); err != nil {
			t.Fatal(err)
		}
		if _, err := b.keys.Get(keychain.Account(ten.Domain, ten.ClientID)); err == nil {
			t.Error("the secret is still in the keychain after Disconnect")
		}
		if b.Configured() {
			t.Error("still configured after Disconnect")
		}
		matches, _ := filepath.Glob(b.prof.StorePath())
		if keep != (len(matches) == 1) {
			t.Errorf("keepData=%v but store present=%v", keep, len(matches) == 1)
		}
		if st, _ := b.status.Latest(); st.Colour != "grey" {
			t.Errorf("status after Disconnect: %s %q, want grey", st.Colour, st.Reason)
		}
	}
}

func TestLoginItemStartsThisProgramHiddenWithTheProfile(t *testing.T) {
	home := t.TempDir()
	l := loginItem{prof: profile.Profile{Dir: "/tmp/my profile"}, cfg: autostart.Config{HomeDir: home, ConfigDir: filepath.Join(home, ".config")}}
	var _ ui.LoginItem = guiBackend{loginItem: l}
	if on, err := l.StartAtLogin(); err != nil || on {
		t.Fatalf("start at login = %v, %v; want off by default", on, err)
	}
	if err := l.SetStartAtLogin(true); err != nil {
		t.Fatal(err)
	}
	if on, _ := l.StartAtLogin(); !on {
		t.Fatal("not enabled after SetStartAtLogin(true)")
	}
	if runtime.GOOS == "linux" {
		b, err := os.ReadFile(filepath.Join(home, ".config", "autostart", loginItemName+".desktop"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "--hidden") || !strings.Contains(string(b), "my profile") {
			t.Fatalf("autostart entry lacks the hidden start or the profile:\n%s", b)
		}
	}
	if err := l.SetStartAtLogin(false); err != nil {
		t.Fatal(err)
	}
	if on, _ := l.StartAtLogin(); on {
		t.Fatal("still enabled after SetStartAtLogin(false)")
	}
}

// TestRotateSecretTestsTheNewSecretFirst: a wrong value is refused and the
// old secret stays in the keychain and in use; a right one replaces it
// (issue 10, item 2).
func TestRotateSecretTestsTheNewSecretFirst(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 4, Users: 2})
	ten := sim.Tenant()
	ctx := context.Background()
	b := simBackend(t, sim)
	if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry}, ten.Secret); err != nil {
		t.Fatal(err)
	}
	account := keychain.Account(ten.Domain, ten.ClientID)
	wrong := "Xq8~wrongwrongwrongwrongwrongwrongwrong1"
	err := b.RotateSecret(ctx, wrong, ten.SecretExpiry.AddDate(0, 6, 0))
	if !errors.Is(err, ErrSecretRejected) {
		t.Fatalf("rotating to a wrong secret: %v, want ErrSecretRejected", err)
	}
	if got, _ := b.keys.Get(account); got != ten.Secret {
		t.Fatal("the working secret was replaced by a rejected one")
	}
	if !b.SecretExpiry().Equal(ten.SecretExpiry) {
		t.Errorf("expiry changed to %v by a rejected rotation", b.SecretExpiry())
	}
	if b.runtime() == nil {
		t.Fatal("collection stopped after a rejected rotation")
	}
	if err := b.RotateSecret(ctx, ten.Secret, ten.SecretExpiry); err != nil {
		t.Fatalf("rotating to a working secret: %v", err)
	}
	if b.runtime() == nil {
		t.Fatal("not collecting after a successful rotation")
	}
}

// TestStartFailureShowsRedWithTheConfiguredExpiry: `--demo --scenario
// expired-secret` showed grey "Not set up" and "expiry unknown" because a
// failed start published nothing (issue 10, item 5).
func TestStartFailureShowsRedWithTheConfiguredExpiry(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 4, Users: 2, Scenario: simulator.ScenarioExpiredSecret})
	ten := sim.Tenant()
	b := simBackend(t, sim)
	expiry := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -2)
	if err := b.Connect(context.Background(), setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: expiry}, ten.Secret); err == nil {
		t.Fatal("connecting with an expired secret succeeded")
	}
	st, _ := b.status.Latest()
	if st.Colour != "red" || st.Action != health.ActionRotateSecret {
		t.Errorf("status %s %q action %q, want red with Rotate secret", st.Colour, st.Reason, st.Action)
	}
	if !b.SecretExpiry().Equal(expiry) || !st.SecretExpiry.Equal(expiry) {
		t.Errorf("expiry shown %v / status %v, want the configured %v", b.SecretExpiry(), st.SecretExpiry, expiry)
	}
}

// failingDelete is a keychain whose Delete fails (a locked keyring).
type failingDelete struct{ keychain.Store }

func (failingDelete) Delete(string) error { return errors.New("the keyring is locked") }

// TestDisconnectIsAllOrNothing: when the secret cannot be removed, the
// settings come back and collection goes on, so the app is still connected
// and says so (issue 10, item 17: the settings were gone, the light green).
func TestDisconnectIsAllOrNothing(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 4, Users: 2})
	ten := sim.Tenant()
	ctx := context.Background()
	b := simBackend(t, sim)
	b.keys = failingDelete{&keychain.Memory{}}
	if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry}, ten.Secret); err != nil {
		t.Fatal(err)
	}
	if err := b.Disconnect(ctx, false); err == nil {
		t.Fatal("Disconnect reported success although the secret stayed in the keychain")
	}
	if !b.Configured() {
		t.Error("the settings were removed by a failed disconnect")
	}
	if b.runtime() == nil {
		t.Error("collection stopped after a failed disconnect")
	}
	if _, err := os.Stat(b.prof.StorePath()); err != nil {
		t.Errorf("events deleted by a failed disconnect: %v", err)
	}
}

// TestSaveAndKeepTryingWaitsBlue: saved with AuditPending on a tenant whose
// audit log is off, the light is the blue "waiting for Microsoft to turn on
// auditing", not red (issue 10, item 6).
func TestSaveAndKeepTryingWaitsBlue(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 4, Users: 2, Scenario: simulator.ScenarioAuditOff})
	ten := sim.Tenant()
	b := simBackend(t, sim)
	if err := b.Connect(context.Background(), setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry, AuditPending: true}, ten.Secret); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the collector to meet the audit-off answer", func() bool {
		st, _ := b.status.Latest()
		return st.KindName == "audit-off"
	})
	st, _ := b.status.Latest()
	if st.Colour != "blue" || !strings.Contains(st.Reason, "Waiting for Microsoft to turn on auditing") {
		t.Errorf("status %s %q, want the blue wait", st.Colour, st.Reason)
	}
}

// The feed's pages carry the columns only; Record reads the one record the
// detail pane shows, byte for byte as the export writes it.
func TestFeedPagesCarryNoRecordAndRecordReadsIt(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 5, Users: 2})
	ten := sim.Tenant()
	b := simBackend(t, sim)
	ctx := context.Background()
	if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry}, ten.Secret); err != nil {
		t.Fatal(err)
	}
	eventually(t, "some events", func() bool { n, _ := b.CountEvents(ctx, events.Filter{}); return n > 0 })
	rows, err := b.Events(ctx, events.Filter{Limit: 20})
	if err != nil || len(rows) == 0 {
		t.Fatalf("a page: %d rows, %v", len(rows), err)
	}
	var export bytes.Buffer
	if err := b.Export(ctx, events.Filter{IDs: []string{rows[0].ID}, Since: rows[0].Time, Until: rows[0].Time.Add(time.Millisecond)},
		events.JSONLines, &export, func(int64, int64) {}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Raw != nil {
			t.Fatalf("row %s came with its record (%d bytes)", r.ID, len(r.Raw))
		}
	}
	raw, err := b.Record(ctx, rows[0].ID, rows[0].Time)
	if err != nil {
		t.Fatal(err)
	}
	var line bytes.Buffer
	if err := json.Compact(&line, raw); err != nil {
		t.Fatalf("record %q: %v", raw, err)
	}
	if got := strings.TrimSpace(export.String()); got != line.String() || !strings.Contains(got, rows[0].ID) {
		t.Errorf("Record read %s; the export wrote %s", line.String(), got)
	}
	if _, err := b.Record(ctx, "no-such-record", rows[0].Time); err == nil {
		t.Error("Record of an unknown id: no error")
	}
}
