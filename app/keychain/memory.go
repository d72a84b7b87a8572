package keychain

import (
	"errors"
	"sync"
)

// Memory is an in-process Store for the demo mode and tests. The zero value
// is ready to use and safe for concurrent use. Its errors have the same
// kinds as OS (ErrNotFound), so callers can be tested against it.
type Memory struct {
	mu      sync.Mutex
	secrets map[string]string
	fail    error
}

var _ Store = (*Memory)(nil)

// memoryKeychain names the Memory store in error messages.
const memoryKeychain = "in-memory demo keychain"

// Get returns the secret stored for account.
func (m *Memory) Get(account string) (string, error) {
	if err := validAccount(account); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return "", m.fail
	}
	secret, ok := m.secrets[account]
	if !ok {
		return "", &Error{Op: "reading", Keychain: memoryKeychain, Kind: ErrNotFound, Hint: hintNotFound}
	}
	return secret, nil
}

// Set stores secret for account, replacing any previous value.
func (m *Memory) Set(account, secret string) error {
	if err := validAccount(account); err != nil {
		return err
	}
	if secret == "" {
		return errors.New("storing the secret: refusing to store an empty secret")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if m.secrets == nil {
		m.secrets = make(map[string]string)
	}
	m.secrets[account] = secret
	return nil
}

// Delete removes the secret stored for account.
func (m *Memory) Delete(account string) error {
	if err := validAccount(account); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if _, ok := m.secrets[account]; !ok {
		return &Error{Op: "deleting", Keychain: memoryKeychain, Kind: ErrNotFound, Hint: hintNotFound}
	}
	delete(m.secrets, account)
	return nil
}

// SetFailure makes every later call fail with err (nil restores normal
// operation). Tests and the demo use it to show how the app behaves when
// the OS keychain is unavailable.
func (m *Memory) SetFailure(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// Len returns how many secrets are stored.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.secrets)
}

var _ AllDeleter = (*Memory)(nil)

// DeleteAll removes every stored secret.
func (m *Memory) DeleteAll() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	clear(m.secrets)
	return nil
}
