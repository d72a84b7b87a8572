package activity

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/auditlight/auditlight/collector/fault"
)

// Subscription is the state of one content type's subscription.
type Subscription struct {
	ContentType ContentType     `json:"contentType"`
	Status      string          `json:"status"`            // "enabled" or "disabled"
	Webhook     json.RawMessage `json:"webhook,omitempty"` // null when polling
}

// Enabled reports whether the subscription is enabled.
func (s Subscription) Enabled() bool { return strings.EqualFold(s.Status, "enabled") }

// Subscriptions lists the tenant's subscriptions; content types never
// subscribed are absent.
func (c *Client) Subscriptions(ctx context.Context) ([]Subscription, error) {
	const op = "listing subscriptions"
	resp, err := c.do(ctx, op, http.MethodGet, c.feed+"/subscriptions/list", validJSONArrayOrEmpty)
	if err != nil {
		return nil, err
	}
	var subs []Subscription
	if len(bytes.TrimSpace(resp.body)) > 0 {
		if err := json.Unmarshal(resp.body, &subs); err != nil {
			return nil, &fault.Error{Kind: fault.Transient, Op: op, Code: "MALFORMED", Message: "the subscription list is not valid JSON", Err: err}
		}
	}
	return subs, nil
}

// Start starts (or re-enables) the subscription for ct. "Already enabled"
// (AF20024) counts as success. The service allows one start every 15
// minutes; the cool-down comes back as a Throttled error with RetryAfter set.
func (c *Client) Start(ctx context.Context, ct ContentType) (Subscription, error) {
	op := "starting the " + string(ct) + " subscription"
	if !ct.Valid() {
		return Subscription{}, &fault.Error{Kind: fault.Config, Op: op, Message: "unknown content type " + string(ct)}
	}
	resp, err := c.do(ctx, op, http.MethodPost, c.feed+"/subscriptions/start?contentType="+url.QueryEscape(string(ct)), nil)
	if err != nil {
		if fault.CodeOf(err) == "AF20024" {
			c.log.Info("subscription already enabled", "content_type", string(ct))
			return Subscription{ContentType: ct, Status: "enabled"}, nil
		}
		return Subscription{}, err
	}
	sub := Subscription{ContentType: ct, Status: "enabled"}
	if len(bytes.TrimSpace(resp.body)) > 0 {
		if err := json.Unmarshal(resp.body, &sub); err != nil {
			c.log.Warn("start subscription: unreadable response body", "content_type", string(ct), "error", err)
			sub = Subscription{ContentType: ct, Status: "enabled"}
		}
	}
	if sub.ContentType == "" {
		sub.ContentType = ct
	}
	return sub, nil
}

// Stop stops the subscription for ct. Content produced while stopped can
// never be retrieved.
func (c *Client) Stop(ctx context.Context, ct ContentType) error {
	op := "stopping the " + string(ct) + " subscription"
	if !ct.Valid() {
		return &fault.Error{Kind: fault.Config, Op: op, Message: "unknown content type " + string(ct)}
	}
	_, err := c.do(ctx, op, http.MethodPost, c.feed+"/subscriptions/stop?contentType="+url.QueryEscape(string(ct)), nil)
	return err
}
