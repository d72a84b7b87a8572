package simulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

func TestManagementAuthRules(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 10})
	tn := s.Tenant()
	apiTok := token(t, s, apiScope)
	graphTok := token(t, s, graphScope)
	s.Mutate(func(st *State) { st.AdminConsent = false })
	noRoles := token(t, s, apiScope)
	s.Mutate(func(st *State) { st.AdminConsent = true })
	expiring := func() string {
		s.Mutate(func(st *State) { st.Faults.TokenLifetime = time.Minute })
		defer s.Mutate(func(st *State) { st.Faults.TokenLifetime = 0 })
		return token(t, s, apiScope)
	}()
	list := func(tenant string) string {
		return s.APIURL() + "/api/v1.0/" + tenant + "/activity/feed/subscriptions/list?PublisherIdentifier=" + tn.ID
	}
	tests := []struct {
		name       string
		url        string
		token      string
		advance    time.Duration
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"ok", list(tn.ID), apiTok, 0, 200, "", ""},
		{"tenant domain instead of GUID", list(tn.Domain), apiTok, 0, 400, "AF20013", ""},
		{"other tenant GUID", list("11111111-2222-3333-4444-555555555555"), apiTok, 0, 400, "AF20010", ""},
		{"no token", list(tn.ID), "", 0, 401, "", ""},
		{"garbage token", list(tn.ID), "eyJhbGciOi.bad.sig", 0, 401, "", ""},
		{"graph token", list(tn.ID), graphTok, 0, 401, "", ""},
		{"token without roles", list(tn.ID), noRoles, 0, 401, "AF10001", "()"},
		{"expired token", list(tn.ID), expiring, 2 * time.Minute, 401, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk.Advance(tc.advance)
			r := do(t, s, http.MethodGet, tc.url, tc.token, nil, nil)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if tc.wantCode != "" && r.afCode() != tc.wantCode {
				t.Errorf("code %q, want %q: %s", r.afCode(), tc.wantCode, r.body)
			}
			if tc.wantMsg != "" && !strings.Contains(r.afMessage(), tc.wantMsg) {
				t.Errorf("message %q lacks %q", r.afMessage(), tc.wantMsg)
			}
		})
	}
}

func TestSubscriptionLifecycle(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 11})
	tok := token(t, s, apiScope)
	ct := url.Values{"contentType": {ContentExchange}}
	window := url.Values{"contentType": {ContentExchange}, "startTime": {clk.Now().Add(-time.Hour).Format("2006-01-02T15:04:05")}, "endTime": {clk.Now().Format("2006-01-02T15:04:05")}}
	steps := []struct {
		name       string
		method     string
		op         string
		q          url.Values
		advance    time.Duration
		wantStatus int
		wantCode   string
		wantMsg    string
		wantBody   string
	}{
		{"list before any start", "GET", "subscriptions/list", nil, 0, 200, "", "", "[]"},
		{"content before start", "GET", "subscriptions/content", window, 0, 400, "AF20022", "", ""},
		{"stop before start", "POST", "subscriptions/stop", ct, 0, 400, "AF20022", "", ""},
		{"start", "POST", "subscriptions/start", ct, 0, 200, "", "", `{"contentType":"Audit.Exchange","status":"enabled","webhook":null}`},
		{"start again", "POST", "subscriptions/start", ct, time.Second, 400, "AF20024", "", ""},
		{"list", "GET", "subscriptions/list", nil, 0, 200, "", "", `[{"contentType":"Audit.Exchange","status":"enabled","webhook":null}]`},
		{"stop", "POST", "subscriptions/stop", ct, time.Second, 200, "", "", ""},
		{"list disabled", "GET", "subscriptions/list", nil, 0, 200, "", "", `[{"contentType":"Audit.Exchange","status":"disabled","webhook":null}]`},
		{"content while disabled", "GET", "subscriptions/content", window, 0, 400, "AF20023", "", ""},
		{"restart within 15 minutes", "POST", "subscriptions/start", ct, 2 * time.Second, 429, "", "Too many frequent subscription start requests. Please retry again after 14m 56s", ""},
		{"restart after 15 minutes", "POST", "subscriptions/start", ct, 15 * time.Minute, 200, "", "", ""},
		{"invalid content type", "POST", "subscriptions/start", url.Values{"contentType": {"Audit.Teams"}}, 0, 400, "AF20020", "", ""},
		{"content type is case-sensitive", "GET", "subscriptions/content", url.Values{"contentType": {"audit.exchange"}}, 0, 400, "AF20020", "", ""},
	}
	for _, st := range steps {
		clk.Advance(st.advance)
		r := do(t, s, st.method, feed(s, st.op, st.q), tok, nil, nil)
		if r.status != st.wantStatus {
			t.Fatalf("%s: status %d, want %d: %s", st.name, r.status, st.wantStatus, r.body)
		}
		if st.wantCode != "" && r.afCode() != st.wantCode {
			t.Errorf("%s: code %q, want %q", st.name, r.afCode(), st.wantCode)
		}
		if st.wantMsg != "" && r.afMessage() != st.wantMsg {
			t.Errorf("%s: message %q, want %q", st.name, r.afMessage(), st.wantMsg)
		}
		if st.wantBody != "" && strings.TrimSpace(string(r.body)) != st.wantBody {
			t.Errorf("%s: body %s, want %s", st.name, r.body, st.wantBody)
		}
	}
}

func TestAuditOffStartError(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 12, Scenario: ScenarioAuditOff})
	tok := token(t, s, apiScope)
	tn := s.Tenant()
	r := do(t, s, http.MethodPost, feed(s, "subscriptions/start", url.Values{"contentType": {ContentGeneral}}), tok, nil, nil)
	if r.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", r.status)
	}
	code, msg := r.afCode(), r.afMessage()
	wantCodePrefix := "StartSubscription [CorrId="
	if !strings.HasPrefix(code, wantCodePrefix) || !strings.Contains(code, "[TenantId="+tn.ID+",ContentType=Audit.General,ApplicationId=") ||
		!strings.Contains(code, "PublisherId="+tn.ID) || !strings.HasSuffix(code, "][AppId") {
		t.Errorf("code = %q", code)
	}
	if !strings.Contains(msg, "] failed. Exception: Microsoft.Office.Compliance.Audit.DataServiceException: Tenant "+tn.ID+" does not exist.\r\n   at ") {
		t.Errorf("message = %q", msg)
	}
	if strings.HasPrefix(code, "AF") {
		t.Errorf("audit-off error must not carry an AF code")
	}
	// Listing content of a never-started type still says "no subscription".
	r = do(t, s, http.MethodGet, feed(s, "subscriptions/content", url.Values{"contentType": {ContentGeneral}}), tok, nil, nil)
	if r.afCode() != "AF20022" {
		t.Errorf("content with audit off: %s", r.body)
	}
	// Turning audit off after a subscription existed disables it.
	s.Mutate(func(st *State) { st.AuditEnabled = true })
	startAll(t, s, tok)
	s.Mutate(func(st *State) { st.AuditEnabled = false })
	r = do(t, s, http.MethodGet, feed(s, "subscriptions/content", url.Values{"contentType": {ContentGeneral}}), tok, nil, nil)
	if r.afCode() != "AF20023" {
		t.Errorf("content after audit turned off: %s", r.body)
	}
}

func TestDLPRequiresReadDlp(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 13, Scenario: ScenarioNoDLPPermission})
	tok := token(t, s, apiScope)
	for _, ct := range []string{ContentExchange, ContentDLP} {
		r := do(t, s, http.MethodPost, feed(s, "subscriptions/start", url.Values{"contentType": {ct}}), tok, nil, nil)
		switch ct {
		case ContentDLP:
			if r.status != 401 || r.afCode() != "AF10001" || !strings.Contains(r.afMessage(), "("+RoleActivityFeedRead+","+RoleServiceHealthRead+")") {
				t.Errorf("DLP start: %d %s", r.status, r.body)
			}
		default:
			if r.status != 200 {
				t.Errorf("%s start: %d %s", ct, r.status, r.body)
			}
		}
	}
}

func TestSubscriptionDisabledScenario(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 14, Scenario: ScenarioSubscriptionDisabled})
	tok := token(t, s, apiScope)
	var subs []subscriptionJSON
	r := do(t, s, http.MethodGet, feed(s, "subscriptions/list", nil), tok, nil, nil)
	r.json(t, &subs)
	status := map[string]string{}
	for _, sub := range subs {
		status[sub.ContentType] = sub.Status
	}
	if len(subs) != 5 || status[ContentExchange] != "disabled" || status[ContentSharePoint] != "enabled" {
		t.Fatalf("subscriptions = %v", subs)
	}
	q := url.Values{"contentType": {ContentExchange}, "startTime": {clk.Now().Add(-time.Hour).Format("2006-01-02T15:04")}, "endTime": {clk.Now().Format("2006-01-02T15:04")}}
	if r := do(t, s, http.MethodGet, feed(s, "subscriptions/content", q), tok, nil, nil); r.afCode() != "AF20023" {
		t.Errorf("content: %s", r.body)
	}
	q.Set("contentType", ContentSharePoint)
	if r := do(t, s, http.MethodGet, feed(s, "subscriptions/content", q), tok, nil, nil); r.status != 200 {
		t.Errorf("SharePoint content: %d %s", r.status, r.body)
	}
}

func TestContentWindowRules(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 15})
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	now := clk.Now()
	f := func(t time.Time, layout string) string { return t.Format(layout) }
	const sec = "2006-01-02T15:04:05"
	tests := []struct {
		name       string
		start, end string
		omitStart  bool
		omitEnd    bool
		wantStatus int
		wantCode   string
	}{
		{name: "both omitted", omitStart: true, omitEnd: true, wantStatus: 200},
		{name: "only start", start: f(now.Add(-time.Hour), sec), omitEnd: true, wantStatus: 400, wantCode: "AF20055"},
		{name: "only end", end: f(now, sec), omitStart: true, wantStatus: 400, wantCode: "AF20055"},
		{name: "exactly 24h", start: f(now.Add(-24*time.Hour), sec), end: f(now, sec), wantStatus: 200},
		{name: "more than 24h", start: f(now.Add(-24*time.Hour-time.Second), sec), end: f(now, sec), wantStatus: 400, wantCode: "AF20055"},
		{name: "start 7 days back plus 30s", start: f(now.Add(-7*24*time.Hour-30*time.Second), sec), end: f(now.Add(-6*24*time.Hour-30*time.Second), sec), wantStatus: 200},
		{name: "start 7 days back plus 2 minutes", start: f(now.Add(-7*24*time.Hour-2*time.Minute), sec), end: f(now.Add(-6*24*time.Hour-2*time.Minute), sec), wantStatus: 400, wantCode: "AF20055"},
		{name: "start equals end", start: f(now.Add(-time.Hour), sec), end: f(now.Add(-time.Hour), sec), wantStatus: 400, wantCode: "AF20055"},
		{name: "start after end", start: f(now, sec), end: f(now.Add(-time.Hour), sec), wantStatus: 400, wantCode: "AF20055"},
		{name: "end in the future", start: f(now.Add(-time.Hour), sec), end: f(now.Add(time.Hour), sec), wantStatus: 200},
		{name: "date only", start: f(now.Add(-24*time.Hour), "2006-01-02"), end: f(now, "2006-01-02"), wantStatus: 200},
		{name: "minutes", start: f(now.Add(-time.Hour), "2006-01-02T15:04"), end: f(now, "2006-01-02T15:04"), wantStatus: 200},
		{name: "Z suffix", start: f(now.Add(-time.Hour), sec) + "Z", end: f(now, sec) + "Z", wantStatus: 200},
		{name: "fraction", start: f(now.Add(-time.Hour), "2006-01-02T15:04:05.000"), end: f(now, "2006-01-02T15:04:05.000Z"), wantStatus: 200},
		{name: "garbage", start: "yesterday", end: f(now, sec), wantStatus: 400, wantCode: "AF20002"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"contentType": {ContentAzureAD}}
			if !tc.omitStart {
				q.Set("startTime", tc.start)
			}
			if !tc.omitEnd {
				q.Set("endTime", tc.end)
			}
			r := do(t, s, http.MethodGet, feed(s, "subscriptions/content", q), tok, nil, nil)
			if r.status != tc.wantStatus || (tc.wantCode != "" && r.afCode() != tc.wantCode) {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestContentFilterIsOnContentCreatedInclusiveStartExclusiveEnd(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 16})
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	items, _ := listAll(t, s, tok, ContentAzureAD, clk.Now().Add(-3*time.Hour), clk.Now())
	if len(items) < 3 {
		t.Fatalf("only %d items", len(items))
	}
	target := items[len(items)/2]
	created, err := time.Parse("2006-01-02T15:04:05.000Z", target.ContentCreated)
	if err != nil {
		t.Fatal(err)
	}
	const ms = "2006-01-02T15:04:05.000"
	ids := func(start, end time.Time) map[string]bool {
		q := url.Values{"contentType": {ContentAzureAD}, "startTime": {start.Format(ms)}, "endTime": {end.Format(ms)}}
		r := do(t, s, http.MethodGet, feed(s, "subscriptions/content", q), tok, nil, nil)
		var got []contentItem
		r.json(t, &got)
		m := map[string]bool{}
		for _, it := range got {
			m[it.ContentID] = true
		}
		return m
	}
	if !ids(created, created.Add(time.Millisecond))[target.ContentID] {
		t.Errorf("window starting at contentCreated must include the blob")
	}
	if ids(created.Add(-time.Hour), created)[target.ContentID] {
		t.Errorf("window ending at contentCreated must exclude the blob")
	}
	for _, it := range items {
		c, _ := time.Parse("2006-01-02T15:04:05.000Z", it.ContentCreated)
		e, _ := time.Parse("2006-01-02T15:04:05.000Z", it.ContentExpiration)
		if !e.Equal(c.Add(7*24*time.Hour)) || !strings.HasPrefix(it.ContentURI, s.APIURL()+"/api/v1.0/"+s.Tenant().ID+"/activity/feed/audit/") || !strings.Contains(it.ContentID, "$") {
			t.Errorf("bad item %+v", it)
		}
	}
}

func TestContentPaging(t *testing.T) {
	small, clk := startSim(t, Config{Seed: 17, PageSize: 7, BlobInterval: time.Minute})
	big, _ := startSim(t, Config{Seed: 17, PageSize: 10000, BlobInterval: time.Minute})
	for _, s := range []*Sim{small, big} {
		startAll(t, s, token(t, s, apiScope))
	}
	start, end := clk.Now().Add(-2*time.Hour), clk.Now()
	a, pages := listAll(t, small, token(t, small, apiScope), ContentSharePoint, start, end)
	b, bigPages := listAll(t, big, token(t, big, apiScope), ContentSharePoint, start, end)
	if bigPages != 1 || pages != (len(b)+6)/7 {
		t.Errorf("pages = %d (big %d) for %d items, want %d", pages, bigPages, len(b), (len(b)+6)/7)
	}
	if len(a) != len(b) {
		t.Fatalf("paged listing has %d items, unpaged %d", len(a), len(b))
	}
	for i := range a {
		if a[i].ContentID != b[i].ContentID {
			t.Fatalf("item %d differs: %s vs %s", i, a[i].ContentID, b[i].ContentID)
		}
	}
	// The NextPageUri is absolute, on the simulator, keeps the window and adds nextPage.
	tok := token(t, small, apiScope)
	q := url.Values{"contentType": {ContentSharePoint}, "startTime": {start.Format("2006-01-02T15:04:05")}, "endTime": {end.Format("2006-01-02T15:04:05")}}
	r := do(t, small, http.MethodGet, feed(small, "subscriptions/content", q), tok, nil, nil)
	next := r.header.Get("NextPageUri")
	u, err := url.Parse(next)
	if err != nil || !strings.HasPrefix(next, small.APIURL()+"/api/v1.0/") || u.Query().Get("startTime") != q.Get("startTime") ||
		u.Query().Get("endTime") != q.Get("endTime") || u.Query().Get("nextPage") == "" {
		t.Fatalf("NextPageUri = %q", next)
	}
	bad := u.Query()
	bad.Set("nextPage", "12345")
	u.RawQuery = bad.Encode()
	if r := do(t, small, http.MethodGet, u.String(), tok, nil, nil); r.afCode() != "AF20031" {
		t.Errorf("bad nextPage: %d %s", r.status, r.body)
	}
}

func TestBlobRetrieval(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 18})
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	tn := s.Tenant()
	items, _ := listAll(t, s, tok, ContentExchange, clk.Now().Add(-6*time.Hour), clk.Now())
	if len(items) == 0 {
		t.Fatal("no content")
	}
	it := items[0]
	recs := fetchRecords(t, s, tok, it.ContentURI)
	created, _ := time.Parse("2006-01-02T15:04:05.000Z", it.ContentCreated)
	for _, rec := range recs {
		ct, _ := rec["CreationTime"].(string)
		when, err := time.Parse("2006-01-02T15:04:05", ct)
		if err != nil || when.After(created) {
			t.Errorf("CreationTime %q not YYYY-MM-DDTHH:MM:SS before contentCreated %s", ct, created)
		}
		if _, ok := rec["RecordType"].(float64); !ok || rec["OrganizationId"] != tn.ID || !isGUID(rec["Id"].(string)) || rec["Workload"] != "Exchange" {
			t.Errorf("record breaks the common schema: %v", rec)
		}
	}
	base := s.APIURL() + "/api/v1.0/" + tn.ID + "/activity/feed/audit/"
	parts := strings.Split(it.ContentID, "$")
	parts[1] = parts[1][:17] + "999999"
	if parts[1] == strings.Split(it.ContentID, "$")[1] {
		parts[1] = parts[1][:17] + "999998"
	}
	forged := strings.Join(parts, "$")
	tests := []struct {
		name       string
		id         string
		advance    time.Duration
		wantStatus int
		wantCode   string
	}{
		{"unknown content", forged, 0, 404, "AF20050"},
		{"malformed id", "not-a-content-id", 0, 400, "AF20052"},
		{"expired content", it.ContentID, 7 * 24 * time.Hour, 400, "AF20051"},
	}
	for _, tc := range tests {
		clk.Advance(tc.advance)
		tok = token(t, s, apiScope)
		r := do(t, s, http.MethodGet, base+tc.id, tok, nil, nil)
		if r.status != tc.wantStatus || r.afCode() != tc.wantCode {
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.status, r.body, tc.wantStatus, tc.wantCode)
		}
	}
}

func TestThrottlingAndPublisherIdentifierStats(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 19, Faults: &Faults{RequestsPerMinute: 4}})
	tok := token(t, s, apiScope)
	tn := s.Tenant()
	plain := s.APIURL() + "/api/v1.0/" + tn.ID + "/activity/feed/subscriptions/list"
	urls := []string{plain + "?PublisherIdentifier=" + tn.ID, plain + "?publisheridentifier=" + tn.ID, plain, plain + "?PUBLISHERIDENTIFIER=" + tn.ID, plain}
	var last response
	for _, u := range urls {
		last = do(t, s, http.MethodGet, u, tok, nil, nil)
	}
	if last.status != http.StatusForbidden || last.afCode() != "AF429" || last.afMessage() != "Too many requests. Method=GET, PublisherId=00000000-0000-0000-0000-000000000000" {
		t.Errorf("5th request over a budget of 4: %d %s", last.status, last.body)
	}
	st := s.Stats()
	if st.ManagementRequests != 5 || st.MissingPublisherIdentifier != 2 || st.Requests[KindSubscriptions] != 5 || st.Status[403] != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestFaultInjection(t *testing.T) {
	tests := []struct {
		name       string
		faults     Faults
		wantStatus int
		check      func(t *testing.T, r response)
	}{
		{"429 with Retry-After", Faults{Rate429: 1, RetryAfter: 7 * time.Second}, 429, func(t *testing.T, r response) {
			if r.header.Get("Retry-After") != "7" {
				t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
			}
		}},
		{"403 AF429", Faults{RateAF429: 1}, 403, func(t *testing.T, r response) {
			if r.afCode() != "AF429" || !strings.Contains(r.afMessage(), "PublisherId=") {
				t.Errorf("body %s", r.body)
			}
		}},
		{"500", Faults{Rate500: 1}, 500, nil},
		{"503", Faults{Rate503: 1}, 503, nil},
		{"truncated body", Faults{TruncateRate: 1}, 200, func(t *testing.T, r response) {
			var v []contentItem
			if json.Unmarshal(r.body, &v) == nil {
				t.Errorf("body is valid JSON; want it cut: %s", r.body)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.faults
			s, clk := startSim(t, Config{Seed: 20, Faults: &f})
			tok := token(t, s, apiScope)
			s.Mutate(func(st *State) {
				for _, ct := range auditgen.ContentTypeNames() {
					st.sub(ct).Status = SubEnabled
				}
			})
			q := url.Values{"contentType": {ContentAzureAD}, "startTime": {clk.Now().Add(-2 * time.Hour).Format("2006-01-02T15:04")}, "endTime": {clk.Now().Format("2006-01-02T15:04")}}
			r := do(t, s, http.MethodGet, feed(s, "subscriptions/content", q), tok, nil, nil)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestSkewedClockEnforcesRulesOnServiceTime(t *testing.T) {
	s, clk := startSim(t, Config{Seed: 21, Scenario: ScenarioSkewedClock})
	tok := token(t, s, apiScope)
	startAll(t, s, tok)
	r := do(t, s, http.MethodGet, feed(s, "subscriptions/list", nil), tok, nil, nil)
	date, err := http.ParseTime(r.header.Get("Date"))
	if err != nil || date.Sub(clk.Now()) != 10*time.Minute {
		t.Fatalf("Date %q is not local+10m (%v)", r.header.Get("Date"), clk.Now())
	}
	// Seven days back by the local clock is 7d10m back for the service.
	local := clk.Now()
	q := url.Values{"contentType": {ContentAzureAD}, "startTime": {local.Add(-7 * 24 * time.Hour).Format("2006-01-02T15:04:05")}, "endTime": {local.Add(-6 * 24 * time.Hour).Format("2006-01-02T15:04:05")}}
	if r := do(t, s, http.MethodGet, feed(s, "subscriptions/content", q), tok, nil, nil); r.afCode() != "AF20055" {
		t.Errorf("window valid by local clock but too old by service clock: %d %s", r.status, r.body)
	}
}
