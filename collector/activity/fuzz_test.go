package activity

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// FuzzParseContentList feeds arbitrary bytes to the listing parser: it must
// never panic, must reject what is not a JSON array of descriptors, and every
// descriptor it returns must carry an id, a URI, a content type and, when
// its creation time is known, an expiration.
//
//	go test -run '^$' -fuzz FuzzParseContentList -fuzztime 30s ./collector/activity/
func FuzzParseContentList(f *testing.F) {
	seeds := []string{
		`[{"contentType":"Audit.Exchange","contentId":"20260903101512345678901$20260903101512345678901$audit_exchange$Audit_Exchange$emea0027","contentUri":"https://manage.office.com/api/v1.0/6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21/activity/feed/audit/20260903101512345678901$20260903101512345678901$audit_exchange$Audit_Exchange$emea0027","contentCreated":"2026-09-03T10:15:12.345Z","contentExpiration":"2026-09-10T10:15:12.345Z"}]`,
		`[]`,
		``,
		`[{"contentId":"x","contentUri":"https://h/a","contentCreated":"2026-09-03T10:15:12"}]`,
		`[{"contentType":"DLP.All","contentId":"","contentUri":"https://h/a"}]`,
		`{"error":{"code":"AF20022","message":"No subscription found for the specified content type."}}`,
		`[{"contentType":"Audit.General","contentId":"a","contentUri":"https://h/a","contentCreated":"not a time"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	c := &Client{log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := c.parseContentList(body, AuditGeneral)
		if err != nil {
			if items != nil {
				t.Fatal("items returned with an error")
			}
			return
		}
		trimmed := strings.TrimSpace(string(body))
		if trimmed != "" && trimmed != "null" && !strings.HasPrefix(trimmed, "[") {
			t.Fatalf("accepted a non-array listing: %q", body)
		}
		for _, it := range items {
			if it.ContentID == "" || it.ContentURI == "" || it.ContentType == "" {
				t.Fatalf("incomplete descriptor %+v", it)
			}
			if !it.Created.IsZero() && it.Expiration.IsZero() {
				t.Fatalf("no expiration derived for %+v", it)
			}
		}
	})
}

// FuzzNextPage: whatever the header holds, the next-page URL is a trimmed
// value of NextPageUri or NextPageUrl, never invented.
func FuzzNextPage(f *testing.F) {
	f.Add("https://manage.office.com/api/v1/x/activity/feed/subscriptions/content?nextPage=abc", "")
	f.Add("", " https://h/next ")
	f.Fuzz(func(t *testing.T, uri, url string) {
		h := http.Header{}
		if uri != "" {
			h.Set("NextPageUri", uri)
		}
		if url != "" {
			h.Set("NextPageUrl", url)
		}
		got := nextPage(h)
		if got != "" && got != strings.TrimSpace(h.Get("NextPageUri")) && got != strings.TrimSpace(h.Get("NextPageUrl")) {
			t.Fatalf("nextPage = %q from %v", got, h)
		}
		if strings.TrimSpace(h.Get("NextPageUri")) == "" && strings.TrimSpace(h.Get("NextPageUrl")) == "" && got != "" {
			t.Fatalf("invented a next page %q", got)
		}
	})
}
