package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/auditlight/auditlight/app/autostart"
	"github.com/auditlight/auditlight/app/profile"
)

// loginItemName names the autostart entry.
const loginItemName = "auditlight"

// loginItem implements ui.LoginItem for a real profile: the entry starts
// this executable in the tray (--hidden) with the same --profile.
type loginItem struct {
	prof profile.Profile
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
	exe = loginExecutable(exe, runtime.GOOS, os.Getenv("LOCALAPPDATA"), fileExists)
	if runtime.GOOS == "darwin" {
		if exe, err = macLoginExecutable(exe, os.Getenv("HOME"), fileExists); err != nil {
			return autostart.Entry{}, err
		}
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

// Disconnect forgets the tenant like backend.Disconnect and also removes
// the start-at-login entry, which would otherwise start an unconfigured
// AuditLight at every login.
func (g guiBackend) Disconnect(ctx context.Context, keepData bool) error {
	if err := g.backend.Disconnect(ctx, keepData); err != nil {
		return err
	}
	if err := g.loginItem.SetStartAtLogin(false); err != nil {
		return fmt.Errorf("turning off start at login: %w", err)
	}
	return nil
}

// loginExecutable chooses the program the Windows Run key starts: the
// installed GUI when it exists (not a copy in Downloads that the user may
// delete), else the GUI next to the running exe when this is the console
// twin auditlight-cli.exe (which would open a console window at every
// login), else exe itself. Other OSes use exe.
func loginExecutable(exe, goos, localAppData string, exists func(string) bool) string {
	if goos != "windows" {
		return exe
	}
	if localAppData != "" {
		// Where packaging/windows/installer.nsi puts the GUI.
		if p := filepath.Join(localAppData, "Programs", "AuditLight", "auditlight.exe"); exists(p) {
			return p
		}
	}
	dir, base := filepath.Split(exe)
	if strings.EqualFold(base, "auditlight-cli.exe") {
		if gui := filepath.Join(dir, "auditlight.exe"); exists(gui) {
			return gui
		}
	}
	return exe
}

// fileExists reports whether path is an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
