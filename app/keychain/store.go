// Package keychain keeps the AuditLight client secret in the operating
// system's credential store: the macOS Keychain, the Windows Credential
// Manager, or a freedesktop.org Secret Service (GNOME Keyring, KWallet,
// KeePassXC) on Linux.
//
// There is deliberately no fallback to a file: if the OS keychain cannot be
// used, every operation fails with an error that tells the user what to
// install or unlock. The Memory store exists for the demo mode and tests.
package keychain

import "strings"

// Service is the service (or "target") name under which AuditLight stores
// its secrets in the OS keychain.
const Service = "AuditLight"

// Store reads and writes secrets by account name. Implementations must be
// safe for concurrent use and must never include a secret in an error.
type Store interface {
	// Get returns the secret stored for account, or an error wrapping
	// ErrNotFound when there is none.
	Get(account string) (string, error)
	// Set stores secret for account, replacing any previous value.
	Set(account, secret string) error
	// Delete removes the secret for account; it returns an error wrapping
	// ErrNotFound when there was nothing to delete.
	Delete(account string) error
}

// Account returns the keychain account name for an app registration in a
// tenant: "tenant/clientid", trimmed and lower-cased so that the same GUIDs
// typed with different case or stray spaces find the same item.
func Account(tenant, clientID string) string {
	return strings.ToLower(strings.TrimSpace(tenant)) + "/" + strings.ToLower(strings.TrimSpace(clientID))
}

// AllDeleter is a Store that can remove every secret AuditLight stored in
// it, whatever the profile (the uninstaller's `auditlight remove-secrets`).
type AllDeleter interface {
	// DeleteAll removes every secret stored under Service; having none is
	// not an error.
	DeleteAll() error
}
