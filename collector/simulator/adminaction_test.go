package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestAdminActionEndpoint: POST /_sim/admin-action publishes the test
// record only after its delay (in the next blob), on the chosen user, and
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
			user := s.gen.w.users[2].UPN
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
			clk.Advance(time.Minute + defaultBlobInterval)
			if !slices.Contains(s.GroundTruth(), out.RecordID) {
				t.Fatal("the test record is not available one blob interval after its delay")
			}
		})
	}
}
