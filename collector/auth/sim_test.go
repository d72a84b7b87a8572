package auth_test

import (
	"context"
	"testing"

	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/simulator"
)

func startSim(t *testing.T, scenario string) *simulator.Sim {
	t.Helper()
	sim, err := simulator.Start(context.Background(), simulator.Config{Scenario: scenario, Seed: 7})
	if err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

func simEndpoints(sim *simulator.Sim) auth.Endpoints {
	return auth.Endpoints{LoginURL: sim.LoginURL(), APIURL: sim.APIURL(), GraphURL: sim.GraphURL()}
}

// TestSimulatorSignIn runs the real MSAL client against the simulator's Entra
// ID: the admin's typical inputs and mistakes, and the kind each one yields.
func TestSimulatorSignIn(t *testing.T) {
	sim := startSim(t, simulator.ScenarioHealthy)
	ten := sim.Tenant()
	tests := []struct {
		name             string
		tenant, clientID string
		secret           string
		wantKind         fault.Kind
		wantCode         string
	}{
		{"tenant GUID", ten.ID, ten.ClientID, ten.Secret, fault.Unknown, ""},
		{"tenant domain", ten.Domain, ten.ClientID, ten.Secret, fault.Unknown, ""},
		{"secret ID pasted", ten.ID, ten.ClientID, ten.SecretID, fault.InvalidSecret, "AADSTS7000215"},
		{"wrong app", ten.ID, "00000000-1111-4222-8333-444444444444", ten.Secret, fault.AppNotFound, "AADSTS700016"},
		{"unknown tenant", "nosuchtenant.onmicrosoft.com", ten.ClientID, ten.Secret, fault.TenantNotFound, "AADSTS90002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := auth.NewSource(auth.Config{Endpoints: simEndpoints(sim), Tenant: tt.tenant, ClientID: tt.clientID,
				Secret: tt.secret, HTTPClient: sim.Client()})
			if err != nil {
				t.Fatalf("NewSource: %v", err)
			}
			tid, err := src.TenantID(context.Background())
			if tt.wantKind != fault.Unknown {
				fe, ok := fault.As(err)
				if !ok || fe.Kind != tt.wantKind || fe.Code != tt.wantCode {
					t.Fatalf("err = %v, want %v %s", err, tt.wantKind, tt.wantCode)
				}
				return
			}
			if err != nil || tid != ten.ID {
				t.Fatalf("TenantID = %q, %v; want %q", tid, err, ten.ID)
			}
			tok, err := src.Token(context.Background(), auth.API)
			if err != nil {
				t.Fatal(err)
			}
			if !tok.FromCache || !tok.Claims.HasRole("ActivityFeed.Read") || tok.Claims.AppID != ten.ClientID {
				t.Errorf("API token: cached=%v claims=%+v, want a cached token with ActivityFeed.Read", tok.FromCache, tok.Claims)
			}
			gt, err := src.Token(context.Background(), auth.Graph)
			if err != nil || !gt.Claims.HasRole("User.Read.All") {
				t.Errorf("Graph token roles = %v, %v; want User.Read.All", gt.Claims.Roles, err)
			}
		})
	}
}

func TestSimulatorScenarios(t *testing.T) {
	tests := []struct {
		scenario string
		wantKind fault.Kind
		wantCode string
		noRoles  bool
	}{
		{simulator.ScenarioExpiredSecret, fault.ExpiredSecret, "AADSTS7000222", false},
		{simulator.ScenarioNoConsent, fault.Unknown, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			sim := startSim(t, tt.scenario)
			ten := sim.Tenant()
			src, err := auth.NewSource(auth.Config{Endpoints: simEndpoints(sim), Tenant: ten.ID, ClientID: ten.ClientID,
				Secret: ten.Secret, HTTPClient: sim.Client()})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token(context.Background(), auth.API)
			if tt.wantKind != fault.Unknown {
				if fe, ok := fault.As(err); !ok || fe.Kind != tt.wantKind || fe.Code != tt.wantCode {
					t.Fatalf("err = %v, want %v %s", err, tt.wantKind, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.noRoles && len(tok.Claims.Roles) != 0 {
				t.Errorf("roles = %v, want none without admin consent", tok.Claims.Roles)
			}
		})
	}
}
