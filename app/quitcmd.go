package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/auditlight/auditlight/app/instance"
	"github.com/auditlight/auditlight/app/keychain"
)

// exitNotRunning is `auditlight quit`'s exit code when no AuditLight was
// running for the profile, so that an installer knows whether to start it
// again after an upgrade.
const exitNotRunning = 4

// runQuit asks the AuditLight window/tray that owns the profile to quit
// (through the single-instance channel) and waits until its process has
// exited, so that an installer can replace the exe. Exit 0: it has quit;
// 4: it was not running; 1: it refused or did not exit in time.
func runQuit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "quit", "quit [--wait DURATION]")
	wait := fs.Duration("wait", 30*time.Second, "how long to wait for it to exit (0: only ask)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	pid, err := instance.Quit(p.Dir)
	if errors.Is(err, instance.ErrNotRunning) {
		return &exitError{code: exitNotRunning, err: errors.New("AuditLight is not running for this profile; nothing to quit")}
	}
	if err != nil {
		return err
	}
	if *wait <= 0 {
		fmt.Fprintf(e.stdout, "AuditLight (process %d) was asked to quit.\n", pid)
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	if err := instance.WaitGone(wctx, p.Dir, pid); err != nil {
		return fmt.Errorf("AuditLight (process %d) was asked to quit but is still running after %s: %w", pid, *wait, err)
	}
	fmt.Fprintf(e.stdout, "AuditLight (process %d) has quit.\n", pid)
	return nil
}

// runRemoveSecrets removes every AuditLight client secret (all profiles)
// from the OS keychain: the uninstaller runs it so that no secret outlives
// the app in Credential Manager, whether or not the data is kept.
func runRemoveSecrets(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "remove-secrets", "remove-secrets")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	keys, ok := e.keychain().(keychain.AllDeleter)
	if !ok {
		return errors.New("removing the secrets: this keychain cannot list AuditLight's entries")
	}
	if err := keys.DeleteAll(); err != nil {
		return fmt.Errorf("removing the secrets: %w", err)
	}
	fmt.Fprintln(e.stdout, "Removed every AuditLight client secret from the keychain.")
	return nil
}
