package simulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 9, 3, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// startSim starts a simulator on a fake clock and closes it with the test.
func startSim(t testing.TB, cfg Config) (*Sim, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	if cfg.Clock == nil {
		cfg.Clock = clk.Now
	}
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, clk
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// afCode returns error.code of a Management API error body.
func (r response) afCode() string {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r response) afMessage() string {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Message
}

func do(t testing.TB, s *Sim, method, rawURL, token string, body io.Reader, hdr map[string]string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, rawURL, body)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// tokenResp posts a client-credentials request.
func tokenResp(t testing.TB, s *Sim, tenant string, form url.Values) response {
	t.Helper()
	return do(t, s, http.MethodPost, s.LoginURL()+"/"+tenant+"/oauth2/v2.0/token", "",
		strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

func credForm(s *Sim, scope string) url.Values {
	tn := s.Tenant()
	return url.Values{"client_id": {tn.ClientID}, "client_secret": {tn.Secret}, "grant_type": {"client_credentials"}, "scope": {scope}}
}

// token returns an access token for scope or fails the test.
func token(t testing.TB, s *Sim, scope string) string {
	t.Helper()
	r := tokenResp(t, s, s.Tenant().ID, credForm(s, scope))
	if r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	var v struct {
		AccessToken string `json:"access_token"`
	}
	r.json(t, &v)
	return v.AccessToken
}

const apiScope = "https://manage.office.com/.default"
const graphScope = "https://graph.microsoft.com/.default"

// feed builds a Management API URL with PublisherIdentifier.
func feed(s *Sim, op string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	q.Set("PublisherIdentifier", s.Tenant().ID)
	return s.APIURL() + "/api/v1.0/" + s.Tenant().ID + "/activity/feed/" + op + "?" + q.Encode()
}

func startAll(t testing.TB, s *Sim, tok string) {
	t.Helper()
	for _, ct := range auditgen.ContentTypeNames() {
		r := do(t, s, http.MethodPost, feed(s, "subscriptions/start", url.Values{"contentType": {ct}}), tok, nil, nil)
		if r.status != http.StatusOK && r.afCode() != "AF20024" {
			t.Fatalf("start %s: %d %s", ct, r.status, r.body)
		}
	}
}

// contentItem is one content descriptor.
type contentItem struct {
	ContentType       string `json:"contentType"`
	ContentID         string `json:"contentId"`
	ContentURI        string `json:"contentUri"`
	ContentCreated    string `json:"contentCreated"`
	ContentExpiration string `json:"contentExpiration"`
}

// listAll lists a window following NextPageUri; it returns the items and the number of pages.
func listAll(t testing.TB, s *Sim, tok, ct string, start, end time.Time) ([]contentItem, int) {
	t.Helper()
	u := feed(s, "subscriptions/content", url.Values{"contentType": {ct},
		"startTime": {start.UTC().Format("2006-01-02T15:04:05")}, "endTime": {end.UTC().Format("2006-01-02T15:04:05")}})
	var all []contentItem
	pages := 0
	for u != "" {
		r := do(t, s, http.MethodGet, u, tok, nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("content %s: %d %s", ct, r.status, r.body)
		}
		var items []contentItem
		r.json(t, &items)
		all = append(all, items...)
		pages++
		u = r.header.Get("NextPageUri")
	}
	return all, pages
}

// fetchIDs downloads a blob and returns its record Ids.
func fetchRecords(t testing.TB, s *Sim, tok, uri string) []map[string]any {
	t.Helper()
	r := do(t, s, http.MethodGet, uri+"?PublisherIdentifier="+s.Tenant().ID, tok, nil, nil)
	if r.status != http.StatusOK {
		t.Fatalf("blob: %d %s", r.status, r.body)
	}
	var recs []map[string]any
	r.json(t, &recs)
	return recs
}
