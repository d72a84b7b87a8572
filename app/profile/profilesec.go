package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrUnsafe marks a profile another local user could change: its
// config says where the secret is sent, so it is refused, as ssh refuses a
// ~/.ssh that others can write.
var ErrUnsafe = errors.New("unsafe profile")

// CheckSafe refuses a profile directory or config file that is owned
// by another user or writable by other users (on Windows: whose ACL lets
// others write). Missing files are fine: they are created owner-only.
func CheckSafe(p Profile) error {
	for _, path := range []string{p.Dir, p.ConfigPath()} {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("checking %s: %w", path, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 && path == p.ConfigPath() {
			return fmt.Errorf("%w: %s is a symbolic link; AuditLight only reads a regular settings file it owns", ErrUnsafe, path)
		}
		if err := checkOwnerAndMode(path, fi); err != nil {
			return fmt.Errorf("%w: %v", ErrUnsafe, err)
		}
	}
	return nil
}
