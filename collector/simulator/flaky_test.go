package simulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// getWithRetry GETs u until it answers 200 with valid JSON, as a tolerant collector would.
func getWithRetry(t *testing.T, s *Sim, u, tok string, v any) http.Header {
	t.Helper()
	for attempt := 0; attempt < 50; attempt++ {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && json.Unmarshal(body, v) == nil {
			return resp.Header
		}
	}
	t.Fatalf("no clean answer from %s after 50 attempts", u)
	return nil
}

func TestFlakyFaultsNeverCorruptData(t *testing.T) {
	faults := Faults{Rate429: 0.1, RateAF429: 0.05, Rate500: 0.05, Rate503: 0.05, TruncateRate: 0.1,
		SlowRate: 0.05, SlowDelay: time.Millisecond, ReplayRate: 0.2, LateBlobRate: 0.1}
	s, _ := startSim(t, Config{Seed: 70, Users: 3, RecordsPerUserDay: 60, BlobInterval: time.Hour, Faults: &faults})
	tok := token(t, s, apiScope)
	s.Mutate(func(st *State) {
		for _, ct := range auditgen.ContentTypeNames() {
			st.sub(ct).Status = SubEnabled
		}
	})
	now := s.Now()
	got := map[string]bool{}
	for _, ct := range auditgen.ContentTypeNames() {
		for end := now.Add(time.Minute); end.After(now.Add(-7 * 24 * time.Hour)); end = end.Add(-24 * time.Hour) {
			start := end.Add(-24 * time.Hour)
			if floor := now.Add(-7 * 24 * time.Hour); start.Before(floor) {
				start = floor
			}
			u := feed(s, "subscriptions/content", url.Values{"contentType": {ct},
				"startTime": {start.Format("2006-01-02T15:04:05")}, "endTime": {end.Format("2006-01-02T15:04:05")}})
			for u != "" {
				var items []contentItem
				h := getWithRetry(t, s, u, tok, &items)
				for _, it := range items {
					var recs []struct{ Id string }
					getWithRetry(t, s, it.ContentURI+"?PublisherIdentifier="+s.Tenant().ID, tok, &recs)
					for _, r := range recs {
						got[r.Id] = true
					}
				}
				u = h.Get("NextPageUri")
			}
		}
	}
	truth := s.GroundTruth()
	if len(truth) != len(got) {
		t.Fatalf("collected %d unique ids through faults, ground truth %d", len(got), len(truth))
	}
	for _, id := range truth {
		if !got[id] {
			t.Fatalf("missing %s", id)
		}
	}
	st := s.Stats()
	if st.Status[429] == 0 || st.Status[500] == 0 || st.Status[503] == 0 || st.Status[403] == 0 {
		t.Errorf("fault mix not exercised: %v", st.Status)
	}
}
