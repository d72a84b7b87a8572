// Package profile is one AuditLight installation's directory: where it is
// (the flag, $AUDITLIGHT_PROFILE or the per-user default, migrated from
// older places), its tenant configuration (config.json, owner-only), and the
// check that refuses a profile other users could change.
package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Env selects the profile directory when --profile is not given.
const Env = "AUDITLIGHT_PROFILE"

// Profile is the directory holding one AuditLight installation's settings and
// data. Tests and scripts pass --profile so they never touch the real one.
type Profile struct {
	Dir string
}

// Resolve returns the profile directory: the flag, else
// $AUDITLIGHT_PROFILE, else the OS's per-user config dir + "/AuditLight"
// (on Windows %LOCALAPPDATA%\AuditLight, migrated from the roaming
// %APPDATA%\AuditLight of older versions; see defaultProfileDir).
func Resolve(flagDir string) (Profile, error) {
	dir := flagDir
	if dir == "" {
		dir = os.Getenv(Env)
	}
	if dir == "" {
		def, err := defaultProfileDir()
		if err != nil {
			return Profile{}, fmt.Errorf("finding the profile directory (use --profile DIR): %w", err)
		}
		dir = def
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Profile{}, fmt.Errorf("resolving profile %q: %w", dir, err)
	}
	return Profile{Dir: abs}, nil
}

// Ensure creates the profile directories with owner-only permissions.
func (p Profile) Ensure() error {
	for _, d := range []string{p.Dir, p.DataDir(), p.LogDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", d, err)
		}
	}
	return nil
}

// ConfigPath is the non-secret settings file.
func (p Profile) ConfigPath() string { return filepath.Join(p.Dir, "config.json") }

// DraftPath holds the wizard's non-secret fields while setup is unfinished.
func (p Profile) DraftPath() string { return filepath.Join(p.Dir, "setup-draft.json") }

// RemindersPath remembers which secret-expiry reminders were sent.
func (p Profile) RemindersPath() string { return filepath.Join(p.Dir, "reminders.json") }

// DataDir holds the event store.
func (p Profile) DataDir() string { return filepath.Join(p.Dir, "data") }

// StorePath is the SQLite event store.
func (p Profile) StorePath() string { return filepath.Join(p.DataDir(), "events.db") }

// LogDir holds the log file.
func (p Profile) LogDir() string { return filepath.Join(p.Dir, "logs") }

// LogPath is the application log.
func (p Profile) LogPath() string { return filepath.Join(p.LogDir(), "auditlight.log") }

// RulesDir holds the user's own detection rules (*.yml), beside the built-in pack.
func (p Profile) RulesDir() string { return filepath.Join(p.Dir, "rules") }

// ErrNotConfigured is returned by commands that need a configured tenant.
var ErrNotConfigured = errors.New("no tenant is configured in this profile: run the setup in the app, or `auditlight configure`")
