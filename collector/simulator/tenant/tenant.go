// Package tenant is the simulated organisation: its directory (tenant,
// registered application, client secret) and its people, with their offices,
// home addresses and the countries sign-ins come from. A World is a pure
// function of the seed, the number of users and the start time.
package tenant

import (
	"strconv"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// Tenant describes the simulated tenant and its registered application.
type Tenant struct {
	ID           string    // directory (tenant) GUID
	Domain       string    // initial domain, e.g. "contoso-demo.onmicrosoft.com"
	DisplayName  string    // organisation name
	ClientID     string    // application (client) id of the AuditLight app registration
	AppObjectID  string    // object id of the application
	AppName      string    // application display name
	Secret       string    // client secret value (as shown once in the portal)
	SecretID     string    // secret's key id GUID ("Secret ID" in the portal)
	SecretName   string    // secret description
	SecretStart  time.Time // secret creation
	SecretExpiry time.Time // secret end date
	PublisherID  string    // PublisherIdentifier to send (the tenant GUID)
}

// Person is one generated directory user. All string fields are JSON-safe.
type Person struct {
	ID         string // object id GUID
	PUID       string // Exchange/SharePoint user key, 16 upper hex digits
	UPN        string
	Alias      string // part before @
	Given      string
	Surname    string
	Display    string
	JobTitle   string
	Department string
	Office     string
	Admin      bool
	OfficeIP   string
	HomeIP     string
	Enabled    bool
}

// Country is a place sign-ins come from, with plausible ISP prefixes.
type Country struct {
	Code     string   // ISO 3166 alpha-2
	Prefixes []string // first two octets of plausible ISP addresses, "73.162."
}

// Countries are the places sign-ins come from; the first four can be a
// tenant's home.
func Countries() []Country {
	return []Country{
		{"US", []string{"73.162.", "24.5.", "98.207."}},
		{"GB", []string{"86.128.", "86.140.", "109.150."}},
		{"DE", []string{"91.64.", "84.150.", "93.199."}},
		{"NL", []string{"145.53.", "77.161.", "84.86."}},
		{"FR", []string{"90.45.", "82.64."}},
		{"IN", []string{"49.36.", "117.200."}},
		{"BR", []string{"177.92.", "189.6."}},
		{"NG", []string{"102.89.", "105.112."}},
		{"RU", []string{"188.162."}},
		{"CN", []string{"116.21.", "223.104."}},
	}
}

// IPIn draws an address inside one of a country's prefixes.
func IPIn(r *detrand.Rng, c Country) string {
	p := detrand.Pick(r, c.Prefixes)
	return p + strconv.Itoa(1+r.Intn(254)) + "." + strconv.Itoa(1+r.Intn(254))
}

func firstNames() []string {
	return []string{"Mira", "Jonas", "Aisha", "Liam", "Sofia", "Noah", "Emma", "Lucas", "Chloe", "Mateo",
		"Hannah", "Ethan", "Priya", "Oscar", "Isla", "Felix", "Amara", "Leo", "Nora", "Hugo",
		"Zara", "Elias", "Maya", "Adam", "Lena", "Omar", "Freya", "Ravi", "Ines", "Theo",
		"Yuki", "Sam", "Clara", "Diego", "Ava", "Kofi", "Julia", "Max", "Elena", "Tariq"}
}

func lastNames() []string {
	return []string{"Okafor", "Berg", "Patel", "Novak", "Garcia", "Schmidt", "Jensen", "Rossi", "Dubois", "Silva",
		"Kowalski", "Nguyen", "Murphy", "Larsen", "Fischer", "Costa", "Haddad", "Moreau", "Tanaka", "Ivanova",
		"Brennan", "Mensah", "Keller", "Lindqvist", "Alvarez", "Chen", "Wojcik", "Byrne", "Sato", "Nakamura",
		"Khan", "Meyer", "Rahman", "Olsen", "Varga", "Horvath", "Ferreira", "Adeyemi", "Koch", "Weber"}
}

func jobTitles() []string {
	return []string{"Accountant", "Sales Manager", "Office Manager", "Engineer", "Designer", "Consultant",
		"Support Specialist", "Marketing Lead", "HR Partner", "Project Manager", "Analyst", "Buyer"}
}

func departments() []string {
	return []string{"Finance", "Sales", "Operations", "Engineering", "Marketing", "HR", "Support"}
}

// orgNames are the demo organisation names a seed picks from.
func orgNames() [][2]string {
	return [][2]string{
		{"contoso-demo", "Contoso Demo"}, {"fabrikam-lab", "Fabrikam Lab"}, {"northwind-ops", "Northwind Operations"},
		{"tailspin-demo", "Tailspin Toys Demo"}, {"woodgrove-lab", "Woodgrove Lab"}, {"litware-demo", "Litware Demo"},
	}
}

// World is the immutable generated directory: tenant, users, places.
type World struct {
	Tenant    Tenant
	Users     []Person
	Home      Country // the tenant's home country
	SitesHost string  // "contosodemo.sharepoint.com"
}

// NewWorld generates the tenant and its nUsers people for seed; the secret
// dates are relative to now.
func NewWorld(seed uint64, nUsers int, now time.Time) *World {
	r := detrand.New(detrand.Hash(seed, 0x7e4a47))
	org := detrand.Pick(&r, orgNames())
	w := &World{}
	w.Tenant = Tenant{
		ID:          r.GUID(),
		Domain:      org[0] + ".onmicrosoft.com",
		DisplayName: org[1],
		ClientID:    r.GUID(),
		AppObjectID: r.GUID(),
		AppName:     "AuditLight",
		Secret:      secretValue(&r),
		SecretID:    r.GUID(),
		SecretName:  "AuditLight collector",
		SecretStart: now.UTC().Add(-61 * 24 * time.Hour).Truncate(time.Second),
	}
	w.Tenant.SecretExpiry = w.Tenant.SecretStart.Add(180 * 24 * time.Hour)
	w.Tenant.PublisherID = w.Tenant.ID
	w.SitesHost = strings.ReplaceAll(org[0], "-", "") + ".sharepoint.com"
	cs := Countries()
	hi := r.Intn(4) // US, GB, DE or NL
	w.Home = cs[hi]
	officeIP := IPIn(&r, w.Home)
	fn, ln := firstNames(), lastNames()
	seen := map[string]int{}
	for i := 0; i < nUsers; i++ {
		given, sur := detrand.Pick(&r, fn), detrand.Pick(&r, ln)
		alias := strings.ToLower(given + "." + sur)
		seen[alias]++
		if n := seen[alias]; n > 1 {
			alias += strconv.Itoa(n)
		}
		p := Person{
			ID:         r.GUID(),
			PUID:       string(detrand.AppendUpperHex([]byte("1003"), r.Next(), 12)),
			Alias:      alias,
			UPN:        alias + "@" + w.Tenant.Domain,
			Given:      given,
			Surname:    sur,
			Display:    given + " " + sur,
			JobTitle:   detrand.Pick(&r, jobTitles()),
			Department: detrand.Pick(&r, departments()),
			Office:     w.Home.Code + "-HQ",
			Admin:      i == 0,
			OfficeIP:   officeIP,
			HomeIP:     IPIn(&r, w.Home),
			Enabled:    !r.Chance(0.03),
		}
		if p.Admin {
			p.JobTitle = "IT Administrator"
			p.Department = "IT"
		}
		w.Users = append(w.Users, p)
	}
	return w
}

// secretValue makes a realistic client secret value: 3 chars, a digit, "Q~", 34 chars (40 total).
func secretValue(r *detrand.Rng) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	const body = alnum + "_-.~"
	b := make([]byte, 0, 40)
	for i := 0; i < 3; i++ {
		b = append(b, alnum[r.Intn(len(alnum))])
	}
	b = append(b, byte('0'+r.Intn(10)), 'Q', '~')
	for len(b) < 40 {
		b = append(b, body[r.Intn(len(body))])
	}
	return string(b)
}
