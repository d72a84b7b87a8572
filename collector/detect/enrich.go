package detect

import (
	"net/netip"
	"strings"

	"github.com/phuslu/iploc"
)

// Enrichment fields added by the engine (rules match them like any other).
const (
	// FieldExternalRecipients lists the recipients of a forwarding,
	// redirect or BCC setting outside the tenant's domains (", "-joined).
	FieldExternalRecipients = "Enrichment.ExternalRecipients"
	// FieldExternalDomains lists those recipients' domains (", "-joined).
	FieldExternalDomains = "Enrichment.ExternalDomains"
	// FieldHasExternal is "true" when FieldExternalRecipients is not empty.
	FieldHasExternal = "Enrichment.HasExternalRecipient"
	// FieldCountry is the ISO country of the record's client IP ("" unknown).
	FieldCountry = "Enrichment.Country"
	// FieldNewCountry is "true" on a successful sign-in from a country the
	// user never signed in from before (and they have signed in before).
	FieldNewCountry = "Enrichment.NewCountry"
	// FieldKnownCountries lists the user's earlier sign-in countries.
	FieldKnownCountries = "Enrichment.KnownCountries"
	// FieldIP is the client IP without port or brackets.
	FieldIP = "Enrichment.IP"
)

// recipientFields are the parameters that send mail somewhere else.
var recipientFields = [...]string{
	"Parameters.ForwardTo", "Parameters.ForwardAsAttachmentTo", "Parameters.RedirectTo",
	"Parameters.ForwardingSmtpAddress", "Parameters.ForwardingAddress",
	"Parameters.BlindCopyTo", "Parameters.RedirectMessageTo", "Parameters.AddToRecipients",
	"Parameters.CopyTo",
	// Outlook-made rules (UpdateInboxRules) describe their actions as text
	// holding the recipients ("Recipients":["SMTP:x@y"]).
	"Parameters.RuleActions",
}

// Domains is a set of the tenant's own mail domains (lower case). A
// recipient in a domain or a sub-domain of one is internal.
type Domains map[string]bool

// NewDomains builds a set from a list (case and surrounding space ignored).
func NewDomains(list []string) Domains {
	d := Domains{}
	for _, x := range list {
		if x = strings.ToLower(strings.TrimSpace(x)); x != "" {
			d[x] = true
		}
	}
	return d
}

// Internal reports whether domain is one of the set or a sub-domain of one.
func (d Domains) Internal(domain string) bool {
	domain = strings.ToLower(domain)
	for domain != "" {
		if d[domain] {
			return true
		}
		i := strings.IndexByte(domain, '.')
		if i < 0 {
			return false
		}
		domain = domain[i+1:]
	}
	return false
}

// recipients splits a recipient parameter: "a@x; b@y", "[a@x, b@y]",
// "smtp:a@x", "\"Name\" <a@x>" and "SMTP:a@x" forms.
func recipients(v string) []string {
	f := func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '[' || r == ']' || r == '"' }
	var out []string
	for _, p := range strings.FieldsFunc(v, f) {
		p = strings.Trim(p, "<>'")
		if i := strings.IndexByte(p, ':'); i >= 0 && strings.EqualFold(p[:i], "smtp") {
			p = p[i+1:]
		}
		if strings.Count(p, "@") == 1 && !strings.HasPrefix(p, "@") && !strings.HasSuffix(p, "@") {
			out = append(out, p)
		}
	}
	return out
}

// externalRecipients adds the Enrichment recipient fields to ev. Values
// without an address (a mailbox or contact name) cannot be judged and are
// left out: the rules only fire on addresses known to be external.
func externalRecipients(ev Event, own Domains) {
	var addrs, domains []string
	for _, f := range recipientFields {
		v := ev.String(f)
		if v == "" {
			continue
		}
		for _, a := range recipients(v) {
			d := strings.ToLower(a[strings.IndexByte(a, '@')+1:])
			if own.Internal(d) {
				continue
			}
			addrs = appendUnique(addrs, strings.ToLower(a))
			domains = appendUnique(domains, d)
		}
	}
	if len(addrs) > 0 {
		ev[FieldExternalRecipients] = strings.Join(addrs, ", ")
		ev[FieldExternalDomains] = strings.Join(domains, ", ")
		ev[FieldHasExternal] = "true"
	} else {
		ev[FieldHasExternal] = "false"
	}
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// ParseIP reads a ClientIP as Microsoft writes it: "1.2.3.4", "1.2.3.4:50412",
// "[2001:db8::1]:443", "2001:db8::1".
func ParseIP(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, false
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// Locator maps an IP address to an ISO 3166-1 alpha-2 country code ("" when
// unknown).
type Locator func(netip.Addr) string

// OfflineLocator looks addresses up in github.com/phuslu/iploc's embedded
// database (no network access). Private, loopback and reserved addresses
// have no country.
func OfflineLocator(a netip.Addr) string {
	if !a.IsValid() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() {
		return ""
	}
	c := iploc.IPCountry(a)
	switch c {
	case "", "ZZ", "--", "XX", "EU", "AP":
		return ""
	}
	return c
}
