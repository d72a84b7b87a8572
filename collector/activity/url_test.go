package activity

import (
	"context"
	"testing"

	"github.com/auditlight/auditlight/collector/fault"
)

func TestPrepareURL(t *testing.T) {
	c, err := New(Config{BaseURL: "https://manage.office.com", TenantID: testTenant, PublisherID: testPublisher,
		Token: func(context.Context) (string, error) { return "t", nil }})
	if err != nil {
		t.Fatal(err)
	}
	const feed = "https://manage.office.com/api/v1.0/" + testTenant + "/activity/feed"
	tests := []struct {
		name, in, want string
		refused        bool
	}{
		{"no query", feed + "/audit/a$b", feed + "/audit/a$b?PublisherIdentifier=" + testPublisher, false},
		{"query kept verbatim", feed + "/subscriptions/content?contentType=Audit.Exchange&nextPage=x$y%2Bz", feed + "/subscriptions/content?contentType=Audit.Exchange&nextPage=x$y%2Bz&PublisherIdentifier=" + testPublisher, false},
		{"already present in another case", feed + "/x?publisheridentifier=" + testTenant, feed + "/x?publisheridentifier=" + testTenant, false},
		{"trailing question mark", feed + "/x?", feed + "/x?PublisherIdentifier=" + testPublisher, false},
		{"explicit default port", "https://manage.office.com:443/api/x", "https://manage.office.com:443/api/x?PublisherIdentifier=" + testPublisher, false},
		{"host in upper case", "https://MANAGE.office.com/api/x", "https://MANAGE.office.com/api/x?PublisherIdentifier=" + testPublisher, false},
		{"other host", "https://evil.example/api/x", "", true},
		{"look-alike host", "https://manage.office.com.evil.example/api/x", "", true},
		{"other port", "https://manage.office.com:8443/api/x", "", true},
		{"plain http", "http://manage.office.com/api/x", "", true},
		{"relative", "/api/x", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.prepareURL("test", tt.in)
			if tt.refused {
				if fault.KindOf(err) != fault.Config {
					t.Fatalf("prepareURL(%q) = %q, %v; want refusal", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("prepareURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
