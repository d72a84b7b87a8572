package activity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

func contentItem(base, id string, created string) string {
	return fmt.Sprintf(`{"contentType":"Audit.Exchange","contentId":"%s","contentUri":"%s/api/v1.0/%s/activity/feed/audit/%s","contentCreated":"%s","contentExpiration":"2026-09-10T10:15:12.345Z"}`,
		id, base, testTenant, id, created)
}

func TestListContentFollowsPagesVerbatim(t *testing.T) {
	var f *fakeAPI
	f = newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		base := "https://" + r.Host
		switch r.URL.Query().Get("nextPage") {
		case "":
			// Header written with the documented spelling; Go canonicalises it.
			w.Header()["NextPageUri"] = []string{base + r.URL.Path + "?contentType=Audit.Exchange&startTime=2026-09-03T10:00:00&endTime=2026-09-03T11:00:00&nextPage=p2$x"}
			writeJSON(w, 200, "["+contentItem(base, "a$1", "2026-09-03T10:15:12.345Z")+","+contentItem(base, "a$2", "2026-09-03T10:16:00Z")+"]")
		case "p2$x":
			// The older spelling, lower case on the wire.
			w.Header()["nextpageurl"] = []string{base + r.URL.Path + "?contentType=Audit.Exchange&nextPage=p3&PublisherIdentifier=" + testTenant}
			writeJSON(w, 200, "["+contentItem(base, "b$1", "2026-09-03T10:20:00")+"]")
		case "p3":
			writeJSON(w, 200, "[]")
		default:
			http.Error(w, "bad page", 400)
		}
	})
	c, _, _ := newTestClient(t, f, testOpts{})
	start := time.Date(2026, 9, 3, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	var got []Content
	err := c.ListContent(context.Background(), AuditExchange, start, start.Add(time.Hour), func(p []Content) error {
		got = append(got, p...)
		return nil
	})
	if err != nil {
		t.Fatalf("ListContent: %v", err)
	}
	var ids []string
	for _, it := range got {
		ids = append(ids, it.ContentID)
	}
	if strings.Join(ids, ",") != "a$1,a$2,b$1" {
		t.Fatalf("content ids = %v, want all three across pages", ids)
	}
	if want := time.Date(2026, 9, 3, 10, 15, 12, 345e6, time.UTC); !got[0].Created.Equal(want) {
		t.Errorf("created = %v, want %v", got[0].Created, want)
	}
	if want := time.Date(2026, 9, 3, 10, 20, 0, 0, time.UTC); !got[2].Created.Equal(want) {
		t.Errorf("zone-less created = %v, want %v (UTC)", got[2].Created, want)
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("requests = %d, want 3 pages", len(reqs))
	}
	q0, _ := url.ParseQuery(reqs[0].rawQuery)
	if q0.Get("startTime") != "2026-09-03T10:00:00" || q0.Get("endTime") != "2026-09-03T11:00:00" {
		t.Errorf("window sent = %s..%s, want UTC 2026-09-03T10:00:00..11:00:00", q0.Get("startTime"), q0.Get("endTime"))
	}
	if !strings.Contains(reqs[1].rawQuery, "nextPage=p2$x") {
		t.Errorf("second request query %q: next page link not followed verbatim", reqs[1].rawQuery)
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.rawQuery)
		if len(q["PublisherIdentifier"]) != 1 || q.Get("PublisherIdentifier") != testTenant {
			t.Errorf("request %d query %q: want exactly one PublisherIdentifier=%s", i, r.rawQuery, testTenant)
		}
		if !strings.HasPrefix(r.auth, "Bearer tok-") {
			t.Errorf("request %d: no bearer token", i)
		}
	}
}

func TestListContentRefusesForeignNextPage(t *testing.T) {
	foreign := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "[]") })
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("NextPageUri", foreign.srv.URL+r.URL.Path+"?nextPage=2")
		writeJSON(w, 200, "["+contentItem("https://"+r.Host, "a", "2026-09-03T10:15:12Z")+"]")
	})
	c, _, tokens := newTestClient(t, f, testOpts{})
	pages := 0
	err := c.ListContent(context.Background(), AuditExchange, time.Now().Add(-time.Hour), time.Now(), func([]Content) error { pages++; return nil })
	fe, ok := fault.As(err)
	if !ok || fe.Kind != fault.Config || !strings.Contains(fe.Message, "refusing") {
		t.Fatalf("err = %v, want a config error refusing the foreign host", err)
	}
	if n := len(foreign.requests()); n != 0 {
		t.Errorf("foreign host received %d requests, want none", n)
	}
	if pages != 1 || tokens.Load() != 1 {
		t.Errorf("pages=%d tokens=%d, want the first page only and no token fetched for the foreign URL", pages, tokens.Load())
	}
}

func TestListContentPageErrorStops(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("NextPageUri", "https://"+r.Host+r.URL.Path+"?nextPage=again"+fmt.Sprint(len(r.URL.RawQuery)))
		writeJSON(w, 200, "["+contentItem("https://"+r.Host, "a", "2026-09-03T10:15:12Z")+"]")
	})
	c, _, _ := newTestClient(t, f, testOpts{})
	stop := errors.New("store full")
	err := c.ListContent(context.Background(), AuditExchange, time.Now().Add(-time.Hour), time.Now(), func([]Content) error { return stop })
	if !errors.Is(err, stop) || len(f.requests()) != 1 {
		t.Fatalf("err = %v after %d requests, want the page error after one request", err, len(f.requests()))
	}
}

func TestListContentRejectsBadWindowLocally(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "[]") })
	c, _, _ := newTestClient(t, f, testOpts{})
	now := time.Now()
	err := c.ListContent(context.Background(), AuditExchange, now, now, func([]Content) error { return nil })
	if fault.KindOf(err) != fault.Window || len(f.requests()) != 0 {
		t.Fatalf("err = %v with %d requests, want a local window error", err, len(f.requests()))
	}
}

func TestFetch(t *testing.T) {
	tests := []struct {
		name      string
		bodies    []string // successive 200 bodies
		wantErr   fault.Kind
		wantBody  string
		wantRecs  []string // FetchRecords: the array's elements
		wantTries int
	}{
		{"complete array", []string{`[{"Id":"1"},{"Id":"2"}]`}, fault.Unknown, `[{"Id":"1"},{"Id":"2"}]`, []string{`{"Id":"1"}`, `{"Id":"2"}`}, 1},
		{"truncated then complete", []string{`[{"Id":"1"},{"Id"`, `[{"Id":"1"}]`}, fault.Unknown, `[{"Id":"1"}]`, []string{`{"Id":"1"}`}, 2},
		{"always truncated", []string{`[{"Id":"1"},`}, fault.Transient, "", nil, 5},
		{"object not array", []string{`{"Id":"1"}`}, fault.Transient, "", nil, 5},
		{"trailing garbage", []string{`[{"Id":"1"}] x`}, fault.Transient, "", nil, 5},
	}
	// Fetch returns the body; FetchRecords also splits it, and must retry
	// and fail exactly as Fetch does.
	fetchers := map[string]func(c *Client, ctx context.Context, ct Content) ([]byte, []string, error){
		"Fetch": func(c *Client, ctx context.Context, ct Content) ([]byte, []string, error) {
			body, err := c.Fetch(ctx, ct)
			return body, nil, err
		},
		"FetchRecords": func(c *Client, ctx context.Context, ct Content) ([]byte, []string, error) {
			body, recs, err := c.FetchRecords(ctx, ct)
			out := make([]string, len(recs))
			for i, r := range recs {
				out[i] = string(r)
			}
			return body, out, err
		},
	}
	for fname, fetch := range fetchers {
		for _, tt := range tests {
			t.Run(fname+"/"+tt.name, func(t *testing.T) {
				n := 0
				f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
					b := tt.bodies[min(n, len(tt.bodies)-1)]
					n++
					writeJSON(w, 200, b)
				})
				c, sl, _ := newTestClient(t, f, testOpts{})
				uri := f.srv.URL + "/api/v1.0/" + testTenant + "/activity/feed/audit/x$y"
				body, recs, err := fetch(c, context.Background(), Content{ContentID: "x$y", ContentURI: uri})
				if tt.wantErr != fault.Unknown {
					fe, ok := fault.As(err)
					if !ok || fe.Kind != tt.wantErr || !strings.Contains(fe.Message, "truncated") {
						t.Fatalf("err = %v, want %v truncated", err, tt.wantErr)
					}
				} else if err != nil || string(body) != tt.wantBody {
					t.Fatalf("%s = %q, %v; want %q", fname, body, err, tt.wantBody)
				}
				if fname == "FetchRecords" && strings.Join(recs, "|") != strings.Join(tt.wantRecs, "|") {
					t.Errorf("records = %q, want %q", recs, tt.wantRecs)
				}
				reqs := f.requests()
				if len(reqs) != tt.wantTries || len(sl.all()) != tt.wantTries-1 {
					t.Errorf("requests=%d sleeps=%d, want %d requests", len(reqs), len(sl.all()), tt.wantTries)
				}
				for _, r := range reqs {
					if !strings.HasSuffix(r.path, "/audit/x$y") || !strings.Contains(r.rawQuery, "PublisherIdentifier="+testTenant) {
						t.Errorf("blob request %s?%s lacks PublisherIdentifier or mangled the id", r.path, r.rawQuery)
					}
				}
			})
		}
	}
}

func TestFetchRefusesForeignContentURI(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "[]") })
	c, _, tokens := newTestClient(t, f, testOpts{})
	u, _ := url.Parse(f.srv.URL)
	other := "https://localhost:" + u.Port() + "/api/v1.0/x/activity/feed/audit/1" // same port, other host name
	_, err := c.Fetch(context.Background(), Content{ContentID: "1", ContentURI: other})
	if fault.KindOf(err) != fault.Config || tokens.Load() != 0 || len(f.requests()) != 0 {
		t.Fatalf("err=%v tokens=%d requests=%d, want refusal before a token is fetched", err, tokens.Load(), len(f.requests()))
	}
}

func TestFetchTruncatedConnection(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`[{"Id":"1"}`))
		// The handler returns with the body short of Content-Length: the
		// client sees an unexpected EOF.
	})
	c, _, _ := newTestClient(t, f, testOpts{maxRetries: -1})
	_, err := c.Fetch(context.Background(), Content{ContentID: "1", ContentURI: f.srv.URL + "/blob"})
	fe, ok := fault.As(err)
	if !ok || fe.Kind != fault.Transient || !strings.Contains(fe.Message, "truncated") {
		t.Fatalf("err = %v, want transient truncated", err)
	}
}

func TestParseAPITime(t *testing.T) {
	want := time.Date(2026, 9, 3, 10, 15, 12, 0, time.UTC)
	for _, s := range []string{"2026-09-03T10:15:12Z", "2026-09-03T10:15:12", "2026-09-03T12:15:12+02:00", "2026-09-03 10:15:12", " 2026-09-03T10:15:12.000Z "} {
		if got := parseAPITime(s); !got.Equal(want) {
			t.Errorf("parseAPITime(%q) = %v, want %v", s, got, want)
		}
	}
	if got := parseAPITime("yesterday"); !got.IsZero() {
		t.Errorf("parseAPITime(garbage) = %v, want zero", got)
	}
}

// A body is kept whole, and resident at its own size: it stays in memory
// until the store has committed it, so spare capacity (a buffer grown by
// doubling while a chunked or gzip-decoded body arrived) would be memory the
// collector's buffer budget does not see (issue 12).
func TestReadBodyKeepsEveryByteInABufferOfItsSize(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	huge := strings.Repeat("y", 1<<20+3)
	tests := []struct {
		name      string
		body      string
		announced int64
	}{
		{"announced", big, int64(len(big))},
		{"not announced", big, -1},
		{"not announced, 1 MiB", huge, -1},
		{"not announced, one chunk", big[:bodyChunk], -1},
		{"not announced, small", "[]", -1},
		{"announced short", big, 10},
		{"announced long", "[]", 1 << 20},
		{"empty", "", 0},
	}
	br := newBodyReader()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second read reuses the first one's chunks
				got, err := br.read(strings.NewReader(tt.body), tt.announced)
				if err != nil || string(got) != tt.body {
					t.Fatalf("read = %d bytes, %v; want the %d bytes sent", len(got), err, len(tt.body))
				}
				if spare := cap(got) - len(got); spare > bytes.MinRead {
					t.Errorf("a %d-byte body holds a %d-byte buffer (%d spare), want at most %d spare",
						len(got), cap(got), spare, bytes.MinRead)
				}
			}
		})
	}
}
