package instance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrNotRunning is returned by Quit when no live AuditLight owns the
// profile directory.
var ErrNotRunning = errors.New("AuditLight is not running for this profile")

// pollInterval is how often WaitGone looks at the instance file and the
// process.
const pollInterval = 100 * time.Millisecond

// Quit asks the AuditLight that owns dir to quit. It returns the owner's
// process id once the owner has accepted (it then commits its checkpoints
// and exits; see WaitGone), ErrNotRunning when nothing owns dir (no file,
// or a stale one nobody answers on), or an error when the owner refused.
func Quit(dir string) (pid int, err error) {
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, ErrNotRunning
	}
	if err != nil {
		return 0, fmt.Errorf("reading instance file: %w", err)
	}
	var rec record
	if json.Unmarshal(data, &rec) != nil || rec.Port <= 0 || rec.Port > 65535 || rec.Token == "" {
		return 0, ErrNotRunning // truncated or foreign file: nobody to ask
	}
	if err := request(rec, protocolQuit); err != nil {
		// Activation tells a live owner from a stale file: a live owner
		// that does not confirm a quit request refused it.
		if request(rec, protocolHello) != nil {
			return 0, ErrNotRunning
		}
		return 0, fmt.Errorf("the running AuditLight (process %d) refused to quit: %w", rec.PID, err)
	}
	return rec.PID, nil
}

// WaitGone waits until the owner that accepted Quit has closed its
// instance (its file is gone or belongs to a newer owner) and process pid
// has exited, so that its files (the exe an installer replaces, the
// database) are no longer open. It returns ctx's error if that takes too
// long.
func WaitGone(ctx context.Context, dir string, pid int) error {
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	return waitGone(ctx, filepath.Join(dir, FileName), pid, processAlive, t.C)
}

// waitGone is WaitGone with the process probe and the ticker injected.
func waitGone(ctx context.Context, path string, pid int, alive func(int) bool, tick <-chan time.Time) error {
	for {
		if !ownedBy(path, pid) && (pid <= 0 || !alive(pid)) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for AuditLight (process %d) to exit: %w", pid, ctx.Err())
		case <-tick:
		}
	}
}

// ownedBy reports whether the instance file at path still names pid.
func ownedBy(path string, pid int) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var rec record
	return json.Unmarshal(data, &rec) == nil && rec.PID == pid
}
