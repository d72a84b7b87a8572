// Package autostart turns "Start AuditLight at login" on and off for the
// current user. It is off until Enable is called.
//
// Per OS:
//   - Linux/BSD: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/<name>.desktop
//     (default ~/.config/autostart).
//   - macOS: a LaunchAgent, ~/Library/LaunchAgents/<label>.plist with
//     RunAtLoad, loaded by launchd at the next login.
//   - Windows: a value named <name> under
//     HKCU\Software\Microsoft\Windows\CurrentVersion\Run.
//
// Nothing here needs administrator rights or cgo.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Entry describes the program to start at login.
type Entry struct {
	// Name identifies the entry: file name on Linux/macOS (via
	// LaunchAgentLabel) and registry value name on Windows. Letters,
	// digits, '.', '_' and '-' only, e.g. "AuditLight".
	Name string
	// Exec is the absolute path of the executable.
	Exec string
	// Args are passed to Exec, e.g. []string{"--minimized"}.
	Args []string
}

// Config says where the per-user autostart files live. The zero value uses
// the real locations of the current user; tests set the directories to
// t.TempDir().
type Config struct {
	// HomeDir is the user's home directory ("" = os.UserHomeDir()).
	// macOS LaunchAgents go to HomeDir/Library/LaunchAgents.
	HomeDir string
	// ConfigDir is the XDG config directory ("" = $XDG_CONFIG_HOME, else
	// HomeDir/.config). Linux entries go to ConfigDir/autostart.
	ConfigDir string
}

// LaunchAgentPrefix is the reverse-DNS prefix of macOS LaunchAgent labels;
// it matches the app ID in FyneApp.toml.
const LaunchAgentPrefix = "io.github.auditlight."

// backend is one OS's autostart mechanism.
type backend interface {
	enable(e Entry) error
	disable(name string) error
	enabled(name string) (bool, error)
}

// Enable makes e start at the current user's next login, replacing any
// previous entry with the same name.
func Enable(e Entry) error { return Config{}.Enable(e) }

// Disable removes the entry called name. Removing an entry that does not
// exist is not an error.
func Disable(name string) error { return Config{}.Disable(name) }

// Enabled reports whether the entry called name will start at login.
func Enabled(name string) (bool, error) { return Config{}.Enabled(name) }

// Enable is like the package-level Enable with c's directories.
func (c Config) Enable(e Entry) error {
	if err := e.validate(); err != nil {
		return fmt.Errorf("enabling start at login: %w", err)
	}
	b, err := c.backend()
	if err != nil {
		return fmt.Errorf("enabling start at login: %w", err)
	}
	if err := b.enable(e); err != nil {
		return fmt.Errorf("enabling start at login: %w", err)
	}
	return nil
}

// Disable is like the package-level Disable with c's directories.
func (c Config) Disable(name string) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("disabling start at login: %w", err)
	}
	b, err := c.backend()
	if err != nil {
		return fmt.Errorf("disabling start at login: %w", err)
	}
	if err := b.disable(name); err != nil {
		return fmt.Errorf("disabling start at login: %w", err)
	}
	return nil
}

// Enabled is like the package-level Enabled with c's directories.
func (c Config) Enabled(name string) (bool, error) {
	if err := checkName(name); err != nil {
		return false, fmt.Errorf("checking start at login: %w", err)
	}
	b, err := c.backend()
	if err != nil {
		return false, fmt.Errorf("checking start at login: %w", err)
	}
	on, err := b.enabled(name)
	if err != nil {
		return false, fmt.Errorf("checking start at login: %w", err)
	}
	return on, nil
}

// backend picks the mechanism for the running OS.
func (c Config) backend() (backend, error) {
	switch runtime.GOOS {
	case "windows":
		return newRegistryBackend()
	case "darwin":
		home, err := c.home()
		if err != nil {
			return nil, err
		}
		return launchAgents{dir: filepath.Join(home, "Library", "LaunchAgents")}, nil
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		dir, err := c.xdgConfig()
		if err != nil {
			return nil, err
		}
		return xdgAutostart{dir: filepath.Join(dir, "autostart")}, nil
	}
	return nil, fmt.Errorf("start at login is not supported on %s", runtime.GOOS)
}

// home returns HomeDir or the current user's home directory.
func (c Config) home() (string, error) {
	if c.HomeDir != "" {
		return c.HomeDir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home directory: %w", err)
	}
	return home, nil
}

// xdgConfig returns ConfigDir, $XDG_CONFIG_HOME or HomeDir/.config. A
// relative $XDG_CONFIG_HOME is ignored, as the XDG spec requires.
func (c Config) xdgConfig() (string, error) {
	if c.ConfigDir != "" {
		return c.ConfigDir, nil
	}
	if c.HomeDir == "" {
		if dir := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
			return dir, nil
		}
	}
	home, err := c.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".config"), nil
}

// validate checks an Entry before anything is written.
func (e Entry) validate() error {
	if err := checkName(e.Name); err != nil {
		return err
	}
	if e.Exec == "" || !filepath.IsAbs(e.Exec) {
		return fmt.Errorf("executable path %q must be absolute: the login session may not have AuditLight on its PATH", e.Exec)
	}
	for _, s := range append([]string{e.Exec}, e.Args...) {
		if strings.ContainsAny(s, "\x00\r\n") {
			return errors.New("executable path and arguments must not contain NUL or line breaks")
		}
	}
	return nil
}

// checkName restricts names to what is safe as a file name, a launchd
// label part and a registry value name on every OS.
func checkName(name string) error {
	ok := len(name) >= 1 && len(name) <= 64 && name[0] != '.' && name[0] != '-'
	for _, r := range name {
		if !ok {
			break
		}
		ok = r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
	}
	if !ok {
		return fmt.Errorf("entry name %q must be 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'", name)
	}
	return nil
}
