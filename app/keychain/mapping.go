package keychain

import (
	"errors"
	"os/exec"
	"strings"
	"syscall"

	dbus "github.com/godbus/dbus/v5"
	keyring "github.com/zalando/go-keyring"
)

// Hints shown to the user. They are part of the error text and therefore
// of what the UI displays, so they say what to do, not what went wrong.
const (
	hintNoSecretService = "No Secret Service is running: install and unlock GNOME Keyring (apt install gnome-keyring) " +
		"or KeePassXC with its Secret Service integration, then try again"
	hintNoSessionBus = "No D-Bus session bus was found, so no Secret Service can be reached: run AuditLight inside " +
		"your desktop login session (or under dbus-run-session), and install and unlock GNOME Keyring " +
		"(apt install gnome-keyring) or KeePassXC with its Secret Service integration, then try again"
	hintLinuxLocked = "Your login keyring is locked and was not unlocked: unlock it (for example in \"Passwords and Keys\"/Seahorse " +
		"or KeePassXC) and try again"
	hintNotFound           = "nothing is stored for this tenant and app yet; enter the client secret again"
	hintMacGeneric         = "make sure your login keychain is unlocked and click Allow when macOS asks whether AuditLight may use it, then try again"
	hintMacNoTool          = "the macOS security tool (/usr/bin/security) could not be run; AuditLight needs it to reach the Keychain"
	hintWindowsGeneric     = "Windows Credential Manager refused the request; sign in to Windows normally and try again"
	hintWindowsNoSession   = "Windows Credential Manager has no logon session for this process: run AuditLight in your own desktop session, not as a service or with RunAs"
	hintGeneric            = "the keychain refused the request; unlock it and try again"
	hintTooLargeWindows    = "Windows Credential Manager stores at most 2,560 bytes per secret. A Microsoft Entra client secret is about 40 characters: paste the secret's Value, not a certificate or a token"
	hintTooLargeMac        = "the macOS Keychain tool accepts about 3,000 bytes per secret. A Microsoft Entra client secret is about 40 characters: paste the secret's Value, not a certificate or a token"
	hintTooLargeGeneric    = "the secret is larger than the keychain accepts. A Microsoft Entra client secret is about 40 characters: paste the secret's Value, not a certificate or a token"
	detailWithheld         = "details withheld because they contained the secret"
	windowsNoLogonSession  = syscall.Errno(1312) // ERROR_NO_SUCH_LOGON_SESSION
	dbusServiceUnknown     = "org.freedesktop.DBus.Error.ServiceUnknown"
	dbusNameHasNoOwner     = "org.freedesktop.DBus.Error.NameHasNoOwner"
	secretServiceBusName   = "org.freedesktop.secrets"
	secretServiceIsLocked  = "org.freedesktop.Secret.Error.IsLocked"
	goKeyringUnlockFailure = "failed to unlock correct collection"
)

// keychainName names the platform credential store for messages.
func keychainName(goos string) string {
	switch goos {
	case "darwin":
		return "macOS Keychain"
	case "windows":
		return "Windows Credential Manager"
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return "Secret Service keyring"
	default:
		return goos + " keychain"
	}
}

// mapError turns a go-keyring error into an *Error with an actionable
// message. secret, if not empty, is scrubbed: should the underlying message
// ever contain it, the detail is withheld and the cause dropped.
func mapError(op, goos, secret string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Op: op, Keychain: keychainName(goos), Detail: err.Error(), cause: err}
	if secret != "" && strings.Contains(e.Detail, secret) {
		e.Detail, e.cause = detailWithheld, nil
	}
	e.Kind, e.Hint = classify(goos, err)
	if e.Kind == ErrNotFound || e.Kind == ErrTooLarge {
		// The sentinel's text already says it all; the go-keyring text
		// would only repeat it.
		e.Detail = ""
	}
	return e
}

// classify decides the kind of failure and the hint for the user.
func classify(goos string, err error) (kind error, hint string) {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound, hintNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		switch goos {
		case "windows":
			return ErrTooLarge, hintTooLargeWindows
		case "darwin":
			return ErrTooLarge, hintTooLargeMac
		}
		return ErrTooLarge, hintTooLargeGeneric
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return ErrUnavailable, "AuditLight has no keychain support on " + goos + "; use Windows, macOS or Linux"
	}
	switch goos {
	case "darwin":
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, syscall.ENOENT) {
			return ErrUnavailable, hintMacNoTool
		}
		return nil, hintMacGeneric
	case "windows":
		var errno syscall.Errno
		if errors.As(err, &errno) && errno == windowsNoLogonSession {
			return ErrUnavailable, hintWindowsNoSession
		}
		return nil, hintWindowsGeneric
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return classifySecretService(err)
	}
	return nil, hintGeneric
}

// classifySecretService recognises the ways a D-Bus Secret Service can be
// missing or locked.
func classifySecretService(err error) (kind error, hint string) {
	msg := err.Error()
	var derr dbus.Error
	if errors.As(err, &derr) {
		switch derr.Name {
		case dbusServiceUnknown, dbusNameHasNoOwner:
			return ErrUnavailable, hintNoSecretService
		case secretServiceIsLocked:
			return ErrLocked, hintLinuxLocked
		}
	}
	switch {
	case strings.Contains(msg, secretServiceBusName) &&
		(strings.Contains(msg, "not provided") || strings.Contains(msg, "no owner") || strings.Contains(msg, "not activatable")):
		return ErrUnavailable, hintNoSecretService
	case strings.Contains(msg, "session bus"),
		strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "autolaunch"),
		strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS"),
		strings.Contains(msg, "dial unix") && strings.Contains(msg, "bus"):
		return ErrUnavailable, hintNoSessionBus
	case strings.Contains(msg, goKeyringUnlockFailure):
		return ErrLocked, hintLinuxLocked
	}
	return nil, hintGeneric
}
