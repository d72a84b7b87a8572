package idlehttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestStallsAreCutAndLiveDownloadsAreNot: a response that stops sending is
// abandoned after the idle timeout, with or without headers; a slow but
// steady one is read to the end even though it lasts several idle periods.
func TestStallsAreCutAndLiveDownloadsAreNot(t *testing.T) {
	const idle = 150 * time.Millisecond
	cases := []struct {
		name        string
		handler     func(w http.ResponseWriter, r *http.Request)
		wantStalled bool
	}{
		{"no headers", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}, true},
		{"headers, then the body stops", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("{\"partial\":"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, true},
		{"slow but live body", func(w http.ResponseWriter, r *http.Request) {
			for range 6 {
				w.Write([]byte("x"))
				w.(http.Flusher).Flush()
				time.Sleep(idle / 3)
			}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(tc.handler))
			defer srv.Close()
			hc := Wrap(srv.Client(), idle)
			start := time.Now()
			err := get(context.Background(), hc, srv.URL)
			took := time.Since(start)
			if tc.wantStalled {
				if !errors.Is(err, ErrStalled) {
					t.Fatalf("err = %v, want ErrStalled", err)
				}
				if took > 20*idle {
					t.Fatalf("stalled exchange abandoned after %v, want about %v", took, idle)
				}
				return
			}
			if err != nil {
				t.Fatalf("live download cut: %v", err)
			}
		})
	}
}

// TestCallerCancelIsNotAStall: the caller's own cancellation keeps its error.
func TestCallerCancelIsNotAStall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := get(ctx, Wrap(srv.Client(), time.Hour), srv.URL)
	if err == nil || errors.Is(err, ErrStalled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline, not a stall", err)
	}
}

func TestWrapKeepsTheClientAndIsIdempotent(t *testing.T) {
	hc := &http.Client{Timeout: time.Minute}
	w := Wrap(hc, 0)
	if w == hc || hc.Transport != nil || w.Timeout != time.Minute {
		t.Fatalf("Wrap changed the original or lost its timeout")
	}
	if Wrap(w, 0) != w {
		t.Fatal("wrapping twice stacks two guards")
	}
}

func get(ctx context.Context, hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}
