package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// parseArgs parses a command's flags and rejects anything left over: an
// ignored positional argument hid mistakes (`configure … s3cr3t` stored
// nothing of it; `status x --json` printed text because parsing stopped at x).
func parseArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, err: fmt.Errorf("%s: unexpected argument %q (flags go before it; see %s -h)", fs.Name(), fs.Arg(0), fs.Name())}
	}
	return nil
}

// maxCAFile bounds the --ca-file read: a CA bundle is a few hundred KiB.
const maxCAFile = 4 << 20

// readCAFile reads a PEM CA file, which must be a regular file of at most
// maxCAFile bytes: /dev/zero ran out of memory and a FIFO hung forever.
func readCAFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("the CA file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("the CA file %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	if fi.Size() > maxCAFile {
		return nil, fmt.Errorf("the CA file %s is %d bytes; a CA certificate file is at most %d MiB", path, fi.Size(), maxCAFile>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("the CA file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() { // replaced between Stat and Open
		return nil, fmt.Errorf("the CA file %s is not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxCAFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading the CA file %s: %w", path, err)
	}
	if len(b) > maxCAFile {
		return nil, fmt.Errorf("the CA file %s is larger than %d MiB", path, maxCAFile>>20)
	}
	return b, nil
}

// maxURL bounds the custom cloud URLs (a 128 KiB URL was accepted).
const maxURL = 2048

// checkURLFlag rejects an over-long URL with the flag's name.
func checkURLFlag(name, v string) error {
	if len(v) > maxURL {
		return fmt.Errorf("--%s: the URL is %d characters long; at most %d are accepted", name, len(v), maxURL)
	}
	return nil
}

// checkExpiryDate rejects dates no Entra secret can have (year 0, 9999).
func checkExpiryDate(d, now time.Time) error {
	lo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := now.AddDate(100, 0, 0)
	if d.Before(lo) || d.After(hi) {
		return fmt.Errorf("--secret-expiry: %s is not a plausible expiry date (Entra secrets last at most 2 years)", d.Format("2006-01-02"))
	}
	return nil
}

// errNegative is the message for a count that must not be negative.
func errNegative(flagName string, v int) error {
	return fmt.Errorf("--%s: %d is negative; give 0 or more", flagName, v)
}
