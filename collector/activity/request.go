package activity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/idlehttp"
	"github.com/auditlight/auditlight/internal/origin"
)

// maxBody bounds one response; a content blob is a few MB at most.
const maxBody = 256 << 20

// response is a completed 2xx response.
type response struct {
	status int
	header http.Header
	body   []byte
}

// prepareURL refuses URLs outside the API origin and appends
// PublisherIdentifier when the URL lacks it. The rest of the URL is kept
// verbatim (content IDs contain '$').
func (c *Client) prepareURL(op, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", &fault.Error{Kind: fault.Config, Op: op, Message: "the API returned a URL that cannot be parsed", Err: err}
	}
	if !origin.Same(u, c.origin) {
		return "", &fault.Error{Kind: fault.Config, Op: op, Code: "FOREIGN_HOST",
			Message: fmt.Sprintf("refusing to send the access token to %s://%s, which is not the Management API host %s", u.Scheme, u.Host, c.origin.Host)}
	}
	if hasParam(u.RawQuery, "PublisherIdentifier") {
		return raw, nil
	}
	frag := ""
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw, frag = raw[:i], raw[i:]
	}
	sep := "&"
	switch {
	case !strings.Contains(raw, "?"):
		sep = "?"
	case strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "&"):
		sep = ""
	}
	return raw + sep + "PublisherIdentifier=" + url.QueryEscape(c.publisher) + frag, nil
}

// hasParam reports whether the raw query has the parameter (any case).
func hasParam(rawQuery, name string) bool {
	for _, kv := range strings.Split(rawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// do sends one logical request with rate limiting, retries and token refresh.
// validate, when set, checks a 2xx body; a failure counts as a truncated,
// transient response.
func (c *Client) do(ctx context.Context, op, method, rawURL string, validate func([]byte) error) (*response, error) {
	target, err := c.prepareURL(op, rawURL)
	if err != nil {
		return nil, err
	}
	invalidated := false
	for attempt := 0; ; attempt++ {
		resp, fe := c.once(ctx, op, method, target, validate)
		if fe == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctxFault(op, ctx.Err())
		}
		if fe.Kind == fault.Throttled && fe.Status != 0 {
			c.throttled.Add(1)
			c.trouble.note(c.clock(), true)
		}
		if fe.Code == codeStalled {
			c.trouble.note(c.clock(), false)
		}
		if fe.Status == http.StatusUnauthorized && !strings.HasPrefix(fe.Code, "AF") && !invalidated && c.invalidate != nil {
			invalidated = true
			c.invalidations.Add(1)
			c.retries.Add(1)
			c.log.Info("access token rejected, retrying with a new token", "op", op)
			c.invalidate()
			continue
		}
		if fe.Kind != fault.Throttled && fe.Kind != fault.Transient {
			return nil, fe
		}
		if attempt >= c.maxRetries {
			c.log.Warn("giving up after retries", "op", op, "attempts", attempt+1, "kind", fe.Kind.String(), "code", fe.Code)
			return nil, fe
		}
		if fe.RetryAfter > c.maxBackoff {
			// A long server-requested wait (e.g. the 15-minute start
			// cool-down) is for the caller to schedule.
			return nil, fe
		}
		retryAfter := fe.RetryAfter
		if fe.Kind == fault.Throttled && retryAfter == 0 {
			// Throttling without Retry-After (AF429 usually has none): the
			// tenant's per-minute budget needs time to refill, so back off
			// from a longer base than for a transient failure.
			retryAfter = min(c.maxBackoff, throttleBase<<min(attempt, 8))
		}
		wait := c.backoff(attempt, retryAfter)
		c.retries.Add(1)
		c.log.Info("retrying", "op", op, "attempt", attempt+1, "wait", wait.String(), "kind", fe.Kind.String(), "code", fe.Code)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, ctxFault(op, err)
		}
	}
}

// codeStalled marks a request abandoned by the idle timeout.
const codeStalled = "STALLED"

// throttleBase is the first wait after a throttling answer without
// Retry-After; it doubles per attempt up to MaxBackoff.
const throttleBase = 5 * time.Second

// backoff is exponential with full jitter, never shorter than the server's
// Retry-After.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	ceiling := c.maxBackoff
	if attempt < 30 {
		if d := c.baseBackoff << attempt; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	wait := time.Duration(rand.Int64N(int64(ceiling) + 1))
	if wait < retryAfter {
		wait = retryAfter
	}
	return wait
}

// once sends one HTTP request.
func (c *Client) once(ctx context.Context, op, method, target string, validate func([]byte) error) (*response, *fault.Error) {
	if err := c.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctxFault(op, ctx.Err())
		}
		return nil, &fault.Error{Kind: fault.Transient, Op: op, Message: "rate limiter: " + err.Error(), Err: err}
	}
	tok, err := c.token(ctx)
	if err != nil {
		if fe, ok := fault.As(err); ok {
			return nil, fe
		}
		return nil, &fault.Error{Kind: fault.KindOf(err), Op: op, Message: "getting an access token", Err: err}
	}
	parent := ctx
	stalled := func(err error) *fault.Error {
		if parent.Err() == nil && errors.Is(err, idlehttp.ErrStalled) {
			return &fault.Error{Kind: fault.Transient, Op: op, Code: codeStalled,
				Message: fmt.Sprintf("no data from Microsoft for %s (the connection stalled)", c.idle), Err: err}
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, method, target, http.NoBody)
	if err != nil {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	c.requests.Add(1)
	resp, err := c.hc.Do(req)
	if err != nil {
		if fe := stalled(err); fe != nil {
			return nil, fe
		}
		return nil, transportFault(parent, op, err)
	}
	defer resp.Body.Close()
	body, rerr := c.bodies.read(resp.Body, resp.ContentLength)
	c.observeDate(resp.Header)
	if rerr != nil {
		if fe := stalled(rerr); fe != nil {
			fe.Status = resp.StatusCode
			return nil, fe
		}
		if parent.Err() != nil {
			return nil, ctxFault(op, parent.Err())
		}
		return nil, &fault.Error{Kind: fault.Transient, Op: op, Status: resp.StatusCode, Code: "TRUNCATED",
			Message: "the response was truncated", Err: rerr}
	}
	if len(body) > maxBody {
		return nil, &fault.Error{Kind: fault.Transient, Op: op, Status: resp.StatusCode, Code: "TOO_LARGE",
			Message: fmt.Sprintf("the response is larger than %d MiB", maxBody>>20)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if validate != nil {
			if err := validate(body); err != nil {
				return nil, &fault.Error{Kind: fault.Transient, Op: op, Status: resp.StatusCode, Code: "TRUNCATED",
					Message: "the response was truncated or malformed: " + err.Error(), Err: err}
			}
		}
		return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
	}
	fe := classify(resp.StatusCode, resp.Header, body, c.clock)
	fe.Op = op
	return nil, fe
}

// observeDate records the server clock's offset from the local clock.
func (c *Client) observeDate(h http.Header) {
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		c.skew.Store(int64(d.Sub(c.clock())))
	}
}

// transportFault classifies a failure to get any response.
func transportFault(ctx context.Context, op string, err error) *fault.Error {
	if ctx.Err() != nil {
		return ctxFault(op, ctx.Err())
	}
	if fe := fault.ClassifyTLS(op, "the Management API's", err); fe != nil {
		return fe
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &fault.Error{Kind: fault.Transient, Op: op, Code: "NETWORK",
			Message: "cannot find " + dnsErr.Name + " (check the network connection)", Err: err}
	}
	return &fault.Error{Kind: fault.Transient, Op: op, Code: "NETWORK", Message: "cannot reach the Management API", Err: err}
}

// validJSONArray checks that body is one complete JSON array.
func validJSONArray(body []byte) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '[' {
		return errors.New("not a JSON array")
	}
	if !json.Valid(b) {
		return errors.New("incomplete JSON")
	}
	return nil
}

// validJSONArrayOrEmpty accepts an empty body as an empty list.
func validJSONArrayOrEmpty(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return validJSONArray(body)
}
