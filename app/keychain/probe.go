package keychain

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
)

// probeAccountPrefix marks the throwaway items written by Probe.
const probeAccountPrefix = "auditlight-probe/"

// Probe tells up front whether s works: it stores a random throwaway item,
// reads it back, compares and deletes it. The item is deleted even when
// reading fails. The returned error wraps the Store's error, so
// errors.Is(err, ErrUnavailable) etc. work on it.
func Probe(s Store) error {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return fmt.Errorf("keychain check: generating a test value: %w", err)
	}
	account := probeAccountPrefix + hex.EncodeToString(raw[:8])
	value := "probe-" + hex.EncodeToString(raw[8:])

	if err := s.Set(account, value); err != nil {
		return fmt.Errorf("keychain check: storing a test item: %w", err)
	}
	got, getErr := s.Get(account)
	delErr := s.Delete(account)
	switch {
	case getErr != nil:
		return errors.Join(fmt.Errorf("keychain check: reading the test item back: %w", getErr), cleanupError(delErr))
	case got != value:
		return errors.Join(errors.New("keychain check: the keychain returned a different value than was stored"), cleanupError(delErr))
	case delErr != nil:
		return fmt.Errorf("keychain check: deleting the test item: %w", delErr)
	}
	return nil
}

// cleanupError wraps a failed delete of the probe item, or returns nil.
func cleanupError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("keychain check: deleting the test item: %w", err)
}
