package app

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/auditlight/auditlight/app/autostart"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/ui/setup"
)

func TestLoginExecutable(t *testing.T) {
	local := filepath.FromSlash("/c/Users/a/AppData/Local")
	installed := filepath.Join(local, "Programs", "AuditLight", "auditlight.exe")
	downloads := filepath.FromSlash("/c/Users/a/Downloads")
	tests := []struct {
		name     string
		exe      string
		goos     string
		existing []string
		want     string
	}{
		{"the installed GUI wins over a copy in Downloads", filepath.Join(downloads, "auditlight.exe"), "windows", []string{installed}, installed},
		{"the console twin maps to the GUI beside it", filepath.Join(downloads, "auditlight-cli.exe"), "windows",
			[]string{filepath.Join(downloads, "auditlight.exe")}, filepath.Join(downloads, "auditlight.exe")},
		{"a lone exe is used as it is", filepath.Join(downloads, "auditlight.exe"), "windows", nil, filepath.Join(downloads, "auditlight.exe")},
		{"other OSes keep their executable", "/usr/bin/auditlight", "linux", []string{installed}, "/usr/bin/auditlight"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, e := range tc.existing {
					if e == p {
						return true
					}
				}
				return false
			}
			if got := loginExecutable(tc.exe, tc.goos, local, exists); got != tc.want {
				t.Errorf("loginExecutable = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDisconnectTurnsOffStartAtLogin(t *testing.T) {
	sim := startSim(t, simulator.Config{Seed: 5, Users: 2})
	ten := sim.Tenant()
	home := t.TempDir()
	g := guiBackend{backend: simBackend(t, sim), loginItem: loginItem{prof: profile.Profile{Dir: home},
		cfg: autostart.Config{HomeDir: home, ConfigDir: filepath.Join(home, ".config")}}}
	ctx := context.Background()
	if err := g.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID, SecretExpiry: ten.SecretExpiry}, ten.Secret); err != nil {
		t.Fatal(err)
	}
	if err := g.SetStartAtLogin(true); err != nil {
		t.Fatal(err)
	}
	if err := g.Disconnect(ctx, true); err != nil {
		t.Fatal(err)
	}
	if on, err := g.StartAtLogin(); err != nil || on {
		t.Errorf("start at login after Disconnect = %v, %v; want off", on, err)
	}
}
