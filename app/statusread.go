package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/app/profilelock"
	"github.com/auditlight/auditlight/collector"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

// fileCheck says whether currentStatus reads the whole store file for
// damage (store.QuickCheck: seconds at a million records).
type fileCheck int

const (
	// checkFile checks the file unless the collector that holds the
	// profile has found it sound since it started (`auditlight status`).
	checkFile fileCheck = iota
	// skipFileCheck never checks: for a caller that starts a collector,
	// which checks the file at once (the GUI at start).
	skipFileCheck
)

// currentStatus is the profile's status as it is true at now: grey without a
// usable config, else the status a collector last saved, re-evaluated
// against now and whether a collector holds the profile (health.Reassess),
// red when the store file is damaged (see fileCheck). It is what
// `auditlight status` prints and what the GUI shows until its own collector
// publishes.
func currentStatus(ctx context.Context, p profile.Profile, now time.Time, check fileCheck) (health.Status, error) {
	cfg, err := profile.LoadConfig(p)
	if errors.Is(err, profile.ErrNotConfigured) {
		return health.Evaluate(health.Inputs{}, now, health.Thresholds{}), nil
	}
	if err != nil {
		return health.Status{}, err
	}
	running, holder, err := profilelock.Probe(p.Dir)
	if err != nil {
		return health.Status{}, err
	}
	// One read-only open serves the damage check and the saved status.
	var (
		saved health.Status
		ok    bool
	)
	s, err := store.OpenReadOnly(ctx, p.StorePath(), store.Options{Retention: cfg.Retention()})
	switch {
	case errors.Is(err, fs.ErrNotExist): // nothing collected yet: nothing saved, nothing to check
	case (errors.Is(err, store.ErrEmpty) || errors.Is(err, store.ErrCorrupt)) && check == checkFile:
		return storeDamageStatus(p, err, now), nil
	case err != nil:
		return health.Status{}, explainStoreError(p, err)
	default:
		defer s.Close()
		if check == checkFile && !soundSinceStart(ctx, s, running, holder, now) {
			if derr := s.QuickCheck(ctx); errors.Is(derr, store.ErrCorrupt) {
				return storeDamageStatus(p, derr, now), nil
			}
		}
		if saved, ok, err = savedStatus(ctx, s); err != nil {
			return health.Status{}, err
		}
	}
	if !ok {
		// Nothing saved yet: a bare "configured" evaluation, made true by Reassess.
		saved = health.Evaluate(health.Inputs{Configured: true, SecretExpiry: cfg.SecretExpiry}, now, health.Thresholds{})
		saved.At = time.Time{}
	}
	return health.Reassess(saved, now, running, health.Thresholds{PollInterval: cfg.PollInterval()}), nil
}

// savedStatus reads the status the last collector saved in the store.
func savedStatus(ctx context.Context, s *store.Store) (health.Status, bool, error) {
	var st health.Status
	v, ok, err := s.Meta(ctx, metaLastStatus)
	if err != nil || !ok {
		return st, false, err
	}
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return st, false, fmt.Errorf("reading the saved status: %w", err)
	}
	return st, true, nil
}

// soundSinceStart reports that the collector holding the profile found the
// store file sound after it took the profile and within its check period
// (collector.DefaultCheckEvery, plus an hour for a check still running):
// that check stands in for reading the whole file again. A collector
// checks the file at start and then periodically, and goes red itself on
// damage, which its saved status carries. Without a holder, a holder
// whose start is unknown, or a check older than that holder, it is false.
func soundSinceStart(ctx context.Context, s *store.Store, running bool, h profilelock.Holder, now time.Time) bool {
	if !running || h.Since.IsZero() {
		return false
	}
	at, ok, err := s.SoundAt(ctx)
	return err == nil && ok && recentSoundCheck(h.Since, at, now)
}

// recentSoundCheck is soundSinceStart's rule: a passing check at sound,
// made by a collector that took the profile at since, still vouches for
// the file at now.
func recentSoundCheck(since, sound, now time.Time) bool {
	return !sound.Before(since) && !sound.After(now.Add(time.Minute)) && now.Sub(sound) <= collector.DefaultCheckEvery+time.Hour
}
