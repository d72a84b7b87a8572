package setup

// Validator holds the input rules the wizard applies as the admin types. App
// passes the real rules from collector/auth so this package stays free of it.
// Each func returns the cleaned value (whitespace and quotes trimmed) and an
// error whose text is shown under the field, e.g. "that is 35 characters; a
// GUID has 36". A nil func accepts any non-empty value.
type Validator struct {
	Tenant   func(string) (string, error) // directory (tenant) ID GUID or *.onmicrosoft.com domain
	ClientID func(string) (string, error) // application (client) ID GUID
	Secret   func(string) (string, error) // client secret value
	// LooksLikeSecretID reports whether the pasted secret is the Secret ID
	// (a GUID) rather than the Value.
	LooksLikeSecretID func(string) bool
}

func (v Validator) tenant(s string) (string, error)   { return applyRule(v.Tenant, s) }
func (v Validator) clientID(s string) (string, error) { return applyRule(v.ClientID, s) }
func (v Validator) secret(s string) (string, error)   { return applyRule(v.Secret, s) }

func (v Validator) looksLikeSecretID(s string) bool {
	return v.LooksLikeSecretID != nil && v.LooksLikeSecretID(s)
}

func applyRule(rule func(string) (string, error), s string) (string, error) {
	if rule == nil {
		if s == "" {
			return "", errRequired
		}
		return s, nil
	}
	return rule(s)
}
