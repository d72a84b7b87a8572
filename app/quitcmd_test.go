package app

import (
	"strings"
	"testing"

	"github.com/auditlight/auditlight/app/instance"
	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/notify"
)

func TestQuitCommand(t *testing.T) {
	dir := t.TempDir()
	c := &cli{t: t, keys: &keychain.Memory{}}

	code, _, stderr := c.run("", "--profile", dir, "quit")
	if code != exitNotRunning || !strings.Contains(stderr, "not running") {
		t.Fatalf("quit with nothing running: exit %d, stderr %q; want exit %d saying it is not running", code, stderr, exitNotRunning)
	}

	// A running GUI: its Quit handler closes the instance, as showGUI's quit does.
	owner := make(chan *instance.Instance, 1)
	asked := make(chan struct{}, 1)
	inst, err := instance.AcquireWith(dir, instance.Handlers{Quit: func() { asked <- struct{}{}; _ = (<-owner).Close() }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close() })
	owner <- inst
	// --wait 0 only asks: the owner's process is this test, which goes on running.
	code, stdout, stderr := c.run("", "--profile", dir, "quit", "--wait", "0")
	if code != 0 || !strings.Contains(stdout, "asked to quit") {
		t.Fatalf("quit with a running GUI: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	<-asked
}

func TestRemoveSecretsCommandRemovesEveryProfilesSecret(t *testing.T) {
	keys := &keychain.Memory{}
	for _, a := range []string{"contoso.onmicrosoft.com/app1", "fabrikam.onmicrosoft.com/app2"} {
		if err := keys.Set(a, "s3cret"); err != nil {
			t.Fatal(err)
		}
	}
	c := &cli{t: t, keys: keys}
	code, stdout, stderr := c.run("", "--profile", t.TempDir(), "remove-secrets")
	if code != 0 || !strings.Contains(stdout, "Removed") {
		t.Fatalf("remove-secrets: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if keys.Len() != 0 {
		t.Fatalf("%d secrets left in the keychain", keys.Len())
	}
}

func TestDiagnosticsSayHowNotificationsAreSent(t *testing.T) {
	c := &cli{t: t, keys: &keychain.Memory{}}
	code, stdout, stderr := c.run("", "--profile", t.TempDir(), "diagnostics")
	path, why := notify.Describe(ID)
	want := "Notifications: " + string(path) + " (" + why + ")"
	if code != 0 || !strings.Contains(stdout, want) {
		t.Fatalf("diagnostics exit %d (stderr %q) lacks %q:\n%s", code, stderr, want, stdout)
	}
}
