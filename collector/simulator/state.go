package simulator

import "time"

// Resource identifiers used as keys of State.AppRoles and State.DelegatedScopes.
const (
	ResourceManagementAPI = "https://manage.office.com"
	ResourceGraph         = "https://graph.microsoft.com"
)

// Application permission (app role) and delegated scope names the simulator knows.
const (
	RoleActivityFeedRead    = "ActivityFeed.Read"
	RoleActivityFeedReadDlp = "ActivityFeed.ReadDlp"
	RoleServiceHealthRead   = "ServiceHealth.Read"
	RoleUserReadAll         = "User.Read.All"
	RoleApplicationReadAll  = "Application.Read.All"
)

// SubStatus is a content type's subscription status.
type SubStatus string

// Subscription statuses. SubNone means never subscribed (absent from the list).
const (
	SubNone     SubStatus = "none"
	SubEnabled  SubStatus = "enabled"
	SubDisabled SubStatus = "disabled"
)

// Subscription is the simulator's record of one content type's subscription.
type Subscription struct {
	Status     SubStatus
	FirstStart time.Time // first successful start (zero = never)
	LastStart  time.Time // latest successful start, for the 15-minute rule
}

// State is the switchable part of the tenant. Change it only inside
// Sim.Mutate, which holds the simulator's lock.
type State struct {
	// AuditEnabled is UnifiedAuditLogIngestionEnabled.
	AuditEnabled bool
	// AppRoles are the APPLICATION permissions configured on the app
	// registration, per resource (ResourceManagementAPI, ResourceGraph).
	AppRoles map[string][]string
	// DelegatedScopes are delegated-only permissions (requiredResourceAccess
	// entries of type "Scope"); they never appear in an app-only token.
	DelegatedScopes map[string][]string
	// AdminConsent tells whether an admin granted consent; without it tokens
	// carry no roles at all.
	AdminConsent bool
	// SecretExpired makes the client secret expired (AADSTS7000222).
	SecretExpired bool
	// Subscriptions per content type name (absent = SubNone).
	Subscriptions map[string]*Subscription
	// Faults is the active fault mix (FirstDataDelay included).
	Faults Faults
}

// tokenRoles returns the roles an app-only token for resource carries.
func (st *State) tokenRoles(resource string) []string {
	if !st.AdminConsent {
		return nil
	}
	return append([]string(nil), st.AppRoles[resource]...)
}

func (st *State) sub(ct string) *Subscription {
	if st.Subscriptions == nil {
		st.Subscriptions = map[string]*Subscription{}
	}
	s, ok := st.Subscriptions[ct]
	if !ok {
		s = &Subscription{Status: SubNone}
		st.Subscriptions[ct] = s
	}
	return s
}

func (st *State) clone() State {
	c := *st
	c.AppRoles = cloneRoles(st.AppRoles)
	c.DelegatedScopes = cloneRoles(st.DelegatedScopes)
	c.Subscriptions = make(map[string]*Subscription, len(st.Subscriptions))
	for k, v := range st.Subscriptions {
		cp := *v
		c.Subscriptions[k] = &cp
	}
	return c
}

func cloneRoles(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = append([]string(nil), v...)
	}
	return out
}
