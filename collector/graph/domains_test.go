package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/simulator"
)

func TestSimulatorDomains(t *testing.T) {
	tests := []struct {
		name    string
		grant   bool
		wantErr bool
	}{
		{"with Domain.Read.All", true, false},
		{"without permission falls back (permission missing)", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, gc := simGraph(t, simulator.Config{Seed: 9, Users: 3, RecordsPerUserDay: 1})
			if tt.grant {
				sim.Mutate(func(s *simulator.State) {
					s.AppRoles[simulator.ResourceGraph] = append(s.AppRoles[simulator.ResourceGraph], simulator.RoleDomainReadAll)
				})
			}
			got, err := gc.Domains(context.Background())
			if tt.wantErr {
				if fault.KindOf(err) != fault.PermissionMissing {
					t.Fatalf("err = %v, want permission-missing", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{sim.Tenant().Domain}) {
				t.Errorf("domains %v, want the tenant's %s", got, sim.Tenant().Domain)
			}
		})
	}
}
