package collector_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
	"github.com/auditlight/auditlight/collector/store"
)

// TestDamagedStoreStopsCollectionRed: a store file damaged while AuditLight
// was not running is found by the check that runs beside collection (not
// before it, so a restart after a crash starts collecting at once): Drain
// fails with a StoreDamaged fault, Run stops, and the light is red with
// the salvage fix — never a green over a file that cannot be trusted.
func TestDamagedStoreStopsCollectionRed(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, simulator.Config{Scenario: simulator.ScenarioHealthy, Seed: 3, Users: 12}, collector.Options{})
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("first drain: %v", err)
	}
	path := r.store.Path()
	if err := r.store.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	if fi.Size() < 1<<20 {
		t.Fatalf("store too small (%d bytes) for a meaningful scribble", fi.Size())
	}
	at := fi.Size() / 2 &^ 4095
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x00, 0x5A, 0xFF}, 16<<10), at); err != nil {
		t.Fatal(err)
	}
	f.Close()

	for _, tc := range []struct {
		name string
		run  func(c *collector.Collector) error
	}{
		{"drain", func(c *collector.Collector) error { return c.Drain(ctx) }},
		{"run", func(c *collector.Collector) error {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			return c.Run(ctx)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.Open(ctx, path, store.Options{})
			if err != nil {
				if errors.Is(err, store.ErrCorrupt) {
					return // refused at open: also never green
				}
				t.Fatal(err)
			}
			defer st.Close()
			c, err := collector.New(collector.Options{API: r.api, Store: st, MaxLookback: 167*time.Hour + 55*time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			err = tc.run(c)
			if !errors.Is(err, store.ErrCorrupt) || fault.KindOf(err) != fault.StoreDamaged {
				t.Fatalf("%s on a damaged store = %v; want a StoreDamaged fault wrapping ErrCorrupt", tc.name, err)
			}
			s, ok := c.Status()
			if !ok || s.State != health.ActionNeeded || !bytes.Contains([]byte(s.Fix), []byte("salvage")) {
				t.Errorf("status = %v %q fix %q; want red with the salvage fix", s.State, s.Reason, s.Fix)
			}
		})
	}
}

// TestSoundCheckIsRecorded: a check that finds the file sound is recorded
// when the check ran, so that `auditlight status` in another
// process can rely on it instead of reading the whole file again.
func TestSoundCheckIsRecorded(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, simulator.Config{Scenario: simulator.ScenarioHealthy, Seed: 3, Users: 4}, collector.Options{})
	if _, ok, err := r.store.SoundAt(ctx); err != nil || ok {
		t.Fatalf("a new store says it was checked (ok %v, err %v)", ok, err)
	}
	before := time.Now()
	if err := r.coll.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
	after := time.Now()
	got, ok, err := r.store.SoundAt(ctx)
	if err != nil || !ok || got.Before(before) || got.After(after) {
		t.Fatalf("SoundAt after a drain = %v, %v, %v; want a time within the drain (%v..%v)", got, ok, err, before, after)
	}
}
