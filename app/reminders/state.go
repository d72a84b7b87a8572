package reminders

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/auditlight/auditlight/internal/atomicfile"
)

// stateVersion is the format version of the state file.
const stateVersion = 1

// keepExpired is how long the state of an expired secret is kept.
const keepExpired = 400 * 24 * time.Hour

// How a threshold was handled.
const (
	howSent       = "sent"
	howSuperseded = "superseded"
)

// state is the content of the state file.
type state struct {
	Version int `json:"version"`
	// Secrets is keyed by the secret's expiry (UTC, RFC 3339), so a
	// rotated secret with a new expiry starts with no reminders sent.
	Secrets map[string]*secretState `json:"secrets"`
}

// secretState records the thresholds handled for one secret.
type secretState struct {
	Expiry time.Time    `json:"expiry"`
	Marks  map[int]mark `json:"thresholds"`
}

// mark records when and how a threshold was handled.
type mark struct {
	At  time.Time `json:"at"`
	How string    `json:"how"`
}

func newState() state {
	return state{Version: stateVersion, Secrets: make(map[string]*secretState)}
}

// key identifies a secret by its expiry instant.
func key(expiry time.Time) string {
	return expiry.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// secret returns (creating) the state of the secret expiring at expiry.
func (st *state) secret(expiry time.Time) *secretState {
	k := key(expiry)
	sec, ok := st.Secrets[k]
	if !ok {
		sec = &secretState{Expiry: expiry.UTC().Truncate(time.Second), Marks: make(map[int]mark)}
		st.Secrets[k] = sec
	}
	return sec
}

// prune forgets secrets that expired long ago.
func (st *state) prune(now time.Time) {
	for k, sec := range st.Secrets {
		if now.Sub(sec.Expiry) > keepExpired {
			delete(st.Secrets, k)
		}
	}
}

// corruptError means the file exists but is not valid reminder state.
type corruptError struct{ err error }

func (e *corruptError) Error() string { return "corrupt reminder state: " + e.err.Error() }

// load reads the state file; a missing file is an empty state.
func load(path string) (state, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return state{}, fmt.Errorf("reading reminder state: %w", err)
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return state{}, &corruptError{err: fmt.Errorf("not valid JSON: %w", err)}
	}
	if st.Version != stateVersion {
		return state{}, &corruptError{err: fmt.Errorf("unknown format version %d", st.Version)}
	}
	if st.Secrets == nil {
		st.Secrets = make(map[string]*secretState)
	}
	for k, sec := range st.Secrets {
		if sec == nil || sec.Marks == nil {
			return state{}, &corruptError{err: fmt.Errorf("entry %q has no thresholds", k)}
		}
	}
	return st, nil
}

// save writes the state atomically: a temporary file in the same
// directory, fsync, rename over the old file. A crash leaves either the
// old or the new state, never a torn file.
func save(path string, st state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding reminder state: %w", err)
	}
	if err := atomicfile.Write(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("saving reminder state: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes the rename durable where the OS supports it (best effort:
// Windows cannot open directories for sync).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// moveAside renames a corrupt state file so it can be inspected.
func moveAside(path, aside string) error {
	if err := os.Rename(path, aside); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("moving corrupt reminder state aside: %w", err)
	}
	return nil
}
