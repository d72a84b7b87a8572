package activity

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func BenchmarkClassifyResponse(b *testing.B) {
	bodies := [][]byte{
		[]byte(afError("AF20022", "No subscription found for the specified content type.")),
		[]byte(`{"error":{"code":"StartSubscription [CorrId=7d9c][TenantId=x][AppId","message":"x] failed. Exception: Microsoft.Office.Compliance.Audit.DataServiceException: Tenant x does not exist.\r\n at Foo()"}}`),
		[]byte(afError("AF429", "Too many requests. Method=GetBlob, PublisherId=x")),
	}
	h := http.Header{"Retry-After": {"5"}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = ClassifyResponse(400, h, bodies[i%len(bodies)])
	}
}

// BenchmarkListAndFetch measures the client's per-request overhead (limiter,
// token, origin check, body validation) against a local TLS server: one
// listing page of 100 blobs, then each blob.
func BenchmarkListAndFetch(b *testing.B) {
	var items []string
	for i := range 100 {
		items = append(items, fmt.Sprintf(`{"contentType":"Audit.Exchange","contentId":"c$%d","contentUri":"%%s/blob/c$%d","contentCreated":"2026-09-03T10:15:12.345Z","contentExpiration":"2026-09-10T10:15:12.345Z"}`, i, i))
	}
	list := "[" + strings.Join(items, ",") + "]"
	blob := "[" + strings.Repeat(`{"Id":"1","Operation":"MailItemsAccessed","Workload":"Exchange"},`, 49) + `{"Id":"2"}]`
	var base string
	f := &fakeAPI{}
	f.srv = newBenchServer(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/subscriptions/content") {
			writeJSON(w, 200, strings.ReplaceAll(list, "%s", base))
			return
		}
		writeJSON(w, 200, blob)
	})
	defer f.srv.Close()
	base = f.srv.URL
	c, err := New(Config{BaseURL: base, TenantID: testTenant, HTTPClient: f.srv.Client(),
		Limiter: nil, Token: func(context.Context) (string, error) { return "t", nil }})
	if err != nil {
		b.Fatal(err)
	}
	c.limiter.SetLimit(1e9) // measure the client, not the pacing
	c.limiter.SetBurst(1e9)
	ctx := context.Background()
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		err := c.ListContent(ctx, AuditExchange, now.Add(-time.Hour), now, func(p []Content) error {
			for _, cn := range p {
				if _, err := c.Fetch(ctx, cn); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
