package graph_test

import (
	"context"
	"testing"

	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/graph"
	"github.com/auditlight/auditlight/collector/simulator"
)

func simGraph(t *testing.T, cfg simulator.Config) (*simulator.Sim, *graph.Client) {
	t.Helper()
	sim, err := simulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	ten := sim.Tenant()
	src, err := auth.NewSource(auth.Config{
		Endpoints: auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL()},
		Tenant:    ten.ID, ClientID: ten.ClientID, Secret: ten.Secret, HTTPClient: sim.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := graph.New(graph.Config{BaseURL: sim.GraphURL(), HTTPClient: sim.Client(), Token: src.Provider(auth.Graph)})
	if err != nil {
		t.Fatal(err)
	}
	return sim, gc
}

func TestSimulatorUsersAndSecretExpiry(t *testing.T) {
	const users = 1200 // more than one page of 999
	sim, gc := simGraph(t, simulator.Config{Seed: 9, Users: users, RecordsPerUserDay: 1})
	ctx := context.Background()
	list, err := gc.Users(ctx)
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	seen := map[string]bool{}
	for _, u := range list {
		if u.ID == "" || u.UPN == "" || u.DisplayName == "" || seen[u.ID] {
			t.Fatalf("user %+v is incomplete or repeated", u)
		}
		seen[u.ID] = true
	}
	if len(list) != users {
		t.Errorf("got %d users, want %d across pages", len(list), users)
	}
	if n := sim.Stats().Requests[simulator.KindGraphUsers]; n != 2 {
		t.Errorf("users requests = %d, want 2 pages", n)
	}
	ten := sim.Tenant()
	app, err := gc.App(ctx, ten.ClientID)
	if err != nil {
		t.Fatalf("App: %v", err)
	}
	s, ok := app.SecretFor(ten.Secret)
	if !ok || s.KeyID != ten.SecretID || !s.End.Equal(ten.SecretExpiry.UTC().Truncate(1e9)) {
		t.Errorf("SecretFor = %+v, %v; want key %s expiring %v", s, ok, ten.SecretID, ten.SecretExpiry)
	}
	if len(app.RequiredAccess) == 0 {
		t.Error("no required permissions read from the app registration")
	}
	if _, ok := app.SecretFor(ten.SecretID); ok {
		t.Error("the Secret ID matched a secret's hint")
	}
}

func TestSimulatorNoGraphPermission(t *testing.T) {
	sim, gc := simGraph(t, simulator.Config{Scenario: simulator.ScenarioNoGraphPermission, Seed: 9, Users: 3, RecordsPerUserDay: 1})
	_, err := gc.Users(context.Background())
	if fault.KindOf(err) != fault.PermissionMissing {
		t.Errorf("Users err = %v, want permission-missing", err)
	}
	_, err = gc.App(context.Background(), sim.Tenant().ClientID)
	if fault.KindOf(err) != fault.PermissionMissing {
		t.Errorf("App err = %v, want permission-missing", err)
	}
}
