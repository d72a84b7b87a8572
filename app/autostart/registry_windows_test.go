//go:build windows

package autostart

import (
	"testing"

	"golang.org/x/sys/windows/registry"
)

// TestRunKey: on Windows, start at login is a value in HKCU\...\Run holding
// the quoted command line; Task Manager's "Disabled" switch is honoured when
// reading and cleared when the admin turns it on again in AuditLight; Disable
// removes the value. Run under Wine by scripts/wine-unit.sh.
func TestRunKey(t *testing.T) {
	const name = "AuditLightTest-RunKey"
	e := Entry{Name: name, Exec: `C:\Users\me\AppData\Local\Programs\AuditLight\auditlight.exe`, Args: []string{"--minimized"}}
	t.Cleanup(func() { _ = Disable(name) })
	if err := Enable(e); err != nil {
		t.Fatalf("Enable: %v", err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := k.GetStringValue(name)
	k.Close()
	if want := WindowsCommandLine(e.Exec, e.Args); err != nil || got != want {
		t.Fatalf("Run value = %q, %v; want %q", got, err, want)
	}
	if on, err := Enabled(name); err != nil || !on {
		t.Fatalf("Enabled = %v, %v; want true", on, err)
	}

	// The user switches it off in Task Manager's Startup tab.
	a, _, err := registry.CreateKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetBinaryValue(name, []byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if on, err := Enabled(name); err != nil || on {
		t.Fatalf("Enabled after Task Manager disabled it = %v, %v; want false", on, err)
	}
	if err := Enable(e); err != nil {
		t.Fatalf("Enable again: %v", err)
	}
	if on, err := Enabled(name); err != nil || !on {
		t.Fatalf("Enabled after turning it on again = %v, %v; want true (the Task Manager switch cleared)", on, err)
	}

	if err := Disable(name); err != nil {
		t.Fatalf("Disable: %v", err)
	}
	if on, err := Enabled(name); err != nil || on {
		t.Fatalf("Enabled after Disable = %v, %v; want false", on, err)
	}
	if err := Disable(name); err != nil {
		t.Fatalf("Disable twice: %v", err)
	}
}
