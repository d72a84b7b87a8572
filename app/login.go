package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/auditlight/auditlight/app/autostart"
)

// loginItemName names the autostart entry.
const loginItemName = "auditlight"

// loginItem implements ui.LoginItem for a real profile: the entry starts
// this executable in the tray (--hidden) with the same --profile.
type loginItem struct {
	prof Profile
	cfg  autostart.Config // zero value = the user's real directories
}

func (l loginItem) entry() (autostart.Entry, error) {
	exe, err := os.Executable()
	if err != nil {
		return autostart.Entry{}, fmt.Errorf("finding this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return autostart.Entry{Name: loginItemName, Exec: exe, Args: []string{"--profile", l.prof.Dir, "gui", "--hidden"}}, nil
}

// StartAtLogin reports whether AuditLight starts when the user logs in.
func (l loginItem) StartAtLogin() (bool, error) { return l.cfg.Enabled(loginItemName) }

// SetStartAtLogin turns starting at login on or off.
func (l loginItem) SetStartAtLogin(on bool) error {
	if !on {
		return l.cfg.Disable(loginItemName)
	}
	e, err := l.entry()
	if err != nil {
		return err
	}
	return l.cfg.Enable(e)
}

// guiBackend is the backend of a real (non-demo) GUI: it can also start at login.
type guiBackend struct {
	*backend
	loginItem
}
