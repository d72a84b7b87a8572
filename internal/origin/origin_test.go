package origin

import (
	"net/url"
	"testing"
)

func TestSame(t *testing.T) {
	api, _ := url.Parse("https://manage.office.com/api/v1.0/")
	local, _ := url.Parse("https://127.0.0.1:42641")
	for _, tc := range []struct {
		name   string
		u      string
		origin *url.URL
		want   bool
	}{
		{"same host, other path", "https://manage.office.com/api/v1.0/t/activity/feed/audit/x", api, true},
		{"host case differs", "https://Manage.Office.COM/x", api, true},
		{"default port written out", "https://manage.office.com:443/x", api, true},
		{"other port", "https://manage.office.com:8443/x", api, false},
		{"plain http", "http://manage.office.com/x", api, false},
		{"look-alike host", "https://manage.office.com.evil.example/x", api, false},
		{"user info trick", "https://manage.office.com@evil.example/x", api, false},
		{"other host", "https://graph.microsoft.com/v1.0/users", api, false},
		{"local simulator, same port", "https://127.0.0.1:42641/api/v1.0/x", local, true},
		{"local simulator, other port", "https://127.0.0.1:42642/api/v1.0/x", local, false},
	} {
		u, err := url.Parse(tc.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := Same(u, tc.origin); got != tc.want {
			t.Errorf("%s: Same(%s, %s) = %v, want %v", tc.name, tc.u, tc.origin, got, tc.want)
		}
	}
	if Same(nil, api) || Same(api, nil) {
		t.Error("a nil URL is the same origin")
	}
}
