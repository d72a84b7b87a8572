// Package profilelock makes sure only one collector works on a profile at a
// time, whatever started it (the GUI, `auditlight collect`, Start at login).
//
// It uses an OS file lock on a file in the profile (flock on Unix,
// LockFileEx on Windows), so the lock is released by the kernel when the
// holder exits or is killed: nothing stale is ever left behind. The holder
// writes its pid, command and start time into the file so the refusal can
// say who holds it, and so `auditlight status` can tell whether a collector
// is running right now (Probe).
package profilelock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FileName is the lock file inside the profile directory.
const FileName = "collector.lock"

// Holder describes the process that holds the lock.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"` // "gui", "collect", ...
	Since   time.Time `json:"since"`
}

// HeldError is returned by Acquire when another process holds the lock.
type HeldError struct {
	Dir    string
	Holder Holder // zero when the holder's details could not be read
}

func (e *HeldError) Error() string {
	who := "another AuditLight"
	if e.Holder.PID > 0 {
		who = fmt.Sprintf("another AuditLight (pid %d", e.Holder.PID)
		if e.Holder.Command != "" {
			who += ", " + e.Holder.Command
		}
		if !e.Holder.Since.IsZero() {
			who += ", since " + e.Holder.Since.Local().Format("2006-01-02 15:04:05")
		}
		who += ")"
	}
	return who + " is already collecting the profile " + e.Dir + "; only one collector may run per profile (quit it first, or use another --profile)"
}

// Lock is a held profile lock. Close releases it.
type Lock struct {
	f *os.File
}

// retries bounds how often Acquire tries again when the lock is busy for a
// moment (a Probe holds a shared lock for microseconds).
const (
	retries    = 10
	retryPause = 20 * time.Millisecond
)

// Acquire takes the profile's lock for command (shown to a second process
// that is refused). It returns *HeldError when another process holds it.
func Acquire(dir, command string, now time.Time) (*Lock, error) {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the profile lock %s: %w", path, err)
	}
	for i := 0; ; i++ {
		err = lockFile(f, true)
		if err == nil || !errors.Is(err, errBusy) || i >= retries {
			break
		}
		time.Sleep(retryPause)
	}
	if errors.Is(err, errBusy) {
		h, _ := readHolder(f)
		f.Close()
		return nil, &HeldError{Dir: dir, Holder: h}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking the profile %s: %w", path, err)
	}
	b, _ := json.Marshal(Holder{PID: os.Getpid(), Command: command, Since: now.UTC()})
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt(append(b, '\n'), 0)
		if err != nil {
			_ = unlockFile(f)
			f.Close()
			return nil, fmt.Errorf("writing the profile lock %s: %w", path, err)
		}
	}
	return &Lock{f: f}, nil
}

// Close releases the lock.
func (l *Lock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// Probe reports whether a process holds the profile's lock right now, and
// who. It never blocks and never takes the lock for longer than a moment.
func Probe(dir string) (held bool, h Holder, err error) {
	path := filepath.Join(dir, FileName)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, Holder{}, nil
	}
	if err != nil {
		return false, Holder{}, fmt.Errorf("opening the profile lock %s: %w", path, err)
	}
	defer f.Close()
	switch err := lockFile(f, false); {
	case errors.Is(err, errBusy):
		h, _ := readHolder(f)
		return true, h, nil
	case err != nil:
		return false, Holder{}, fmt.Errorf("probing the profile lock %s: %w", path, err)
	}
	_ = unlockFile(f)
	return false, Holder{}, nil
}

// maxHolder bounds what is read from the lock file.
const maxHolder = 4 << 10

func readHolder(f *os.File) (Holder, error) {
	var h Holder
	b := make([]byte, maxHolder)
	n, err := f.ReadAt(b, 0)
	if n == 0 && err != nil {
		return h, err
	}
	return h, json.Unmarshal(trimNL(b[:n]), &h)
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	return b
}
