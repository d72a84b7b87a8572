package simulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestServedBytesDigest pins every byte the simulator serves for a fixed seed
// and clock: the tenant, the content listings of the whole seven-day backlog
// (less the listener's address), every blob body, the ground truth and the
// expected findings. The digests were computed on the code before the
// package was split into sub-packages; a refactor that changes one record,
// one blob boundary or one Id changes the digest.
func TestServedBytesDigest(t *testing.T) {
	tests := []struct {
		scenario string
		want     string
	}{
		{ScenarioHealthy, "733c7ce193a81bb5a0fb6986fe9573eee5e7357fa874c5afec8fd054307da24f"},
		{ScenarioAttack, "266ea4273584b8e616d8e6fa2644f1c9819d9ee3faccf58d3fb5ce35142ce305"},
		{ScenarioBusyBenign, "8238f597be4dfa5c651e071e9f57d17c225023c442eeb639cc16667944543f61"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			got := servedDigest(t, tc.scenario)
			if got != tc.want {
				t.Errorf("scenario %s serves different bytes for seed 7:\n got %s\nwant %s", tc.scenario, got, tc.want)
			}
		})
	}
}

// servedDigest starts scenario at seed 7 on the fake clock and hashes what a
// collector reading the whole backlog is served.
func servedDigest(t *testing.T, scenario string) string {
	t.Helper()
	// An explicit fault mix replaces the scenario's (these scenarios have
	// none); only the request budget is lifted so the backlog reads at once.
	// An hourly blob keeps the backlog at ~170 blobs per content type.
	s, _ := startSim(t, Config{Scenario: scenario, Seed: 7, BlobInterval: time.Hour, Faults: &Faults{RequestsPerMinute: 1 << 30}})
	client := s.Client()
	h := sha256.New()
	writeJSONDigest(t, h, "tenant", s.Tenant())
	writeJSONDigest(t, h, "ground-truth", s.GroundTruth())
	writeJSONDigest(t, h, "expected", s.ExpectedFindings())
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	now := s.Now()
	blobs := 0
	for _, ct := range []string{ContentAzureAD, ContentExchange, ContentSharePoint, ContentGeneral, ContentDLP} {
		for end := now; end.After(now.Add(-7 * 24 * time.Hour)); end = end.Add(-24 * time.Hour) {
			start := end.Add(-24 * time.Hour)
			if lim := now.Add(-7*24*time.Hour + time.Minute); start.Before(lim) {
				start = lim
			}
			items, _ := listAll(t, s, tok, ct, start, end)
			for _, it := range items {
				// The URI names the listener's random port: hash its path only.
				u, err := url.Parse(it.ContentURI)
				if err != nil {
					t.Fatalf("content uri %q: %v", it.ContentURI, err)
				}
				fmt.Fprintf(h, "item %s %s %s %s %s\n", it.ContentType, it.ContentID, u.Path, it.ContentCreated, it.ContentExpiration)
				body := getBlob(t, client, it.ContentURI+"?PublisherIdentifier="+s.Tenant().ID, tok)
				fmt.Fprintf(h, "blob %d\n", len(body))
				h.Write(body)
				blobs++
			}
		}
	}
	if blobs == 0 {
		t.Fatalf("scenario %s served no blobs", scenario)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeJSONDigest(t *testing.T, h hash.Hash, what string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %s: %v", what, err)
	}
	fmt.Fprintf(h, "%s %d\n", what, len(b))
	h.Write(b)
}

// getBlob fetches one blob with client (one connection for the whole read).
func getBlob(t *testing.T, client *http.Client, uri, tok string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, uri, nil)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", uri, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading blob: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("blob %s: %d %s", uri, resp.StatusCode, b)
	}
	return b
}
