package app

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// checkedWriter remembers the first write error, so a command whose output
// could not be written (a full disk, `status > /dev/full`, a closed pipe)
// exits non-zero instead of reporting success with nothing written.
type checkedWriter struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		c.mu.Lock()
		if c.err == nil {
			c.err = err
		}
		c.mu.Unlock()
	}
	return n, err
}

// Err is the first write error, or nil.
func (c *checkedWriter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// writeFileChecked creates path (mode 0600) and writes it with fill; every
// write, the flush to disk and the close are checked, so a full disk is an
// error, never an empty file reported as written.
func writeFileChecked(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	cw := &checkedWriter{w: f}
	err = fill(cw)
	if err == nil {
		err = cw.Err()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
