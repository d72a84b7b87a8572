package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// TestAdminActionEndpoint: POST /_sim/admin-action publishes the test
// record only after its delay (seconds later, in a blob of its own), on the chosen user, and
// refuses unknown actions, users and delays.
func TestAdminActionEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		status int
	}{
		{"forwarding rule for a user, delay alias", `{"action":"forwarding-rule","user":"%s","delay":30}`, http.StatusAccepted},
		{"global admin", `{"action":"global-admin","delaySeconds":45}`, http.StatusAccepted},
		{"unknown action", `{"action":"delete-tenant"}`, http.StatusBadRequest},
		{"unknown user", `{"action":"global-admin","user":"nobody@example.invalid"}`, http.StatusBadRequest},
		{"delay too long", `{"action":"global-admin","delay":7200}`, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := startSim(t, Config{Seed: 9, Users: 4, RecordsPerUserDay: 10})
			user := s.w.Users[2].UPN
			body := tc.body
			if bytes.Contains([]byte(body), []byte("%s")) {
				body = string(bytes.Replace([]byte(body), []byte("%s"), []byte(user), 1))
			}
			resp, err := s.Client().Post(s.URL()+"/_sim/admin-action", "application/json", bytes.NewBufferString(body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status != http.StatusAccepted {
				return
			}
			var out struct{ RecordID string }
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.RecordID == "" {
				t.Fatalf("answer without recordId: %v", err)
			}
			if slices.Contains(s.GroundTruth(), out.RecordID) {
				t.Fatal("the test record is available before its delay")
			}
			clk.Advance(time.Minute)
			if !slices.Contains(s.GroundTruth(), out.RecordID) {
				t.Fatal("the test record is not available within seconds of its delay")
			}
		})
	}
}

// TestAdminActionBlobIsAvailableWithinSeconds: the test action's blob is
// made available 2 s after its record, not in the next blob of the fixed
// 5-minute timeline, and follows Microsoft's rules like any blob: listed by
// contentCreated (inclusive start, exclusive end) in order of availability,
// exactly once across pages, fetched by its contentUri, and kept 7 days.
func TestAdminActionBlobIsAvailableWithinSeconds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		action string
		ct     string
		op     string
	}{
		{"forwarding rule", AdminActionForwardingRule, ContentExchange, "New-InboxRule"},
		{"global admin", AdminActionGlobalAdmin, ContentAzureAD, "Add member to role."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := startSim(t, Config{Seed: 9, Users: 4, RecordsPerUserDay: 400, PageSize: 3})
			tok := token(t, s, apiScope)
			startAll(t, s, tok)
			t0 := clk.Now()
			id, err := s.AdminAction(tc.action, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			wantCreated := t0.Add(10*time.Second + auditgen.OnDemandLatency)
			find := func(items []contentItem) (contentItem, int) {
				var hit contentItem
				n := 0
				for _, it := range items {
					if it.ContentCreated == wantCreated.Format("2006-01-02T15:04:05.000Z") && strings.Contains(it.ContentID, "$") {
						if recs := fetchRecords(t, s, tok, it.ContentURI); len(recs) == 1 && recs[0]["Id"] == id {
							hit = it
							n++
						}
					}
				}
				return hit, n
			}
			clk.Advance(11 * time.Second) // the record exists, its blob is not available yet
			if items, _ := listAll(t, s, tok, tc.ct, t0.Add(-time.Hour), clk.Now()); slices.ContainsFunc(items, func(it contentItem) bool {
				return it.ContentCreated >= wantCreated.Format("2006-01-02T15:04:05.000Z")
			}) || slices.Contains(s.GroundTruth(), id) {
				t.Fatal("the test blob is listed before its contentCreated")
			}
			clk.Advance(2 * time.Second) // 13 s after the request: available
			if !slices.Contains(s.GroundTruth(), id) {
				t.Fatal("the test record is not in the ground truth 13 s after the request")
			}
			items, pages := listAll(t, s, tok, tc.ct, t0.Add(-time.Hour), clk.Now().Add(time.Second))
			it, n := find(items)
			if n != 1 || pages < 2 {
				t.Fatalf("the test blob is listed %d times over %d pages, want once (paged)", n, pages)
			}
			for i := 1; i < len(items); i++ {
				if items[i].ContentCreated < items[i-1].ContentCreated {
					t.Fatalf("listing not in order of availability: %s after %s", items[i].ContentCreated, items[i-1].ContentCreated)
				}
			}
			if it.ContentExpiration != wantCreated.Add(7*24*time.Hour).Format("2006-01-02T15:04:05.000Z") {
				t.Errorf("contentExpiration %s, want contentCreated + 7 days", it.ContentExpiration)
			}
			recs := fetchRecords(t, s, tok, it.ContentURI)
			if recs[0]["Operation"] != tc.op {
				t.Errorf("the test record is %v, want %s", recs[0]["Operation"], tc.op)
			}
			// Inclusive start, exclusive end on contentCreated (second-precision windows).
			sec := wantCreated.Truncate(time.Second)
			if items, _ := listAll(t, s, tok, tc.ct, sec.Add(-time.Minute), sec); slices.ContainsFunc(items, func(x contentItem) bool { return x.ContentID == it.ContentID }) {
				t.Error("a window ending before contentCreated lists the test blob")
			}
			if items, _ := listAll(t, s, tok, tc.ct, sec, sec.Add(time.Minute)); !slices.ContainsFunc(items, func(x contentItem) bool { return x.ContentID == it.ContentID }) {
				t.Error("a window starting at contentCreated misses the test blob")
			}
			clk.Advance(7*24*time.Hour + time.Minute)
			tok = token(t, s, apiScope)
			if r := do(t, s, http.MethodGet, it.ContentURI+"?PublisherIdentifier="+s.Tenant().ID, tok, nil, nil); r.afCode() != "AF20051" {
				t.Errorf("the test blob after 7 days: %d %s, want AF20051", r.status, r.body)
			}
			if slices.Contains(s.GroundTruth(), id) {
				t.Error("the test record is still in the ground truth after 7 days")
			}
		})
	}
}
