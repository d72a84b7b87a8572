package auth

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testTenantID = "6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21"
	testDomain   = "contoso.onmicrosoft.com"
	testClientID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	testSecret   = "Abc8Q~not-a-real-secret.value_123"
)

// fakeIdP is a minimal Entra ID: OpenID discovery and a client-credentials
// token endpoint, over TLS.
type fakeIdP struct {
	srv        *httptest.Server
	tokenCalls atomic.Int64

	mu         sync.Mutex
	failStatus int    // when non-zero the token endpoint fails with this status
	failBody   string // ... and this body
	failHeader http.Header
	stall      bool // the token endpoint sends headers and part of the body, then nothing
	roles      []string
	lastScope  string
	lastClaims string
}

func newFakeIdP(t testing.TB) *fakeIdP {
	t.Helper()
	f := &fakeIdP{roles: []string{"ActivityFeed.Read"}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		tenant := strings.ToLower(r.PathValue("tenant"))
		if tenant != testTenantID && tenant != testDomain {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.\r\nTrace ID: x\r\nCorrelation ID: y","error_codes":[90002]}`, tenant)
			return
		}
		base := "https://" + r.Host + "/" + testTenantID
		_ = json.NewEncoder(w).Encode(map[string]string{
			"issuer":                 base + "/v2.0",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"token_endpoint":         base + "/oauth2/v2.0/token",
		})
	})
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		f.tokenCalls.Add(1)
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.lastScope = r.PostForm.Get("scope")
		f.lastClaims = r.PostForm.Get("claims")
		w.Header().Set("Content-Type", "application/json")
		if f.stall {
			_, _ = w.Write([]byte(`{"token_type":"Bearer",`))
			w.(http.Flusher).Flush()
			f.mu.Unlock()
			<-r.Context().Done()
			f.mu.Lock()
			return
		}
		if f.failStatus != 0 {
			for k, v := range f.failHeader {
				w.Header()[k] = v
			}
			w.WriteHeader(f.failStatus)
			_, _ = w.Write([]byte(f.failBody))
			return
		}
		aud := strings.TrimSuffix(strings.Fields(f.lastScope)[0], "/.default")
		tok := makeJWT(map[string]any{
			"aud": aud, "iss": "https://sts.windows.net/" + testTenantID + "/", "tid": testTenantID,
			"appid": r.PostForm.Get("client_id"), "roles": f.roles, "exp": time.Now().Add(time.Hour).Unix(),
			"uti": f.tokenCalls.Load(),
		})
		_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3599, "access_token": tok})
	})
	f.srv = httptest.NewTLSServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIdP) fail(status int, body string, h http.Header) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failStatus, f.failBody, f.failHeader = status, body, h
}

func (f *fakeIdP) endpoints() Endpoints {
	return Endpoints{LoginURL: f.srv.URL, APIURL: f.srv.URL, GraphURL: f.srv.URL + "/v1.0"}
}

func makeJWT(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	b, _ := json.Marshal(claims)
	return h + "." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}
