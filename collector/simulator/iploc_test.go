package simulator

import (
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/phuslu/iploc"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// TestCountryPrefixesMapToTheirCountry: every address the simulator draws
// for a country is placed in that country by the offline IP data the
// detection engine uses (github.com/phuslu/iploc), and the attackers'
// fixed addresses are where the storyline says; otherwise travel within
// the home country would look like a new country and the attack would not.
func TestCountryPrefixesMapToTheirCountry(t *testing.T) {
	type place struct{ prefix, country string }
	var places []place
	for _, c := range tenant.Countries() {
		for _, p := range c.Prefixes {
			places = append(places, place{p, c.Code})
		}
	}
	for _, p := range places {
		t.Run(p.prefix, func(t *testing.T) {
			bad := map[string]int{}
			for i := 1; i <= 254; i++ {
				for j := 1; j <= 254; j++ {
					a := netip.MustParseAddr(p.prefix + strconv.Itoa(i) + "." + strconv.Itoa(j))
					if got := string(iploc.IPCountry(a)); got != p.country {
						bad[got]++
					}
				}
			}
			if len(bad) > 0 {
				t.Errorf("addresses in %s* are not all in %s: %v", p.prefix, p.country, bad)
			}
		})
	}
	for _, tc := range []struct{ ip, country string }{
		{auditgen.AttackSprayIP, "RU"}, {auditgen.AttackSuccessIP, "VN"}, {auditgen.AttackBruteIP, "NG"},
	} {
		if got := string(iploc.IPCountry(netip.MustParseAddr(tc.ip))); got != tc.country {
			t.Errorf("attacker address %s is in %q, want %s", tc.ip, got, tc.country)
		}
	}
}

// TestUsersHaveOneHomeCountry: every sign-in a generated user makes comes
// from the tenant's home country, so only the attack storyline's addresses
// are new countries.
func TestUsersHaveOneHomeCountry(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		w := tenant.NewWorld(seed, 12, time.Date(2026, 9, 3, 12, 0, 0, 0, time.UTC))
		g := auditgen.NewGenerator(seed, nil, w)
		r := detrand.New(seed)
		for _, u := range w.Users {
			for k := 0; k < 200; k++ {
				ip := g.ClientIP(&r, &u)
				if got := string(iploc.IPCountry(netip.MustParseAddr(ip))); got != w.Home.Code {
					t.Fatalf("seed %d: %s signs in from %s (%s), home is %s", seed, u.UPN, ip, got, w.Home.Code)
				}
			}
		}
	}
}

// TestBusyBenignAddsNearMisses: busy-benign is the healthy tenant plus a
// week of near-miss records (the same seed gives the same directory), and
// only attack has expected findings.
func TestBusyBenignAddsNearMisses(t *testing.T) {
	counts := map[string]int{}
	for _, sc := range []string{ScenarioHealthy, ScenarioBusyBenign, ScenarioAttack} {
		s, _ := startSim(t, Config{Seed: 5, Users: 12, RecordsPerUserDay: 20, Scenario: sc})
		counts[sc] = len(s.GroundTruth())
		if n := len(s.ExpectedFindings()); (sc == ScenarioAttack) != (n > 0) {
			t.Errorf("%s: %d expected findings", sc, n)
		}
	}
	// Per day: 11 mail, 9*2+16+1 sign-ins, 5 directory, 81 file records.
	if extra := counts[ScenarioBusyBenign] - counts[ScenarioHealthy]; extra < 7*100 {
		t.Errorf("busy-benign adds %d records to healthy, want at least 700 near misses over 7 days", extra)
	}
	if counts[ScenarioAttack] <= counts[ScenarioHealthy] {
		t.Errorf("attack (%d records) adds nothing to healthy (%d)", counts[ScenarioAttack], counts[ScenarioHealthy])
	}
}
