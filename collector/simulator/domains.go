package simulator

import "net/http"

// RoleDomainReadAll lets an app list the tenant's domains (GET /v1.0/domains);
// Directory.Read.All works too.
const RoleDomainReadAll = "Domain.Read.All"

// KindGraphDomains counts GET /v1.0/domains requests.
const KindGraphDomains = "graph/domains"

// graphDomains answers GET /v1.0/domains with the tenant's verified initial
// domain, as Microsoft Graph does for a tenant without custom domains.
func (s *Sim) graphDomains(w http.ResponseWriter, r *http.Request) {
	roles, ok := s.graphAuth(w, r)
	if !ok {
		return
	}
	if !hasAny(roles, RoleDomainReadAll, "Directory.Read.All", "Directory.ReadWrite.All", "Domain.ReadWrite.All") {
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	d := s.Tenant().Domain
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.GraphURL() + "/$metadata#domains",
		"value": []map[string]any{{
			"id": d, "authenticationType": "Managed", "isAdminManaged": true, "isDefault": true,
			"isInitial": true, "isRoot": true, "isVerified": true,
			"supportedServices": []string{"Email", "OfficeCommunicationsOnlineAccounts"},
		}},
	})
}
