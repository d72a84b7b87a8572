package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/auditlight/auditlight/app/profilelock"
	"github.com/auditlight/auditlight/collector/health"
)

// currentStatus is the profile's status as it is true at now: grey without a
// usable config, else the status a collector last saved, re-evaluated
// against now and whether a collector holds the profile (health.Reassess).
// It is what `auditlight status` prints and what the GUI shows until its own
// collector publishes.
func currentStatus(ctx context.Context, p Profile, now time.Time) (health.Status, error) {
	cfg, err := LoadConfig(p)
	if errors.Is(err, errNotConfigured) {
		return health.Evaluate(health.Inputs{}, now, health.Thresholds{}), nil
	}
	if err != nil {
		return health.Status{}, err
	}
	running, _, err := profilelock.Probe(p.Dir)
	if err != nil {
		return health.Status{}, err
	}
	if derr := checkStore(ctx, p, cfg); derr != nil {
		return storeDamageStatus(p, derr, now), nil
	}
	saved, ok, err := savedStatus(ctx, p, cfg)
	if err != nil {
		return health.Status{}, err
	}
	if !ok {
		// Nothing saved yet: a bare "configured" evaluation, made true by Reassess.
		saved = health.Evaluate(health.Inputs{Configured: true, SecretExpiry: cfg.SecretExpiry}, now, health.Thresholds{})
		saved.At = time.Time{}
	}
	return health.Reassess(saved, now, running, health.Thresholds{PollInterval: cfg.PollInterval()}), nil
}

// savedStatus reads the status the last collector saved in the store.
func savedStatus(ctx context.Context, p Profile, cfg Config) (health.Status, bool, error) {
	var st health.Status
	s, err := openStoreForReading(ctx, p, cfg)
	if isNotCollectedYet(err) {
		return st, false, nil
	}
	if err != nil {
		return st, false, err
	}
	defer s.Close()
	v, ok, err := s.Meta(ctx, metaLastStatus)
	if err != nil || !ok {
		return st, false, err
	}
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return st, false, fmt.Errorf("reading the saved status: %w", err)
	}
	return st, true, nil
}
