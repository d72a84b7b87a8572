// Package notify sends AuditLight's desktop notifications (secret-expiry
// reminders, findings, recovery) and says honestly which way they went.
//
// On Windows they are native WinRT toasts sent from Go with
// git.sr.ht/~jackmordaunt/go-toast under the AppUserModelID the installer
// registers (with its Start-menu shortcut), so Windows shows them with
// AuditLight's name and icon and a click brings the window forward. When
// that is not possible — AuditLight was not installed with its installer,
// or the Windows Runtime refuses (e.g. under Wine) — they fall back to
// Fyne's notification (a PowerShell toast on Windows), and the log and
// `auditlight diagnostics` say so and why. On Linux and macOS Fyne's
// notification is the native one (D-Bus, the macOS notification centre).
package notify

import (
	"fmt"
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
)

// Path is the way notifications reach the desktop.
type Path string

const (
	// PathToast is a WinRT toast under the registered AppUserModelID.
	PathToast Path = "Windows toast (WinRT)"
	// PathFyne is Fyne's notification: native on Linux and macOS, a
	// PowerShell toast on Windows.
	PathFyne Path = "Fyne notification"
)

// ActivatorCLSID is the COM class of AuditLight's toast activator. The
// installer registers it as the AppUserModelID's CustomActivator, with
// HKCU\Software\Classes\CLSID\{…}\LocalServer32 = "auditlight.exe" so that
// clicking a toast after AuditLight has quit starts it (Windows passes
// -Embedding). It must equal packaging/windows/installer.nsi's ACTIVATOR.
const ActivatorCLSID = "{8D434D82-942B-4072-B792-10EFA4420409}"

// LaunchOpen is the toast's activation argument: a click opens the window.
const LaunchOpen = "open"

// Options configure a Notifier.
type Options struct {
	// AppID is the AppUserModelID the toasts are sent under (app.ID); the
	// installer registers it.
	AppID string
	// Fallback sends a notification the Fyne way (fyne.App.SendNotification).
	Fallback func(*fyne.Notification)
	// OnClick runs (on a goroutine of the Windows Runtime) when the user
	// clicks a toast; args is the toast's launch argument (LaunchOpen).
	OnClick func(args string)
	// Logger receives which path is used and why; nil discards.
	Logger *slog.Logger
}

// platform is what the OS offers besides Fyne.
type platform interface {
	// registered reports whether appID is registered for toasts with
	// AuditLight's activator (the installer does it); why explains a no.
	registered(appID string) (ok bool, why string)
	// push shows a toast described by its XML.
	push(appID, xml string) error
	// onClick installs the activation callback.
	onClick(func(args string))
}

// Notifier sends notifications along the best path available and falls
// back, once and saying so, when that path fails. It is safe for
// concurrent use.
type Notifier struct {
	opts Options
	os   platform // nil: no toasts (Linux, macOS)
	log  *slog.Logger

	mu     sync.Mutex
	path   Path
	reason string
}

// New chooses the path for this process and logs it.
func New(o Options) *Notifier { return newNotifier(o, osPlatform()) }

// newNotifier is New on the given platform (tests inject a fake).
func newNotifier(o Options, os platform) *Notifier {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := &Notifier{opts: o, os: os, log: log}
	n.path, n.reason = choose(os, o.AppID)
	if n.path == PathToast && o.OnClick != nil {
		os.onClick(o.OnClick)
	}
	if n.path == PathToast || os == nil {
		log.Info("notifications", "path", string(n.path), "why", n.reason)
	} else {
		log.Warn("notifications: falling back", "path", string(n.path), "why", n.reason)
	}
	return n
}

// Describe reports the path New would choose for appID in this process and
// why, without sending anything (for `auditlight diagnostics`).
func Describe(appID string) (Path, string) {
	return choose(osPlatform(), appID)
}

// choose picks the path: a toast when the OS has toasts and the installer
// registered appID, else Fyne.
func choose(p platform, appID string) (Path, string) {
	if p == nil {
		return PathFyne, "this system's notification service, through Fyne"
	}
	ok, why := p.registered(appID)
	if !ok {
		return PathFyne, fmt.Sprintf("%s; Windows may not show these notifications — install AuditLight with its installer", why)
	}
	return PathToast, fmt.Sprintf("AppUserModelID %s registered by the installer", appID)
}

// Path reports the path in use and why.
func (n *Notifier) Path() (Path, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.path, n.reason
}

// Send shows note. A toast that fails switches this process to the Fyne
// path for good, logged with the error.
func (n *Notifier) Send(note *fyne.Notification) {
	if path, _ := n.Path(); path == PathToast {
		xml, err := Toast{Title: note.Title, Body: note.Content, Launch: LaunchOpen}.XML()
		if err == nil {
			err = n.os.push(n.opts.AppID, xml)
		}
		if err == nil {
			n.log.Info("notification sent", "path", string(PathToast), "title", note.Title)
			return
		}
		n.fallBack(err)
	}
	n.log.Info("notification sent", "path", string(PathFyne), "title", note.Title)
	if n.opts.Fallback != nil {
		n.opts.Fallback(note)
	}
}

// fallBack switches to Fyne after a toast failed.
func (n *Notifier) fallBack(err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.path != PathToast {
		return
	}
	n.path = PathFyne
	n.reason = fmt.Sprintf("the Windows Runtime refused the toast (%v); Windows may not show these notifications", err)
	n.log.Warn("notifications: falling back", "path", string(n.path), "why", n.reason)
}
