//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

const (
	// runKey is the per-user Run key read by Explorer at login.
	runKey = `Software\Microsoft\Windows\CurrentVersion\Run`
	// approvedKey holds the "Disabled" switches of Task Manager's Startup
	// tab; an odd first byte means the user disabled the entry there.
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
)

// registryRun manages a value in HKCU\...\Run.
type registryRun struct{}

// newRegistryBackend returns the Windows backend.
func newRegistryBackend() (backend, error) { return registryRun{}, nil }

func (registryRun) enable(e Entry) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf(`opening HKCU\%s: %w`, runKey, err)
	}
	defer k.Close()
	if err := k.SetStringValue(e.Name, WindowsCommandLine(e.Exec, e.Args)); err != nil {
		return fmt.Errorf(`writing HKCU\%s\%s: %w`, runKey, e.Name, err)
	}
	// Turning it on in AuditLight also clears a "Disabled" from Task
	// Manager, otherwise the user's switch would silently do nothing.
	a, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf(`opening HKCU\%s: %w`, approvedKey, err)
	}
	defer a.Close()
	if err := a.DeleteValue(e.Name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf(`clearing the Task Manager startup switch: %w`, err)
	}
	return nil
}

func (registryRun) disable(name string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf(`opening HKCU\%s: %w`, runKey, err)
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf(`deleting HKCU\%s\%s: %w`, runKey, name, err)
	}
	return nil
}

func (registryRun) enabled(name string) (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf(`opening HKCU\%s: %w`, runKey, err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue(name); errors.Is(err, registry.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf(`reading HKCU\%s\%s: %w`, runKey, name, err)
	}
	a, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return true, nil // no Task Manager switches recorded
	}
	defer a.Close()
	data, _, err := a.GetBinaryValue(name)
	if err == nil && len(data) > 0 && data[0]&1 == 1 {
		return false, nil
	}
	return true, nil
}
