package simulator

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// collectAll lists seven days of every content type in 24-hour windows and
// downloads every blob; it returns the unique record Ids and the records.
func collectAll(t *testing.T, s *Sim, now time.Time) (map[string]bool, []map[string]any) {
	t.Helper()
	tok := token(t, s, apiScope)
	ids := map[string]bool{}
	var recs []map[string]any
	for _, ct := range auditgen.ContentTypeNames() {
		end := now.Add(time.Minute)
		for d := 0; d < 8; d++ {
			start := end.Add(-24 * time.Hour)
			if floor := now.Add(-7 * 24 * time.Hour); start.Before(floor) {
				start = floor
			}
			if !start.Before(end) {
				break
			}
			items, _ := listAll(t, s, tok, ct, start, end)
			for _, it := range items {
				for _, r := range fetchRecords(t, s, tok, it.ContentURI) {
					ids[r["Id"].(string)] = true
					recs = append(recs, r)
				}
			}
			end = start
		}
	}
	return ids, recs
}

func TestGroundTruthEqualsUnionOfBlobs(t *testing.T) {
	tests := []struct {
		name   string
		faults *Faults
	}{
		{"clean", nil},
		{"replays and late blobs", &Faults{ReplayRate: 0.5, LateBlobRate: 0.3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := startSim(t, Config{Seed: 30, Users: 4, RecordsPerUserDay: 40, BlobInterval: 20 * time.Minute, Faults: tc.faults, Scenario: ScenarioAttack})
			startAll(t, s, token(t, s, apiScope))
			ids, recs := collectAll(t, s, s.Now())
			truth := s.GroundTruth()
			if len(truth) == 0 || len(truth) != len(ids) {
				t.Fatalf("ground truth has %d ids, blobs hold %d unique", len(truth), len(ids))
			}
			for _, id := range truth {
				if !ids[id] {
					t.Fatalf("ground-truth id %s not served", id)
				}
			}
			if tc.faults != nil && len(recs) == len(ids) {
				t.Errorf("replay fault produced no duplicate records (%d records)", len(recs))
			}
			var body groundTruthJSON
			do(t, s, http.MethodGet, s.GroundTruthURL(), "", nil, nil).json(t, &body)
			if body.Count != len(truth) || body.TenantID != s.Tenant().ID || !slices.Equal(body.IDs, truth) {
				t.Errorf("HTTP ground truth count %d, want %d", body.Count, len(truth))
			}
			var sp groundTruthJSON
			do(t, s, http.MethodGet, s.GroundTruthURL()+"?contentType=Audit.SharePoint", "", nil, nil).json(t, &sp)
			if sp.Count == 0 || sp.Count >= body.Count || !slices.Equal(sp.IDs, s.GroundTruthFor(ContentSharePoint)) {
				t.Errorf("per-type ground truth: %d of %d", sp.Count, body.Count)
			}
			_ = clk
		})
	}
}

func TestDeterministicFromSeed(t *testing.T) {
	a, _ := startSim(t, Config{Seed: 42})
	b, _ := startSim(t, Config{Seed: 42})
	c, _ := startSim(t, Config{Seed: 43})
	if a.Tenant() != b.Tenant() {
		t.Errorf("same seed, different tenants: %+v vs %+v", a.Tenant(), b.Tenant())
	}
	if a.Tenant().ID == c.Tenant().ID || a.Tenant().Secret == c.Tenant().Secret {
		t.Errorf("different seeds gave the same tenant")
	}
	if !slices.Equal(a.GroundTruth(), b.GroundTruth()) || slices.Equal(a.GroundTruth(), c.GroundTruth()) {
		t.Errorf("ground truth is not a function of the seed")
	}
	blob := func(s *Sim) []byte {
		tok := token(t, s, apiScope)
		startAll(t, s, tok)
		items, _ := listAll(t, s, tok, ContentGeneral, s.Now().Add(-12*time.Hour), s.Now())
		if len(items) == 0 {
			t.Fatal("no content")
		}
		r := do(t, s, http.MethodGet, items[len(items)-1].ContentURI, tok, nil, nil)
		return bytes.ReplaceAll(r.body, []byte(s.URL()), nil)
	}
	if !bytes.Equal(blob(a), blob(b)) {
		t.Errorf("same seed served different blobs")
	}
	tn := a.Tenant()
	if len(tn.Secret) != 40 || !strings.Contains(tn.Secret, "Q~") || !isGUID(tn.SecretID) || !isGUID(tn.ClientID) || !strings.HasSuffix(tn.Domain, ".onmicrosoft.com") {
		t.Errorf("tenant not realistic: %+v", tn)
	}
}

func TestNewBlobsAppearAsTheClockPasses(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 31, BlobInterval: 5 * time.Minute})
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	before := len(s.GroundTruth())
	t0 := clk.Now()
	items, _ := listAll(t, s, tok, ContentAzureAD, t0, t0.Add(time.Hour))
	if len(items) != 0 {
		t.Fatalf("blobs from the future listed: %d", len(items))
	}
	clk.Advance(time.Hour)
	tok = token(t, s, apiScope)
	items, _ = listAll(t, s, tok, ContentAzureAD, t0, t0.Add(time.Hour))
	if len(items) < 10 || len(items) > 12 {
		t.Errorf("an hour at one blob per 5 minutes gave %d Azure AD blobs", len(items))
	}
	if after := len(s.GroundTruth()); after <= before {
		t.Errorf("ground truth did not grow: %d -> %d", before, after)
	}
}

func TestFirstDayHasNoDataUntilDelay(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 32, Scenario: ScenarioFirstDay})
	tok := token(t, s, apiScope)
	items, _ := listAll(t, s, tok, ContentExchange, clk.Now().Add(-24*time.Hour), clk.Now())
	if len(items) != 0 || len(s.GroundTruth()) != 0 {
		t.Fatalf("first day lists %d blobs, truth %d", len(items), len(s.GroundTruth()))
	}
	clk.Advance(13 * time.Hour)
	tok = token(t, s, apiScope)
	items, _ = listAll(t, s, tok, ContentExchange, clk.Now().Add(-24*time.Hour), clk.Now())
	if len(items) == 0 || len(s.GroundTruth()) == 0 {
		t.Fatalf("no data 13 hours after the first start")
	}
	for _, it := range items {
		created, _ := time.Parse("2006-01-02T15:04:05.000Z", it.ContentCreated)
		if created.Before(clk.Now().Add(-13*time.Hour - 20*time.Minute + 12*time.Hour)) {
			t.Errorf("blob created %s, before first start + 12h", created)
		}
	}
}

func TestAttackStoryline(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 33, Users: 30, Scenario: ScenarioAttack})
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	records := func(ct string) []map[string]any {
		items, _ := listAll(t, s, tok, ct, clk.Now().Add(-6*time.Hour), clk.Now())
		var out []map[string]any
		for _, it := range items {
			out = append(out, fetchRecords(t, s, tok, it.ContentURI)...)
		}
		return out
	}
	sprayed := map[string]bool{}
	var success, rule, forward bool
	for _, r := range records(ContentAzureAD) {
		if r["ClientIP"] == auditgen.AttackSprayIP && r["Operation"] == "UserLoginFailed" && r["ErrorNumber"] != "0" {
			sprayed[r["UserId"].(string)] = true
		}
		if r["ClientIP"] == auditgen.AttackSuccessIP && r["Operation"] == "UserLoggedIn" {
			success = true
		}
	}
	for _, r := range records(ContentExchange) {
		params, _ := r["Parameters"].([]any)
		for _, p := range params {
			m := p.(map[string]any)
			if r["Operation"] == "New-InboxRule" && m["Name"] == "ForwardTo" && m["Value"] == auditgen.AttackForwardTo {
				rule = strings.HasPrefix(r["ClientIP"].(string), auditgen.AttackSuccessIP+":")
			}
			if r["Operation"] == "Set-Mailbox" && m["Name"] == "ForwardingSmtpAddress" && m["Value"] == "smtp:"+auditgen.AttackForwardTo {
				forward = true
			}
		}
	}
	if len(sprayed) < 20 || !success || !rule || !forward {
		t.Errorf("storyline incomplete: sprayed %d users, success %v, rule %v, forward %v", len(sprayed), success, rule, forward)
	}
}

func TestVolumeMatchesConfiguration(t *testing.T) {
	// 715 users x 200 records/day x 7 days is the million-record benchmark tenant.
	s, _ := startSim(t, Config{Seed: 34, Users: 715})
	now := s.Now()
	total := 0
	for c := range auditgen.NumContentTypes {
		lo := s.tl.FirstAtOrAfter(c, now.Add(-auditgen.Retention+time.Millisecond))
		for k := lo; k <= s.tl.LastAtOrBefore(c, now); k++ {
			total += s.gen.Size(c, k)
		}
	}
	if total < 900_000 || total > 1_100_000 {
		t.Errorf("seven days hold %d records, want about 1,000,000", total)
	}
}

func TestRecordsAreWellFormedPerWorkload(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 35, Users: 6, RecordsPerUserDay: 150, BlobInterval: 30 * time.Minute})
	startAll(t, s, token(t, s, apiScope))
	_, recs := collectAll(t, s, s.Now())
	seen := map[string]bool{}
	for _, r := range recs {
		for _, f := range []string{"Id", "RecordType", "CreationTime", "Operation", "OrganizationId", "UserType", "UserKey", "Workload", "UserId", "Version"} {
			if _, ok := r[f]; !ok {
				t.Fatalf("record lacks %s: %v", f, r)
			}
		}
		seen[r["Operation"].(string)] = true
	}
	for _, op := range []string{"UserLoggedIn", "UserLoginFailed", "MailItemsAccessed", "New-InboxRule", "Set-Mailbox", "FileAccessed", "MessageSent", "TIMailData", "AlertTriggered", "DlpRuleMatch"} {
		if !seen[op] {
			t.Errorf("no %s record in a week of data", op)
		}
	}
}

func TestScenariosAreDescribed(t *testing.T) {
	names := Scenarios()
	for _, want := range []string{ScenarioHealthy, ScenarioAuditOff, ScenarioNoConsent, ScenarioDelegatedOnly, ScenarioNoDLPPermission,
		ScenarioNoGraphPermission, ScenarioSubscriptionDisabled, ScenarioThrottled, ScenarioFlaky, ScenarioFirstDay,
		ScenarioExpiredSecret, ScenarioAttack, ScenarioSkewedClock} {
		if !slices.Contains(names, want) || Describe(want) == "" {
			t.Errorf("scenario %s missing or undescribed", want)
		}
	}
	if _, err := Start(t.Context(), Config{Scenario: "no-such-scenario"}); err == nil {
		t.Errorf("unknown scenario accepted")
	}
}

func TestGroundTruthHTTPRejectsUnknownType(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 36})
	r := do(t, s, http.MethodGet, s.GroundTruthURL()+"?"+url.Values{"contentType": {"Audit.Nope"}}.Encode(), "", nil, nil)
	if r.status != http.StatusBadRequest {
		t.Errorf("status %d", r.status)
	}
}
