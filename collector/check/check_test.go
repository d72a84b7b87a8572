package check_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/check"
	"github.com/auditlight/auditlight/collector/simulator"
)

// TestEverySetupMistakeNamesItsCheckAndFix runs the test connection against
// the simulator once per known setup mistake and asserts the exact check
// that fails (or warns), its reason, its fix and the wizard step.
func TestEverySetupMistakeNamesItsCheckAndFix(t *testing.T) {
	type input struct{ tenant, clientID, secret string }
	cases := []struct {
		name     string
		scenario string
		mutate   func(*simulator.State)
		input    func(ten simulator.Tenant) input
		id       string
		status   check.Status
		reason   string
		fix      string
		step     string
	}{
		{name: "tenant not found", input: func(ten simulator.Tenant) input {
			return input{"0b7c58a4-7f0e-4d1c-9d55-0123456789ab", ten.ClientID, ten.Secret}
		}, id: check.IDToken, status: check.Fail, reason: "does not know this tenant (AADSTS90002)", fix: "Directory (tenant) ID", step: check.StepIDs},
		{name: "app not in tenant", input: func(ten simulator.Tenant) input {
			return input{ten.ID, "11111111-2222-4333-8444-555555555555", ten.Secret}
		}, id: check.IDToken, status: check.Fail, reason: "not registered in this tenant (AADSTS700016)", fix: "Application (client) ID", step: check.StepIDs},
		{name: "Secret ID pasted", input: func(ten simulator.Tenant) input {
			return input{ten.ID, ten.ClientID, ten.SecretID}
		}, id: check.IDInputs, status: check.Fail, reason: auth.SecretIDHint, fix: "Value column", step: check.StepSecret},
		{name: "wrong secret", input: func(ten simulator.Tenant) input {
			return input{ten.Domain, ten.ClientID, "Wr0ng~" + ten.Secret[6:]}
		}, id: check.IDToken, status: check.Fail, reason: "rejected the client secret (AADSTS7000215)", fix: "not the Secret ID", step: check.StepSecret},
		{name: "expired secret", scenario: simulator.ScenarioExpiredSecret, id: check.IDToken, status: check.Fail,
			reason: "expired (AADSTS7000222)", fix: "Create a new client secret", step: check.StepSecret},
		{name: "delegated-only permissions", scenario: simulator.ScenarioDelegatedOnly, id: check.IDPermissions, status: check.Fail,
			reason: "added as Delegated permissions only", fix: "Application permissions", step: check.StepPermissions},
		{name: "no admin consent", scenario: simulator.ScenarioNoConsent, id: check.IDPermissions, status: check.Fail,
			reason: "Admin consent has not been granted", fix: "Grant admin consent", step: check.StepPermissions},
		{name: "ReadDlp missing", scenario: simulator.ScenarioNoDLPPermission, id: check.IDPermissions, status: check.Warn,
			reason: "lacks ActivityFeed.ReadDlp", fix: "ActivityFeed.ReadDlp", step: check.StepPermissions},
		{name: "Graph User.Read.All missing", scenario: simulator.ScenarioNoGraphPermission, id: check.IDGraph, status: check.Warn,
			reason: "User.Read.All is not granted", fix: "Microsoft Graph › Application permissions › User.Read.All", step: check.StepPermissions},
		{name: "audit logging off", scenario: simulator.ScenarioAuditOff, id: check.IDAuditLog, status: check.Fail,
			reason: "Unified Audit Logging is not enabled", fix: "Please make sure that Unified Audit Logging is enabled", step: check.StepBefore},
		{name: "subscription disabled", scenario: simulator.ScenarioSubscriptionDisabled, id: check.IDSubscriptions, status: check.Fail,
			reason: "Audit.Exchange subscription is disabled (AF20023)", fix: "Unified Audit Logging in Microsoft Purview", step: check.StepBefore},
		{name: "throttled", mutate: func(s *simulator.State) { s.Faults.RateAF429 = 1 }, id: check.IDSubscriptions, status: check.Fail,
			reason: "throttling this tenant's requests (AF429)", fix: "Wait a few minutes"},
		{name: "clock skew", scenario: simulator.ScenarioSkewedClock, id: check.IDClock, status: check.Warn,
			reason: "clock is about 10 minutes behind Microsoft's", fix: "automatic time synchronisation"},
		{name: "no data yet is a warning, not a failure", scenario: simulator.ScenarioFirstDay, id: check.IDContent, status: check.Warn,
			reason: "No audit content in the last 24 hours yet", fix: "Nothing to do now"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sim, err := simulator.Start(context.Background(), simulator.Config{Scenario: c.scenario, Seed: 5, Users: 3})
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()
			if c.mutate != nil {
				sim.Mutate(c.mutate)
			}
			ten := sim.Tenant()
			in := input{ten.ID, ten.ClientID, ten.Secret}
			if c.input != nil {
				in = c.input(ten)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep := check.Run(ctx, check.Input{Tenant: in.tenant, ClientID: in.clientID, Secret: in.secret,
				Endpoints: auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL(),
					APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default"},
				HTTPClient: sim.Client(), SecretExpiry: ten.SecretExpiry}, nil)
			res, ok := rep.Get(c.id)
			if !ok {
				t.Fatalf("no %s check in %s", c.id, rep.Text())
			}
			if res.Status != c.status || !strings.Contains(res.Reason, c.reason) || !strings.Contains(res.Fix, c.fix) || res.Step != c.step {
				t.Fatalf("%s = [%v] %q fix %q step %q\nwant [%v] containing %q, fix containing %q, step %q\n%s",
					c.id, res.Status, res.Reason, res.Fix, res.Step, c.status, c.reason, c.fix, c.step, rep.Text())
			}
			if c.status == check.Fail {
				if rep.OK {
					t.Error("report OK despite a failed check")
				}
				if first, _ := rep.Failed(); first.ID != c.id {
					t.Errorf("first failure is %s, want %s", first.ID, c.id)
				}
			} else if !rep.OK {
				t.Errorf("a warning must not fail the test connection:\n%s", rep.Text())
			}
			if strings.Contains(rep.Text(), ten.Secret) {
				t.Error("the report text contains the client secret")
			}
		})
	}
}

func TestHealthyTenantConnects(t *testing.T) {
	sim, err := simulator.Start(context.Background(), simulator.Config{Seed: 5, Users: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	ten := sim.Tenant()
	var seen []string
	rep := check.Run(context.Background(), check.Input{Tenant: "  \"" + ten.Domain + "\" ", ClientID: ten.ClientID + "\n", Secret: ten.Secret,
		Endpoints: auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL(),
			APIScope: "https://manage.office.com/.default", GraphScope: "https://graph.microsoft.com/.default"},
		HTTPClient: sim.Client(), SecretExpiry: ten.SecretExpiry}, func(r check.Result) {
		if r.Status != check.Running {
			seen = append(seen, r.ID)
		}
	})
	if !rep.OK {
		t.Fatalf("healthy tenant failed:\n%s", rep.Text())
	}
	if rep.TenantID != ten.ID {
		t.Errorf("tenant id %q, want the GUID %q", rep.TenantID, ten.ID)
	}
	for _, r := range rep.Results {
		if r.Status != check.Pass {
			t.Errorf("%s: %v %s", r.ID, r.Status, r.Reason)
		}
	}
	if strings.Join(seen, ",") != strings.Join(check.Order(), ",") {
		t.Errorf("progress order %v, want %v", seen, check.Order())
	}
}
