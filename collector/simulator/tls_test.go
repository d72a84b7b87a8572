package simulator

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTLSTrustComesOnlyFromTheSimulatorCA(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 60})
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") || s.LoginURL() != s.URL() || s.APIURL() != s.URL() ||
		s.GraphURL() != s.URL()+"/v1.0" || s.GroundTruthURL() != s.URL()+"/_sim/ground-truth" {
		t.Fatalf("URLs: %s %s %s %s %s", s.URL(), s.LoginURL(), s.APIURL(), s.GraphURL(), s.GroundTruthURL())
	}
	path := filepath.Join(t.TempDir(), "sim-ca.pem")
	if err := s.WriteCAFile(path); err != nil {
		t.Fatal(err)
	}
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) || string(pemBytes) != string(s.CACertPEM()) {
		t.Fatalf("CA file is not the simulator's PEM")
	}
	tests := []struct {
		name    string
		client  *http.Client
		wantErr bool
	}{
		{"pool from CA file", &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, false},
		{"CertPool()", &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool()}}}, false},
		{"Client()", s.Client(), false},
		{"system roots only", &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.client.Get(s.LoginURL() + "/" + s.Tenant().ID + "/v2.0/.well-known/openid-configuration")
			if err == nil {
				resp.Body.Close()
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := s.Client().Get(s.URL() + "/_sim/ground-truth"); err == nil {
		t.Errorf("server still answering after Close")
	}
}

// TestCloseDoesNotWaitForAnIdleDial: a client's spare connection that never
// sent a request kept Close waiting its whole 2-s shutdown, which the demo's
// quit waited for (0.15 s became 2.1 s).
func TestCloseDoesNotWaitForAnIdleDial(t *testing.T) {
	s, _ := startSim(t, Config{Seed: 61})
	conn, err := tls.Dial("tcp", strings.TrimPrefix(s.URL(), "https://"), &tls.Config{RootCAs: s.CertPool()})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err) // the idle connection is closed, which is no failure
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Close took %v with an idle connection open; want at most its %v grace (and well under 1 s)", d, closeGrace)
	}
}
