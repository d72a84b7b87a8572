//go:build !windows

package fynelog

import (
	"fmt"
	"os"
)

// ShowGraphicsFailure prints msg on stderr (a terminal or the desktop
// session's log); the profile log has it too.
func ShowGraphicsFailure(msg string) { fmt.Fprintln(os.Stderr, msg) }
