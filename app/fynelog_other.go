//go:build !windows

package app

import (
	"fmt"
	"os"
)

// showGraphicsFailure prints msg on stderr (a terminal or the desktop
// session's log); the profile log has it too.
func showGraphicsFailure(msg string) { fmt.Fprintln(os.Stderr, msg) }
