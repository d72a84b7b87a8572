package profile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// profileDirName is the folder name of the default profile on every OS.
const profileDirName = "AuditLight"

// profileBases says where the OS keeps per-user settings and data, for
// choosing the default profile directory.
type profileBases struct {
	// goos is runtime.GOOS.
	goos string
	// config is os.UserConfigDir(): ~/.config, ~/Library/Application
	// Support, or %APPDATA% (the *roaming* profile) on Windows.
	config string
	// localAppData is %LOCALAPPDATA% (Windows only).
	localAppData string
}

// defaultDir returns the default profile directory and, on Windows, the
// roaming one that older versions used (to migrate from). Windows keeps
// the profile in %LOCALAPPDATA%: a roaming profile may be redirected to a
// network share, where SQLite's WAL does not work, and is copied at every
// logon.
func (b profileBases) defaultDir() (dir, legacy string, err error) {
	if b.goos != "windows" {
		if b.config == "" {
			return "", "", errors.New("the OS reports no per-user config directory")
		}
		return filepath.Join(b.config, profileDirName), "", nil
	}
	if b.localAppData == "" {
		return "", "", errors.New("%LOCALAPPDATA% is not set")
	}
	dir = filepath.Join(b.localAppData, profileDirName)
	if b.config != "" {
		legacy = filepath.Join(b.config, profileDirName)
	}
	return dir, legacy, nil
}

// migrateProfile moves an existing profile from legacy to dir when dir does
// not exist yet. It renames when both are on one volume and otherwise copies
// (keeping owner-only permissions) and then removes legacy, so an
// interrupted copy leaves legacy intact and is redone next time. It reports
// whether it moved anything.
func migrateProfile(legacy, dir string) (bool, error) {
	if legacy == "" || legacy == dir {
		return false, nil
	}
	if _, err := os.Stat(dir); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("checking %s: %w", dir, err)
	}
	st, err := os.Stat(legacy)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checking the old profile %s: %w", legacy, err)
	}
	if !st.IsDir() {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return false, fmt.Errorf("creating %s: %w", filepath.Dir(dir), err)
	}
	if err := os.Rename(legacy, dir); err == nil {
		return true, nil
	}
	// Different volumes (a redirected roaming folder): copy into a
	// temporary sibling, then put it in place in one rename.
	tmp := dir + ".migrating"
	if err := os.RemoveAll(tmp); err != nil {
		return false, fmt.Errorf("clearing %s: %w", tmp, err)
	}
	if err := copyTree(legacy, tmp); err != nil {
		return false, fmt.Errorf("copying the profile from %s to %s: %w", legacy, dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return false, fmt.Errorf("moving the copied profile into %s: %w", dir, err)
	}
	if err := os.RemoveAll(legacy); err != nil {
		return true, fmt.Errorf("the profile was copied to %s but the old one could not be removed: %w", dir, err)
	}
	return true, nil
}

// copyTree copies the directory src to dst (which must not exist), files
// 0600 and directories 0700. Symbolic links are not followed or copied.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o700)
		case d.Type().IsRegular():
			return copyFile(path, target)
		default:
			return nil
		}
	})
}

// copyFile copies one regular file with owner-only permissions.
func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

// defaultProfileDir returns the default profile directory for this user,
// first moving a Windows profile from the roaming folder older versions
// used. A failed migration is reported rather than silently starting an
// empty profile next to the old one.
func defaultProfileDir() (string, error) {
	config, cerr := os.UserConfigDir()
	b := profileBases{goos: runtime.GOOS, config: config, localAppData: os.Getenv("LOCALAPPDATA")}
	dir, legacy, err := b.defaultDir()
	if err != nil {
		return "", errors.Join(err, cerr)
	}
	if _, err := migrateProfile(legacy, dir); err != nil {
		return "", fmt.Errorf("moving the profile to %s: %w", dir, err)
	}
	return dir, nil
}
