package main

import (
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
)

// Spec is what goes into the bundle.
type Spec struct {
	Exe     string // path of the built darwin executable
	Icon    string // path of the square PNG icon
	ID      string // CFBundleIdentifier, e.g. io.github.auditlight.auditlight
	Name    string // CFBundleName and the bundle's file name
	Version string // CFBundleShortVersionString, MAJOR.MINOR.PATCH
	Build   string // CFBundleVersion, a number
	MinOS   string // LSMinimumSystemVersion
}

var (
	idRE      = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)
	versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	buildRE   = regexp.MustCompile(`^[0-9]+$`)
	minOSRE   = regexp.MustCompile(`^[0-9]+\.[0-9]+(\.[0-9]+)?$`)
	nameRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._-]*$`)
)

// check refuses values macOS would reject or misread: Launch Services and
// notarization want a reverse-DNS identifier and numeric versions.
func (s Spec) check() error {
	var errs []error
	for _, c := range []struct {
		field, value string
		re           *regexp.Regexp
		want         string
	}{
		{"id", s.ID, idRE, "reverse-DNS letters, digits, '-' and '.' (e.g. io.github.auditlight.auditlight)"},
		{"name", s.Name, nameRE, "letters, digits, spaces, '.', '_' or '-'"},
		{"version", s.Version, versionRE, "MAJOR.MINOR.PATCH"},
		{"build", s.Build, buildRE, "a number"},
		{"min-macos", s.MinOS, minOSRE, "e.g. 12.0"},
	} {
		if !c.re.MatchString(c.value) {
			errs = append(errs, fmt.Errorf("-%s %q: want %s", c.field, c.value, c.want))
		}
	}
	if s.Exe == "" {
		errs = append(errs, errors.New("-exe: the darwin executable is required"))
	}
	return errors.Join(errs...)
}

// exeName is the file name of the executable inside Contents/MacOS.
func (s Spec) exeName() string { return filepath.Base(s.Exe) }

// Assemble writes outDir/<Name>.app and returns its path. A bundle already
// there is replaced as a whole, so no file of an older build survives.
func Assemble(s Spec, outDir string) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	exe, err := os.ReadFile(s.Exe)
	if err != nil {
		return "", fmt.Errorf("reading the executable: %w", err)
	}
	if !isMachO(exe) {
		return "", fmt.Errorf("%s is not a Mach-O executable (build it with GOOS=darwin)", s.Exe)
	}
	iconFile, err := os.Open(s.Icon)
	if err != nil {
		return "", fmt.Errorf("reading the icon: %w", err)
	}
	defer iconFile.Close()
	img, err := png.Decode(iconFile)
	if err != nil {
		return "", fmt.Errorf("decoding the icon %s: %w", s.Icon, err)
	}
	icns, err := ICNS(img)
	if err != nil {
		return "", fmt.Errorf("making the .icns: %w", err)
	}
	app := filepath.Join(outDir, s.Name+".app")
	tmp := app + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return "", fmt.Errorf("clearing %s: %w", tmp, err)
	}
	files := []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{"Contents/Info.plist", InfoPlist(s), 0o644},
		{"Contents/PkgInfo", []byte("APPL????"), 0o644},
		{"Contents/MacOS/" + s.exeName(), exe, 0o755},
		{"Contents/Resources/" + s.Name + ".icns", icns, 0o644},
	}
	for _, f := range files {
		p := filepath.Join(tmp, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("creating %s: %w", filepath.Dir(p), err)
		}
		if err := os.WriteFile(p, f.data, f.mode); err != nil {
			return "", fmt.Errorf("writing %s: %w", f.path, err)
		}
		if err := os.Chmod(p, f.mode); err != nil { // WriteFile's mode is masked by the umask
			return "", fmt.Errorf("setting the mode of %s: %w", f.path, err)
		}
	}
	if err := os.RemoveAll(app); err != nil {
		return "", fmt.Errorf("removing the old bundle: %w", err)
	}
	if err := os.Rename(tmp, app); err != nil {
		return "", fmt.Errorf("moving the bundle into place: %w", err)
	}
	return app, nil
}

// isMachO reports whether b starts like a 64-bit Mach-O file or a universal
// (fat) binary.
func isMachO(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	switch m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]); m {
	case 0xcffaedfe, 0xfeedfacf, 0xcafebabe: // MH_MAGIC_64 (little/big endian), FAT_MAGIC
		return true
	}
	return false
}
