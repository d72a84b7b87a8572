package keychain

import (
	"errors"
	"os"
	"runtime"

	keyring "github.com/zalando/go-keyring"
)

// OS is the Store backed by the operating system's keychain through
// github.com/zalando/go-keyring, under the service name Service.
//
// Calls may block while the OS asks the user to unlock the keychain or to
// allow access (macOS, Secret Service prompts); call them off the UI
// goroutine.
type OS struct{}

var _ Store = OS{}

// Get returns the secret stored for account.
func (OS) Get(account string) (string, error) {
	if err := precheck("reading", account); err != nil {
		return "", err
	}
	secret, err := keyring.Get(Service, account)
	if err != nil {
		return "", mapError("reading", runtime.GOOS, "", err)
	}
	return secret, nil
}

// Set stores secret for account, replacing any previous value.
func (OS) Set(account, secret string) error {
	if err := precheck("storing", account); err != nil {
		return err
	}
	if secret == "" {
		return errors.New("storing the secret: refusing to store an empty secret")
	}
	return mapError("storing", runtime.GOOS, secret, keyring.Set(Service, account, secret))
}

// Delete removes the secret stored for account.
func (OS) Delete(account string) error {
	if err := precheck("deleting", account); err != nil {
		return err
	}
	return mapError("deleting", runtime.GOOS, "", keyring.Delete(Service, account))
}

// precheck validates the account and, on Linux/BSD, that a D-Bus session
// bus exists before go-keyring is called.
func precheck(op, account string) error {
	if err := validAccount(account); err != nil {
		return err
	}
	return checkSessionBus(op, runtime.GOOS, os.Getenv, pathExists)
}

// validAccount rejects account names that would address the wrong item.
func validAccount(account string) error {
	if account == "" || account == "/" {
		return errors.New("keychain account name is empty: tenant and client ID are required")
	}
	return nil
}

var _ AllDeleter = OS{}

// DeleteAll removes every AuditLight secret from the OS keychain, for every
// profile (on Windows every Credential Manager entry "AuditLight:…").
func (OS) DeleteAll() error {
	if err := checkSessionBus("deleting", runtime.GOOS, os.Getenv, pathExists); err != nil {
		return err
	}
	err := keyring.DeleteAll(Service)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return mapError("deleting", runtime.GOOS, "", err)
}
