package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestFindingsCommandsEndToEnd: `collect --once` on the attack simulator,
// then `findings --json` lists the spray, the new-country sign-in and the
// forwarding rule, exits 3
// (new high findings), and the status actions and the detection test work.
func TestFindingsCommandsEndToEnd(t *testing.T) {
	frozen := time.Now()
	sim := startSim(t, simulator.Config{Scenario: simulator.ScenarioAttack, Seed: 7, Users: 12,
		Clock: func() time.Time { return frozen }})
	sim.Mutate(func(s *simulator.State) { s.Faults.RequestsPerMinute = 1 << 30 })
	ten := sim.Tenant()
	dir := filepath.Join(t.TempDir(), "profile")
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := sim.WriteCAFile(ca); err != nil {
		t.Fatal(err)
	}
	c := &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{}}
	base := []string{"--profile", dir}
	if code, stdout, stderr := c.run(ten.Secret+"\n", append(base, "configure", "--tenant", ten.Domain, "--client-id", ten.ClientID,
		"--cloud", "custom", "--login-url", sim.LoginURL(), "--api-url", sim.APIURL(), "--graph-url", sim.GraphURL(),
		"--ca-file", ca, "--secret-expiry", ten.SecretExpiry.Format("2006-01-02"), "--requests-per-minute", "1000000", "--secret-stdin")...); code != 0 {
		t.Fatalf("configure %d: %s %s", code, stdout, stderr)
	}
	if err := os.MkdirAll(filepath.Join(dir, "rules"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules", "broken.yml"), []byte("title: [oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := c.run("", append(base, "collect", "--once")...); code != 0 {
		t.Fatalf("collect --once exit %d:\n%s", code, stderr)
	}

	code, stdout, stderr := c.run("", append(base, "findings", "--json", "--status", "all")...)
	if code != ExitNewHigh {
		t.Fatalf("findings exit %d, want %d (new high findings); stderr %s", code, ExitNewHigh, stderr)
	}
	var list []findingJSON
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatalf("findings --json is not a JSON array: %v\n%s", err, stdout)
	}
	find := func(rule, keyHas string) *findingJSON {
		for i := range list {
			if list[i].Rule == rule && strings.Contains(list[i].Key, keyHas) {
				return &list[i]
			}
		}
		return nil
	}
	spray := find("Password spray from one IP address", "95.165.12.77")
	fwd := find("Inbox rule forwards mail outside the organisation", "Sync backup")
	country := find("Sign-in from a country never seen for the user", "VN")
	if spray == nil || fwd == nil || country == nil {
		t.Fatalf("spray %v / forwarding rule %v / new country %v missing from %d findings", spray != nil, fwd != nil, country != nil, len(list))
	}
	if spray.Severity != "high" || len(spray.Evidence) < 10 || len(fwd.Steps) == 0 || fwd.Steps[0].Link == "" {
		t.Errorf("spray %+v\nforwarding %+v", spray, fwd)
	}
	id := strconv.FormatInt(fwd.ID, 10)

	steps := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"show", []string{"findings", "show", id}, 0, "What to do:"},
		{"wrong allow value is refused with the choices", []string{"findings", "false-positive", id, "--allow", "gmail.com"}, 1, "proton-mail.example"},
		{"not a number", []string{"findings", "ack", "abc"}, 1, "not a finding ID"},
		{"unknown id", []string{"findings", "resolve", "99999"}, 1, "no finding has the ID 99999"},
		{"false positive with allow-list entry", []string{"findings", "false-positive", id, "--allow", "Proton-Mail.example", "--note", "our archive"}, 0, "is allow-listed"},
		{"ack the spray", []string{"findings", "ack", strconv.FormatInt(spray.ID, 10)}, 0, "acknowledged"},
		{"bad status", []string{"findings", "--status", "maybe"}, 1, "unknown status"},
		{"detection test status", []string{"test-detections"}, 0, "Outlook on the web"},
		{"rules list, a broken rule of yours is reported", []string{"findings", "rules"}, 0, "not valid YAML"},
		{"turn a rule off", []string{"findings", "rules", "--disable", "0d6c76aa-5fdc-4850-a8b7-f2b0d5075a37"}, 0, "0d6c76aa-5fdc-4850-a8b7-f2b0d5075a37  no"},
		{"turn an unknown rule off", []string{"findings", "rules", "--disable", "nope"}, 1, "no detection rule has the id"},
		{"detection test unknown", []string{"test-detections", "done", "nope"}, 1, "unknown test"},
		{"detection test done", []string{"test-detections", "done", "forwarding-rule"}, 0, "60–90 minutes"},
	}
	for _, s := range steps {
		code, stdout, stderr := c.run("", append(base, s.args...)...)
		if code != s.wantCode || !strings.Contains(stdout+stderr, s.wantOut) {
			t.Errorf("%s: exit %d (want %d), output lacks %q:\n%s%s", s.name, code, s.wantCode, s.wantOut, stdout, stderr)
		}
	}
	_, stdout, _ = c.run("", append(base, "findings", "--json", "--status", "false-positive")...)
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list) != 1 || list[0].Note != "our archive" {
		t.Errorf("false-positive list: %v %s", err, stdout)
	}
}
