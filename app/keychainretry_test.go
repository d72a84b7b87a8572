package app

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/ui/setup"
)

// lockedKeys fails Get with ErrUnavailable the first n times.
type lockedKeys struct {
	keychain.Store
	n atomic.Int32
}

func (l *lockedKeys) Get(account string) (string, error) {
	if l.n.Add(-1) >= 0 {
		return "", fmt.Errorf("reading the secret from the Secret Service: %w", keychain.ErrUnavailable)
	}
	return l.Store.Get(account)
}

// TestKeychainUnavailableIsRedAndRetried: the tray app does not give up when
// the keychain cannot be read at start (locked, its service not up yet): it
// shows red "cannot read the secret from the keychain", retries with growing
// waits, and collects once the keychain answers.
func TestKeychainUnavailableIsRedAndRetried(t *testing.T) {
	cases := []struct {
		name      string
		failures  int32
		wantWaits []time.Duration
	}{
		{"available at once", 0, nil},
		{"locked for three attempts", 3, []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim := startSim(t, simulator.Config{Seed: 5, Users: 2})
			ten := sim.Tenant()
			b := simBackend(t, sim)
			ctx := context.Background()
			if err := b.Connect(ctx, setup.Draft{Tenant: ten.Domain, ClientID: ten.ClientID}, ten.Secret); err != nil {
				t.Fatalf("connect: %v", err)
			}
			b.shutdown() // as if the app was restarted
			lk := &lockedKeys{Store: b.keys}
			lk.n.Store(tc.failures)
			b.keys = lk
			var waits []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error {
				st, _ := b.status.Latest()
				if st.Colour != "red" || !strings.Contains(st.Reason, "cannot read the secret from the keychain") || st.Collecting() {
					t.Errorf("while the keychain is locked: status %s %q, collecting %v", st.Colour, st.Reason, st.Collecting())
				}
				waits = append(waits, d)
				return ctx.Err()
			}
			if err := b.startRetrying(ctx, sleep); err != nil {
				t.Fatalf("startRetrying: %v", err)
			}
			if fmt.Sprint(waits) != fmt.Sprint(tc.wantWaits) {
				t.Fatalf("waits %v, want %v", waits, tc.wantWaits)
			}
			if b.runtime() == nil {
				t.Fatal("no collector running after the keychain answered")
			}
		})
	}
}
