//go:build !windows

package app

// attachConsole is only needed by the Windows GUI build; elsewhere the
// process already has the terminal's standard streams.
func attachConsole([]string) string { return "" }
