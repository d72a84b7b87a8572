package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/ui"
)

// TestStoreUpgradeReportedWhileStarting: a collector started on a store
// that needs a one-time upgrade that copies every record reports the
// upgrade's progress while it starts, logs it, and keeps every record.
// Before, the start sat silent for the whole copy (~30 s at a million
// records) under the last saved status.
func TestStoreUpgradeReportedWhileStarting(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 5, Users: 3})
	ten := sim.Tenant()
	p := profile.Profile{Dir: filepath.Join(t.TempDir(), "profile")}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := sim.WriteCAFile(ca); err != nil {
		t.Fatal(err)
	}
	cfg := profile.Config{Tenant: ten.Domain, ClientID: ten.ClientID, Cloud: "custom", LoginURL: sim.LoginURL(),
		APIURL: sim.APIURL(), GraphURL: sim.GraphURL(), CAFile: ca}
	if err := profile.SaveConfig(p, cfg); err != nil {
		t.Fatal(err)
	}
	// A store written by schema 5's code, marked schema 4: schema 5 applied
	// to its own tables copies every record, as it does from schema 4.
	gz, err := os.ReadFile(filepath.Join("..", "collector", "store", "testdata", "schema5.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.StorePath(), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+p.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	var stored int64
	if err := db.QueryRow(`SELECT count(*) FROM events`).Scan(&stored); err != nil || stored == 0 {
		t.Fatalf("the schema-5 store holds %d records (%v)", stored, err)
	}
	if _, err := db.Exec(`UPDATE schema_version SET version = 4`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var logs bytes.Buffer
	var heard []store.Progress
	rt, err := openRuntime(ctx, p, cfg, ten.Secret, slog.New(slog.NewTextHandler(&logs, nil)),
		runtimeOptions{onUpgrade: func(p store.Progress) { heard = append(heard, p) }})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if len(heard) < 2 || heard[0].Total != stored || !heard[len(heard)-1].Finishing || heard[len(heard)-1].Done != stored {
		t.Fatalf("upgrade progress heard %+v, want a start and a finish with all %d records", heard, stored)
	}
	for _, want := range []string{"upgrading the event store once for this version", "store schema upgraded"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
	if n, err := rt.Store.Count(ctx, store.Filter{}); err != nil || n != stored {
		t.Errorf("after the upgrade the store holds %d records (%v), want %d", n, err, stored)
	}
}

// TestUpgradeStatusIsNotCollecting: while the store is upgraded the GUI's
// light is amber and says so, the tray menu's first line shows the
// progress, and there is nothing to pause.
func TestUpgradeStatusIsNotCollecting(t *testing.T) {
	b := newBackend(profile.Profile{Dir: filepath.Join(t.TempDir(), "p")}, &keychain.Memory{}, slog.New(slog.DiscardHandler))
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	b.clock = func() time.Time { return now }
	report := b.publishUpgrade(time.Time{})
	report(store.Progress{Schema: 5, Total: 1_006_680})
	now = now.Add(20 * time.Second)
	report(store.Progress{Schema: 5, Done: 450_000, Total: 1_006_680})
	st, ok := b.status.Latest()
	if !ok || st.State != health.Degraded || st.StoreUpgrade == nil || st.TotalRecords != 1_006_680 {
		t.Fatalf("status %+v, want amber with the upgrade", st)
	}
	if st.Collecting() || !st.NotRunningSince.Equal(now.Add(-20*time.Second)) {
		t.Errorf("collecting %v since %v: nothing collects from the first report on", st.Collecting(), st.NotRunningSince)
	}
	if got := ui.TrayStatusLines(st, false)[0]; !strings.HasPrefix(got, "AuditLight: Not collecting yet — Upgrading the event store: 44 %") {
		t.Errorf("tray status line %q", got)
	}
}
