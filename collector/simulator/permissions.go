package simulator

import "github.com/auditlight/auditlight/collector/simulator/detrand"

// Resource application ids as they appear in requiredResourceAccess.
const (
	ManagementAPIAppID = "c5393580-f805-4401-95e8-94b7a6ef2fc2"
	GraphAppID         = "00000003-0000-0000-c000-000000000000"
)

// resourceAppID maps a resource (State key) to its first-party app id.
func resourceAppID(resource string) string {
	if resource == ResourceGraph {
		return GraphAppID
	}
	return ManagementAPIAppID
}

// PermissionID returns the GUID the simulator uses for a permission in
// requiredResourceAccess: Graph ids are Microsoft's published ones; the
// Management API ids (which third-party sources disagree on) are stable
// simulator values. delegated selects the Scope id instead of the Role id.
func PermissionID(resource, name string, delegated bool) string {
	if resource == ResourceGraph {
		switch {
		case name == RoleUserReadAll && !delegated:
			return "df021288-bdef-4463-88db-98f22de89214"
		case name == RoleUserReadAll:
			return "a154be20-db9c-4678-8ab7-66f6cc099a59"
		case name == RoleApplicationReadAll && !delegated:
			return "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"
		case name == RoleApplicationReadAll:
			return "c79f8feb-a9db-4090-85f9-90d820caa0eb"
		}
	}
	kind := "Role"
	if delegated {
		kind = "Scope"
	}
	return detrand.GUIDFrom(detrand.StringHash(resource + "|" + name + "|" + kind))
}
