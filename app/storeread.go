package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

// openStoreForReading opens the profile's store read-only for commands that
// only read (status, events, diagnostics): they work on a read-only profile
// (a backup) and never create, migrate or change the file. A missing store
// is returned as fs.ErrNotExist; damage and an empty file are explained.
func openStoreForReading(ctx context.Context, p profile.Profile, cfg profile.Config) (*store.Store, error) {
	s, err := store.OpenReadOnly(ctx, p.StorePath(), store.Options{Retention: cfg.Retention()})
	if err != nil {
		return nil, explainStoreError(p, err)
	}
	return s, nil
}

// explainStoreError turns store damage into a sentence with the fix.
func explainStoreError(p profile.Profile, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no events collected yet (%s does not exist): %w", p.StorePath(), err)
	case errors.Is(err, store.ErrEmpty):
		return fmt.Errorf("the event store %s is empty (0 bytes): the events it held are lost; move it away, then run `auditlight collect` to start a new store: %w", p.StorePath(), err)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("the event store %s is damaged; run `auditlight salvage` to keep what is readable in a new store (the damaged file is kept): %w", p.StorePath(), err)
	}
	return fmt.Errorf("opening the event store: %w", err)
}

// storeDamageStatus is the red status shown when the store is damaged or
// emptied: nothing else it says could be trusted.
func storeDamageStatus(p profile.Profile, err error, now time.Time) health.Status {
	reason := "The event store is damaged: " + err.Error()
	fix := "Run `auditlight salvage`: it keeps every readable event in a new store, keeps the damaged file, and collection fetches again what Microsoft still has (7 days)."
	if errors.Is(err, store.ErrEmpty) {
		reason = "The event store " + p.StorePath() + " is empty (0 bytes): the events it held are lost."
		fix = "Move the empty file away (or restore a backup), then start collection to create a new store."
	}
	st := health.Status{State: health.ActionNeeded, Reason: reason, Fix: fix, Kind: fault.Unknown, At: now}
	st.Colour = st.State.Colour()
	return st
}

func runSalvage(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "salvage", "salvage")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("salvage takes no arguments (got %q)", fs.Args())
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	cfg, err := profile.LoadConfig(p)
	if err != nil && !errors.Is(err, profile.ErrNotConfigured) {
		return err
	}
	res, err := store.Salvage(ctx, p.StorePath(), store.Options{Retention: cfg.Retention()})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "Recovered %d events into a new store at %s; %d could not be read.\nThe damaged file is kept at %s.\nCollection will fetch again what Microsoft still has (the last 7 days).\n",
		res.Recovered, p.StorePath(), res.Unreadable, res.DamagedPath)
	return err
}

// isNotCollectedYet reports that the profile has no store file yet.
func isNotCollectedYet(err error) bool { return errors.Is(err, fs.ErrNotExist) }
