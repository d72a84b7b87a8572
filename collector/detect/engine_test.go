package detect

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

func TestNewCountrySignIn(t *testing.T) {
	u := "mira.okafor@" + tenantDomain
	tests := []struct {
		name string
		raws [][]byte
		want int
	}{
		{"home country only", [][]byte{signIn("a", u, "73.1.1.1", t0, ""), signIn("b", u, "73.9.9.9", t0.Add(time.Hour), "")}, 0},
		{"first sign-in ever sets the baseline", [][]byte{signIn("a", u, "102.89.34.12", t0, "")}, 0},
		{"new country after the baseline", [][]byte{signIn("a", u, "73.1.1.1", t0, ""), signIn("b", u, "102.89.34.12", t0.Add(time.Hour), "")}, 1},
		{"twice from the new country is one finding", [][]byte{signIn("a", u, "73.1.1.1", t0, ""), signIn("b", u, "102.89.34.12", t0.Add(time.Hour), ""),
			signIn("c", u, "102.89.1.1", t0.Add(2*time.Hour), "")}, 1},
		{"failed sign-in from a new country is no sign-in", [][]byte{signIn("a", u, "73.1.1.1", t0, ""), signIn("b", u, "102.89.34.12", t0.Add(time.Hour), "50126")}, 0},
		{"address without a country", [][]byte{signIn("a", u, "73.1.1.1", t0, ""), signIn("b", u, "10.0.0.7", t0.Add(time.Hour), "")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "")
			h.process(false, tt.raws...)
			if got := len(h.byRule(ruleNewCountry)); got != tt.want {
				t.Fatalf("%d findings, want %d: %+v", got, tt.want, h.findings())
			}
		})
	}
	// The history is in the store: a restarted engine still knows the baseline.
	h := newHarness(t, "")
	h.process(false, signIn("a", u, "73.1.1.1", t0, ""))
	eng2, err := New(context.Background(), Options{Store: h.st, Locate: fakeLocator})
	if err != nil {
		t.Fatal(err)
	}
	h.eng = eng2
	h.process(false, signIn("b", u, "102.89.34.12", t0.Add(time.Hour), ""))
	if got := h.byRule(ruleNewCountry); len(got) != 1 || !strings.Contains(got[0].What, "NG") || !strings.Contains(got[0].What, "US") {
		t.Fatalf("after restart: %+v", got)
	}
}

func TestOfflineLocator(t *testing.T) {
	// The simulator's per-country prefixes and reserved ranges.
	tests := []struct{ ip, want string }{
		{"95.165.12.77", "RU"}, {"102.89.34.12", "NG"}, {"73.162.1.1", "US"}, {"81.2.69.160", "GB"},
		{"10.1.2.3", ""}, {"127.0.0.1", ""}, {"192.168.1.1", ""},
	}
	for _, tt := range tests {
		if got := OfflineLocator(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.ip, got, tt.want)
		}
	}
	for _, s := range []string{"203.0.113.88:50412", "[2001:db8::1]:443", " 198.51.100.24 "} {
		if _, ok := ParseIP(s); !ok {
			t.Errorf("ParseIP(%q) failed", s)
		}
	}
}

// TestReplayNeverFiresTwice feeds the same records again (a replayed blob, a
// restart that re-reads history): no new finding, no repeat count, no notice.
func TestReplayNeverFiresTwice(t *testing.T) {
	var raws [][]byte
	for i := range 12 {
		raws = append(raws, signIn(fmt.Sprintf("sp-%d", i), user(i), "95.165.12.77", t0.Add(time.Duration(i)*20*time.Second), "50126"))
	}
	raws = append(raws, rec(sample(t, "C-"), nil), rec(sample(t, "D-"), nil))
	h := newHarness(t, "")
	h.process(false, raws...)
	first := h.findings()
	notices := len(h.notices)
	if len(first) < 3 {
		t.Fatalf("setup: %d findings", len(first))
	}
	evs := make([]store.Event, len(raws))
	for i, r := range raws {
		evs[i] = h.event(r)
	}
	for _, fresh := range []bool{false, true} {
		eng := h.eng
		if fresh { // a restarted engine has no correlation state left
			var err error
			if eng, err = New(context.Background(), Options{Store: h.st, Locate: fakeLocator}); err != nil {
				t.Fatal(err)
			}
		}
		if err := eng.Process(context.Background(), evs, false); err != nil {
			t.Fatal(err)
		}
	}
	again := h.findings()
	if len(again) != len(first) {
		t.Fatalf("%d findings after replay, want %d", len(again), len(first))
	}
	for i := range first {
		if again[i].Count != first[i].Count || again[i].EvidenceCount != first[i].EvidenceCount {
			t.Errorf("%s changed on replay: count %d->%d evidence %d->%d", first[i].RuleTitle,
				first[i].Count, again[i].Count, first[i].EvidenceCount, again[i].EvidenceCount)
		}
	}
	if len(h.notices) != notices {
		t.Errorf("replay sent %d notices", len(h.notices)-notices)
	}
}

func TestAllowListSuppresses(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "")
	h.process(false, rec(sample(t, "C-"), nil))
	f := h.byRule(ruleInboxForward)[0]
	if _, err := h.st.SetFindingStatus(ctx, f.ID, finding.StatusFalsePositive, &finding.Entry{Value: f.AllowValues[0], Note: "our archive"}); err != nil {
		t.Fatal(err)
	}
	next := func(id, to string) []byte {
		return rec(sample(t, "C-"), map[string]any{"Id": id, "Parameters": params("Name", "n-"+id, "ForwardTo", to)})
	}
	h.process(false, next("n1", "other.box@proton-mail.example"))
	if got := len(h.byRule(ruleInboxForward)); got != 1 {
		t.Errorf("allowed domain raised %d findings, want the 1 marked false positive", got)
	}
	h.process(false, next("n2", "thief@evil.example"))
	if got := len(h.byRule(ruleInboxForward)); got != 2 {
		t.Errorf("another domain: %d findings, want 2", got)
	}
}

func TestUserRulesBrokenRulesAndDisabling(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("vip.yml", `title: VIP mailbox searched
id: 1b6f6f4e-0000-4000-8000-000000000001
status: experimental
description: Someone ran a compliance search.
logsource: {product: m365, service: exchange}
detection:
  selection:
    Operation: New-ComplianceSearch
  condition: selection
level: high
auditlight:
  what: "{UserId} started a compliance search."
`)
	write("broken-yaml.yml", "title: [unclosed\n")
	write("bad-modifier.yml", `title: Bad
id: 1b6f6f4e-0000-4000-8000-000000000002
logsource: {product: m365}
detection:
  s:
    Operation|sounds-like: x
  condition: s
`)
	write("bad-ref.yml", `title: Bad ref
id: 1b6f6f4e-0000-4000-8000-000000000003
correlation: {type: event_count, rules: [nope], group-by: [UserId], timespan: 5m, condition: {gte: 3}}
`)
	write("dup.yml", `title: Duplicate of the pack
id: `+ruleInboxForward+`
logsource: {product: m365}
detection:
  s:
    Operation: X
  condition: s
`)
	write("notes.txt", "not a rule")
	h := newHarness(t, dir)
	errs := h.eng.LoadErrors()
	if len(errs) != 4 {
		t.Fatalf("load errors %v, want 4 (broken YAML, modifier, reference, duplicate id)", errs)
	}
	for _, want := range []string{"broken-yaml.yml", "sounds-like", "unknown rule \"nope\"", "ids must be unique"} {
		if !strings.Contains(fmt.Sprint(errs), want) {
			t.Errorf("load errors lack %q: %v", want, errs)
		}
	}
	search := rec(exo("cs1", "New-ComplianceSearch", t0, params("Name", "x")), nil)
	h.process(false, search)
	if got := len(h.byRule("1b6f6f4e-0000-4000-8000-000000000001")); got != 1 {
		t.Fatalf("user rule raised %d findings", got)
	}
	if err := h.eng.SetRuleEnabled(ctx, ruleInboxForward, false); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.SetRuleEnabled(ctx, "no-such-rule", false); err == nil {
		t.Error("unknown rule id accepted")
	}
	eng2, err := New(ctx, Options{Store: h.st, RulesDir: dir, Locate: fakeLocator}) // the setting persists
	if err != nil {
		t.Fatal(err)
	}
	h.eng = eng2
	h.process(false, rec(sample(t, "C-"), nil))
	if got := len(h.byRule(ruleInboxForward)); got != 0 {
		t.Errorf("turned-off rule raised %d findings", got)
	}
	var off bool
	for _, r := range eng2.Rules() {
		if r.ID == ruleInboxForward {
			off = !r.Enabled
		}
	}
	if !off {
		t.Error("Rules() does not show the rule as turned off")
	}
}

func TestNoticesCarryBackfill(t *testing.T) {
	h := newHarness(t, "")
	h.process(true, rec(sample(t, "C-"), nil))
	h.process(false, rec(sample(t, "D-"), nil))
	var back, live int
	for _, n := range h.notices {
		if n.Outcome != store.Created {
			continue
		}
		if n.Backfill {
			back++
		} else {
			live++
		}
	}
	if back != 2 || live != 1 { // C raises forwarding + hiding, D mailbox forwarding
		t.Errorf("backfill notices %d live %d", back, live)
	}
}

func TestLearnedDomainsWithoutGraph(t *testing.T) {
	h := newHarness(t, "")
	h.eng.SetTenantDomains(nil) // Graph /domains not permitted
	// A sign-in teaches the UPN domain; forwarding inside it is internal.
	h.process(false, signIn("l1", "ana@"+tenantDomain, "73.1.1.1", t0, ""),
		rec(sample(t, "C-"), map[string]any{"Id": "l2", "Parameters": params("Name", "x", "ForwardTo", "bo@"+tenantDomain)}),
		rec(sample(t, "C-"), map[string]any{"Id": "l3", "Parameters": params("Name", "y", "ForwardTo", "bo@gmail.example")}))
	got := h.byRule(ruleInboxForward)
	if len(got) != 1 || !strings.Contains(got[0].What, "gmail.example") {
		t.Fatalf("findings %+v", got)
	}
}
