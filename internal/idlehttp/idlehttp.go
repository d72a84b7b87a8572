// Package idlehttp abandons HTTP exchanges that stop receiving data.
//
// A whole-request timeout is the wrong tool behind a slow-dripping proxy: it
// either cuts a big but live download or holds a dead one for minutes. The
// Transport here arms a timer when the request is sent and re-arms it on
// every read that returns data (headers, then each body chunk); when it
// fires, the request's context is cancelled with ErrStalled. The Management
// API client, the sign-in (MSAL) and Graph all use it, so one stalled
// connection never blocks collection longer than the idle timeout.
package idlehttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DefaultIdle is how long a request may go without receiving a byte.
const DefaultIdle = 30 * time.Second

// ErrStalled is the error (and context cancel cause) of an exchange that
// received no data for the idle timeout. It deliberately does not wrap
// context.Canceled: a stall is the network's fault, not the caller's.
var ErrStalled = errors.New("no data received within the idle timeout")

// Transport is an http.RoundTripper with an idle timeout.
type Transport struct {
	Base http.RoundTripper // nil = http.DefaultTransport
	Idle time.Duration     // 0 = DefaultIdle
}

// Wrap returns a copy of hc (nil = a client with no whole-request timeout)
// whose transport has the idle timeout idle (0 = DefaultIdle). A client that
// is already wrapped is returned unchanged.
func Wrap(hc *http.Client, idle time.Duration) *http.Client {
	if hc == nil {
		hc = &http.Client{}
	}
	if _, ok := hc.Transport.(*Transport); ok {
		return hc
	}
	c := *hc
	c.Transport = &Transport{Base: hc.Transport, Idle: idle}
	return &c
}

func (t *Transport) idle() time.Duration {
	if t.Idle > 0 {
		return t.Idle
	}
	return DefaultIdle
}

// RoundTrip sends req and guards the exchange with the idle timer until the
// response body is closed.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	idle := t.idle()
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(idle, func() { cancel(ErrStalled) })
	resp, err := base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		stalled := errors.Is(context.Cause(ctx), ErrStalled) && req.Context().Err() == nil
		cancel(nil)
		if stalled {
			return nil, fmt.Errorf("%w (%s without a response)", ErrStalled, idle)
		}
		return nil, err
	}
	timer.Reset(idle) // headers arrived
	resp.Body = &body{rc: resp.Body, ctx: ctx, parent: req.Context(), timer: timer, idle: idle, cancel: cancel}
	return resp, nil
}

// body re-arms the idle timer on every read that returns data and ends the
// guard when closed.
type body struct {
	rc     io.ReadCloser
	ctx    context.Context
	parent context.Context
	timer  *time.Timer
	idle   time.Duration
	cancel context.CancelCauseFunc
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.timer.Reset(b.idle)
	}
	// Once the timer cut the connection, whatever the read reports (an
	// unexpected EOF, even a plain EOF) is the stall.
	if err != nil && b.parent.Err() == nil && errors.Is(context.Cause(b.ctx), ErrStalled) {
		err = fmt.Errorf("%w (%s without data)", ErrStalled, b.idle)
	}
	return n, err
}

func (b *body) Close() error {
	b.timer.Stop()
	err := b.rc.Close()
	b.cancel(nil)
	return err
}
