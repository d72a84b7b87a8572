package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/app/profilelock"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/simulator"
)

// cli runs the real command line with an injected keychain and environment.
type cli struct {
	t    *testing.T
	keys *keychain.Memory
	env  map[string]string
}

func (c *cli) run(stdin string, args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, keys: c.keys,
		getenv: func(k string) string { return c.env[k] }}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = run(ctx, e, args)
	return code, out.String(), errb.String()
}

func TestHeadlessCommandsEndToEnd(t *testing.T) {
	frozen := time.Now()
	sim := startSim(t, simulator.Config{Seed: 21, Users: 3, Clock: func() time.Time { return frozen }})
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	ten := sim.Tenant()
	dir := filepath.Join(t.TempDir(), "profile")
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := sim.WriteCAFile(ca); err != nil {
		t.Fatal(err)
	}
	c := &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{}}
	base := []string{"--profile", dir}
	configure := func(secret string) (int, string, string) {
		return c.run(secret+"\n", append(base, "configure", "--tenant", " "+ten.Domain+" ", "--client-id", ten.ClientID,
			"--cloud", "custom", "--login-url", sim.LoginURL(), "--api-url", sim.APIURL(), "--graph-url", sim.GraphURL(),
			"--ca-file", ca, "--secret-expiry", ten.SecretExpiry.Format("2006-01-02"), "--requests-per-minute", "1000000", "--secret-stdin")...)
	}

	t.Run("configure refuses a Secret ID and saves nothing", func(t *testing.T) {
		code, _, stderr := configure(ten.SecretID)
		if code == 0 || !strings.Contains(stderr, "This looks like the Secret ID") {
			t.Fatalf("code %d, stderr %q", code, stderr)
		}
		if _, err := profile.LoadConfig(profile.Profile{Dir: dir}); err == nil {
			t.Fatal("a config was saved despite the failure")
		}
	})
	t.Run("configure with a wrong secret names the fix and saves nothing", func(t *testing.T) {
		code, stdout, _ := configure("Wr0ng~" + ten.Secret[6:])
		if code != 1 || !strings.Contains(stdout, "AADSTS7000215") || !strings.Contains(stdout, "Fix:") {
			t.Fatalf("code %d, stdout %q", code, stdout)
		}
		if c.keys.Len() != 0 {
			t.Fatal("a wrong secret was stored in the keychain")
		}
	})
	t.Run("configure", func(t *testing.T) {
		code, stdout, stderr := configure(ten.Secret)
		if code != 0 || !strings.Contains(stdout, "Saved the settings") {
			t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		if got, _ := c.keys.Get(keychain.Account(ten.Domain, ten.ClientID)); got != ten.Secret {
			t.Fatal("the secret is not in the keychain")
		}
		cfg, err := profile.LoadConfig(profile.Profile{Dir: dir})
		if err != nil || cfg.TenantID != ten.ID {
			t.Fatalf("config %+v, %v; want the tenant GUID from the token", cfg, err)
		}
	})
	t.Run("check passes and prints every check", func(t *testing.T) {
		code, stdout, _ := c.run("", append(base, "check")...)
		if code != 0 || strings.Count(stdout, "[pass]") < 8 || !strings.Contains(stdout, "Result: connected") {
			t.Fatalf("code %d:\n%s", code, stdout)
		}
	})
	t.Run("collect --once drains and status reports green", func(t *testing.T) {
		code, _, stderr := c.run("", append(base, "collect", "--once")...)
		if code != 0 {
			t.Fatalf("collect --once exit %d:\n%s", code, stderr)
		}
		code, stdout, _ := c.run("", append(base, "status", "--json")...)
		var st health.Status
		if code != 0 || json.Unmarshal([]byte(stdout), &st) != nil {
			_, _, stderr := c.run("", append(base, "status", "--json")...)
			t.Fatalf("status --json exit %d: %s %s", code, stdout, stderr)
		}
		// collect --once has ended: nothing collects now, and status says so.
		if st.Colour != "amber" || !strings.Contains(st.Reason, "not running since") || st.TotalRecords < 1000 {
			t.Fatalf("status %s with %d records: %s", st.Colour, st.TotalRecords, st.Reason)
		}
	})
	t.Run("collect logs to the profile, rotated, never the secret; diagnostics has the tail", func(t *testing.T) {
		b, err := os.ReadFile(profile.Profile{Dir: dir}.LogPath())
		if err != nil {
			t.Fatalf("headless collect wrote no log file: %v", err)
		}
		if !strings.Contains(string(b), "drain finished") || strings.Contains(string(b), ten.Secret) {
			t.Fatalf("log file lacks the run or holds the secret (%d bytes)", len(b))
		}
		code, stdout, _ := c.run("", append(base, "diagnostics")...)
		if code != 0 || !strings.Contains(stdout, "Log (tail)") || !strings.Contains(stdout, "drain finished") || strings.Contains(stdout, ten.Secret) {
			t.Fatalf("diagnostics exit %d without the log tail (or with the secret)", code)
		}
	})
	t.Run("status while a collector holds the profile shows its snapshot; a second collector is refused", func(t *testing.T) {
		l, err := profilelock.Acquire(dir, "collect", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		code, stdout, _ := c.run("", append(base, "status", "--json")...)
		var st health.Status
		if code != 0 || json.Unmarshal([]byte(stdout), &st) != nil || st.Colour != "green" {
			t.Fatalf("status exit %d: %s", code, stdout)
		}
		code, _, stderr := c.run("", append(base, "collect", "--once")...)
		if code == 0 || !strings.Contains(stderr, "already collecting") || !strings.Contains(stderr, "pid") {
			t.Fatalf("second collector: exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("events --json prints records as Microsoft sent them, filtered", func(t *testing.T) {
		code, stdout, _ := c.run("", append(base, "events", "--workload", "Exchange", "--limit", "5", "--json")...)
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
		sc := bufio.NewScanner(strings.NewReader(stdout))
		n := 0
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("line %d is not a JSON record: %v", n+1, err)
			}
			if rec["Workload"] != "Exchange" || rec["Id"] == nil || rec["CreationTime"] == nil {
				t.Fatalf("record %v", rec)
			}
			n++
		}
		if n != 5 {
			t.Fatalf("%d records, want 5", n)
		}
		code, stdout, _ = c.run("", append(base, "events", "--since", "nonsense")...)
		if code == 0 || stdout != "" {
			t.Fatalf("bad --since accepted: exit %d", code)
		}
	})
	t.Run("check fails with exit 1 when the secret is wrong", func(t *testing.T) {
		c.env[EnvSecret] = "Wr0ng~" + ten.Secret[6:]
		defer delete(c.env, EnvSecret)
		code, stdout, stderr := c.run("", append(base, "check")...)
		if code != 1 || !strings.Contains(stdout, "[FAIL]") || !strings.Contains(stderr, "test connection failed") {
			t.Fatalf("code %d\n%s\n%s", code, stdout, stderr)
		}
	})
	t.Run("unknown command and help", func(t *testing.T) {
		if code, _, stderr := c.run("", "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
			t.Fatalf("code %d %q", code, stderr)
		}
		if code, stdout, _ := c.run("", "help"); code != 0 || !strings.Contains(stdout, "collect") {
			t.Fatalf("help: %d %q", code, stdout)
		}
	})
}
