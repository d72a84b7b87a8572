//go:build !windows

package autostart

import "errors"

// newRegistryBackend is only reachable on Windows; see registry_windows.go.
func newRegistryBackend() (backend, error) {
	return nil, errors.New("the Windows Run key is only available on Windows")
}
