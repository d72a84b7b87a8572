//go:build windows

package notify

import (
	"errors"
	"fmt"
	"strings"

	"git.sr.ht/~jackmordaunt/go-toast/wintoast"
	"golang.org/x/sys/windows/registry"
)

// winrt sends toasts through the Windows Runtime with go-toast.
type winrt struct{}

func osPlatform() platform { return winrt{} }

// registered checks what the installer writes: the AppUserModelID with
// AuditLight's activator, and the activator's server (the installed exe).
func (winrt) registered(appID string) (bool, string) {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Classes\AppUserModelId\`+appID, registry.QUERY_VALUE)
	if err != nil {
		return false, fmt.Sprintf("AppUserModelID %s is not registered (AuditLight was not installed with its installer)", appID)
	}
	defer k.Close()
	act, _, err := k.GetStringValue("CustomActivator")
	if err != nil || !strings.EqualFold(act, ActivatorCLSID) {
		return false, fmt.Sprintf("AppUserModelID %s has no AuditLight toast activator (reinstall AuditLight with its installer)", appID)
	}
	s, err := registry.OpenKey(registry.CURRENT_USER, `Software\Classes\CLSID\`+ActivatorCLSID+`\LocalServer32`, registry.QUERY_VALUE)
	if err != nil {
		return false, "the toast activator's program is not registered (reinstall AuditLight with its installer)"
	}
	defer s.Close()
	if exe, _, err := s.GetStringValue(""); err != nil || exe == "" {
		return false, "the toast activator's program is not registered (reinstall AuditLight with its installer)"
	}
	return true, ""
}

// push hands the toast to the Windows Runtime (no PowerShell: falling back
// is the Notifier's decision, logged).
func (winrt) push(appID, xml string) error {
	// The installer wrote these values; go-toast only fills in missing ones.
	if err := wintoast.SetAppData(wintoast.AppData{AppID: appID, GUID: ActivatorCLSID}); err != nil {
		return fmt.Errorf("registering the toast activator: %w", err)
	}
	if err := wintoast.Push(xml); err != nil {
		return errors.Join(errors.New("sending the toast"), err)
	}
	return nil
}

// onClick routes toast activations (foreground, from the registered
// activator) to f.
func (winrt) onClick(f func(args string)) {
	wintoast.SetActivationCallback(func(_, args string, _ []wintoast.UserData) { f(args) })
}
