package keychain

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	dbus "github.com/godbus/dbus/v5"
	keyring "github.com/zalando/go-keyring"
)

func TestMapError(t *testing.T) {
	const secret = "Q8x8Q~super.secret-value_123"
	noSecretService := dbus.Error{
		Name: "org.freedesktop.DBus.Error.ServiceUnknown",
		Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"},
	}
	tests := []struct {
		name     string
		goos     string
		err      error
		kinds    []error // errors.Is must hold for each
		notKinds []error // and must not hold for these
		wantText []string
	}{
		{
			name: "linux not found", goos: "linux", err: keyring.ErrNotFound,
			kinds: []error{ErrNotFound}, notKinds: []error{ErrUnavailable},
			wantText: []string{"Secret Service keyring", "enter the client secret again"},
		},
		{
			name: "windows not found", goos: "windows", err: keyring.ErrNotFound,
			kinds: []error{ErrNotFound}, wantText: []string{"Windows Credential Manager"},
		},
		{
			name: "linux secret service not provided", goos: "linux", err: noSecretService,
			kinds: []error{ErrUnavailable}, notKinds: []error{ErrNotFound, ErrLocked},
			wantText: []string{"No Secret Service is running: install and unlock GNOME Keyring (apt install gnome-keyring) or KeePassXC", "org.freedesktop.secrets"},
		},
		{
			name: "linux secret service not provided, wrapped as text", goos: "linux",
			err:   fmt.Errorf("calling OpenSession: %s", noSecretService.Error()),
			kinds: []error{ErrUnavailable}, wantText: []string{"apt install gnome-keyring"},
		},
		{
			name: "linux no session bus", goos: "linux", err: errors.New("dbus: couldn't determine address of session bus"),
			kinds: []error{ErrUnavailable}, notKinds: []error{ErrLocked},
			wantText: []string{"No D-Bus session bus", "apt install gnome-keyring"},
		},
		{
			name: "linux session bus socket gone", goos: "linux", err: errors.New("dial unix /run/user/1000/bus: connect: no such file or directory"),
			kinds: []error{ErrUnavailable}, wantText: []string{"No D-Bus session bus"},
		},
		{
			name: "linux locked collection", goos: "linux",
			err:   errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"),
			kinds: []error{ErrLocked, ErrUnavailable}, wantText: []string{"login keyring is locked"},
		},
		{
			name: "freebsd is a Secret Service platform too", goos: "freebsd", err: noSecretService,
			kinds: []error{ErrUnavailable}, wantText: []string{"No Secret Service is running"},
		},
		{
			name: "windows too big", goos: "windows", err: keyring.ErrSetDataTooBig,
			kinds: []error{ErrTooLarge}, wantText: []string{"2,560 bytes", "Windows Credential Manager"},
		},
		{
			name: "macOS too big", goos: "darwin", err: keyring.ErrSetDataTooBig,
			kinds: []error{ErrTooLarge}, wantText: []string{"3,000 bytes", "macOS Keychain"},
		},
		{
			name: "windows no logon session", goos: "windows", err: syscall.Errno(1312),
			kinds: []error{ErrUnavailable}, wantText: []string{"Windows Credential Manager", "not as a service"},
		},
		{
			name: "windows other failure names the platform", goos: "windows", err: errors.New("Element not found."),
			notKinds: []error{ErrUnavailable, ErrNotFound}, wantText: []string{"Windows Credential Manager", "Element not found."},
		},
		{
			name: "macOS security tool failure", goos: "darwin", err: errors.New("exit status 36"),
			notKinds: []error{ErrUnavailable}, wantText: []string{"macOS Keychain", "click Allow", "exit status 36"},
		},
		{
			name: "macOS security tool missing", goos: "darwin", err: &exec.Error{Name: "/usr/bin/security", Err: exec.ErrNotFound},
			kinds: []error{ErrUnavailable}, wantText: []string{"/usr/bin/security"},
		},
		{
			name: "unsupported platform", goos: "plan9", err: keyring.ErrUnsupportedPlatform,
			kinds: []error{ErrUnavailable}, wantText: []string{"no keychain support on plan9"},
		},
		{
			name: "secret in the cause is withheld", goos: "darwin", err: errors.New("security: bad input " + secret),
			wantText: []string{"details withheld"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := mapError("storing", tc.goos, secret, tc.err)
			if err == nil {
				t.Fatal("mapError returned nil for a failure")
			}
			for _, k := range tc.kinds {
				if !errors.Is(err, k) {
					t.Errorf("errors.Is(%v, %v) = false", err, k)
				}
			}
			for _, k := range tc.notKinds {
				if errors.Is(err, k) {
					t.Errorf("errors.Is(%v, %v) = true, want false", err, k)
				}
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "storing the secret in the ") {
				t.Errorf("message %q does not say what was attempted", msg)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, secret) || strings.Contains(fmt.Sprintf("%+v", err), secret) {
				t.Errorf("message contains the secret: %q", msg)
			}
			if strings.Contains(tc.err.Error(), secret) && errors.Is(err, tc.err) {
				t.Error("an underlying error containing the secret is still reachable through Unwrap")
			}
		})
	}
}

func TestMapErrorNil(t *testing.T) {
	if err := mapError("reading", "linux", "", nil); err != nil {
		t.Fatalf("mapError(nil) = %v, want nil", err)
	}
}

func TestCheckSessionBus(t *testing.T) {
	tests := []struct {
		name    string
		goos    string
		env     map[string]string
		sockets map[string]bool
		wantErr bool
	}{
		{name: "address in environment", goos: "linux", env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}},
		{name: "systemd user bus socket", goos: "linux", env: map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, sockets: map[string]bool{"/run/user/1000/bus": true}},
		{name: "runtime dir without a bus", goos: "linux", env: map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, wantErr: true},
		{name: "nothing at all", goos: "linux", wantErr: true},
		{name: "macOS needs no bus", goos: "darwin"},
		{name: "windows needs no bus", goos: "windows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkSessionBus("reading", tc.goos,
				func(k string) string { return tc.env[k] },
				func(p string) bool { return tc.sockets[p] })
			if (err != nil) != tc.wantErr {
				t.Fatalf("checkSessionBus = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil && (!errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "apt install gnome-keyring")) {
				t.Fatalf("error %q is not an actionable ErrUnavailable", err)
			}
		})
	}
}

func TestAccount(t *testing.T) {
	tests := []struct {
		tenant, clientID, want string
	}{
		{"contoso.onmicrosoft.com", "11111111-2222-3333-4444-555555555555", "contoso.onmicrosoft.com/11111111-2222-3333-4444-555555555555"},
		{"  Contoso.OnMicrosoft.com ", " 11111111-2222-3333-4444-55555555ABCD\n", "contoso.onmicrosoft.com/11111111-2222-3333-4444-55555555abcd"},
	}
	for _, tc := range tests {
		if got := Account(tc.tenant, tc.clientID); got != tc.want {
			t.Errorf("Account(%q, %q) = %q, want %q", tc.tenant, tc.clientID, got, tc.want)
		}
	}
}
