package keychain

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

// realKeyringEnv enables TestOSKeychainRoundTrip; scripts/keyring-test.sh
// sets it after starting and unlocking a throwaway gnome-keyring.
const realKeyringEnv = "AUDITLIGHT_REAL_KEYRING"

// TestOSKeychainRoundTrip exercises the real OS keychain the way the app
// does: store, read back, rotate, delete, and confirm the item is gone.
func TestOSKeychainRoundTrip(t *testing.T) {
	if os.Getenv(realKeyringEnv) != "1" {
		t.Skipf("touches the real OS keychain; set %s=1 (scripts/keyring-test.sh does this with a throwaway gnome-keyring)", realKeyringEnv)
	}
	var raw [8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		t.Fatal(err)
	}
	suffix := hex.EncodeToString(raw[:])
	account := Account("roundtrip-test-"+suffix+".onmicrosoft.com", "00000000-0000-0000-0000-"+suffix[:12])
	store := OS{}
	t.Cleanup(func() { _ = store.Delete(account) })

	steps := []struct {
		name   string
		secret string
	}{
		{name: "store", secret: "Abc8Q~first.secret-" + suffix},
		{name: "rotate", secret: "Xyz8Q~rotated_secret~" + suffix},
	}
	for _, step := range steps {
		if err := store.Set(account, step.secret); err != nil {
			t.Fatalf("%s: Set: %v", step.name, err)
		}
		got, err := store.Get(account)
		if err != nil {
			t.Fatalf("%s: Get: %v", step.name, err)
		}
		if got != step.secret {
			t.Fatalf("%s: Get returned a different secret than stored (len %d, want len %d)", step.name, len(got), len(step.secret))
		}
	}
	if err := store.Delete(account); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := store.Get(account)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: got %v, want ErrNotFound", err)
	}
	for _, step := range steps {
		if strings.Contains(err.Error(), step.secret) {
			t.Fatal("error message contains the secret")
		}
	}
	if err := Probe(store); err != nil {
		t.Fatalf("Probe on a working keychain: %v", err)
	}
}
