package activity

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/auditrec"
	"github.com/auditlight/auditlight/collector/fault"
)

// maxPages stops a listing whose next-page links never end.
const maxPages = 10000

// retention is how long a blob stays retrievable after it was created.
const retention = 7 * 24 * time.Hour

// timeLayout is the listing's startTime/endTime format (UTC, no zone).
const timeLayout = "2006-01-02T15:04:05"

// Content describes one blob of audit records.
type Content struct {
	ContentType ContentType
	ContentID   string
	ContentURI  string
	Created     time.Time // when the blob became available (the listing filters on this)
	Expiration  time.Time // after this the blob cannot be fetched
}

// rawContent is the listing's JSON item.
type rawContent struct {
	ContentType string `json:"contentType"`
	ContentID   string `json:"contentId"`
	ContentURI  string `json:"contentUri"`
	Created     string `json:"contentCreated"`
	Expiration  string `json:"contentExpiration"`
}

// parseAPITime parses the API's timestamps tolerantly (times without a zone
// are UTC); unparseable → zero.
func parseAPITime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range [...]string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04",
		"2006-01-02",
	} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseContentList decodes a listing page, skipping items without an ID or URI.
func (c *Client) parseContentList(body []byte, ct ContentType) ([]Content, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, nil
	}
	var raw []rawContent
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	out := make([]Content, 0, len(raw))
	for _, r := range raw {
		if r.ContentID == "" || r.ContentURI == "" {
			c.log.Warn("skipping content entry without id or uri", "content_type", string(ct), "content_id", r.ContentID)
			continue
		}
		item := Content{
			ContentType: ContentType(r.ContentType),
			ContentID:   r.ContentID,
			ContentURI:  r.ContentURI,
			Created:     parseAPITime(r.Created),
			Expiration:  parseAPITime(r.Expiration),
		}
		if item.ContentType == "" {
			item.ContentType = ct
		}
		if item.Expiration.IsZero() && !item.Created.IsZero() {
			item.Expiration = item.Created.Add(retention)
		}
		out = append(out, item)
	}
	return out, nil
}

// nextPage returns the next-page URL, under either header name.
func nextPage(h http.Header) string {
	if v := strings.TrimSpace(h.Get("NextPageUri")); v != "" {
		return v
	}
	return strings.TrimSpace(h.Get("NextPageUrl"))
}

// ListContent lists the blobs of ct that became available in [start, end)
// (the API allows at most 24 hours, starting at most 7 days ago) and calls
// page for every non-empty page, following NextPageUri/NextPageUrl verbatim.
// A next-page URL on another host is refused before any token is attached.
// An error returned by page stops the listing and is returned wrapped.
func (c *Client) ListContent(ctx context.Context, ct ContentType, start, end time.Time, page func([]Content) error) error {
	op := "listing " + string(ct) + " content"
	if !ct.Valid() {
		return &fault.Error{Kind: fault.Config, Op: op, Message: "unknown content type " + string(ct)}
	}
	if !end.After(start) {
		return &fault.Error{Kind: fault.Window, Op: op, Message: fmt.Sprintf("the window end %s is not after its start %s",
			end.UTC().Format(timeLayout), start.UTC().Format(timeLayout))}
	}
	next := c.feed + "/subscriptions/content?contentType=" + url.QueryEscape(string(ct)) +
		"&startTime=" + url.QueryEscape(start.UTC().Format(timeLayout)) +
		"&endTime=" + url.QueryEscape(end.UTC().Format(timeLayout))
	visited := make(map[string]bool)
	for pages := 0; next != ""; pages++ {
		if pages >= maxPages {
			return &fault.Error{Kind: fault.Transient, Op: op, Code: "PAGING", Message: fmt.Sprintf("more than %d pages; the paging links do not end", maxPages)}
		}
		if visited[next] {
			return &fault.Error{Kind: fault.Transient, Op: op, Code: "PAGING", Message: "the API returned a next-page link already followed"}
		}
		visited[next] = true
		resp, err := c.do(ctx, op, http.MethodGet, next, validJSONArrayOrEmpty)
		if err != nil {
			return err
		}
		items, err := c.parseContentList(resp.body, ct)
		if err != nil {
			return &fault.Error{Kind: fault.Transient, Op: op, Code: "MALFORMED", Message: "the content list is not valid JSON", Err: err}
		}
		if len(items) > 0 {
			if err := page(items); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		}
		next = nextPage(resp.header)
	}
	return nil
}

// Fetch downloads one blob (its contentUri plus PublisherIdentifier) and
// returns the raw JSON array of audit records. A body that is not a complete
// JSON array is retried and finally reported as a Transient "truncated" error.
// An expired blob is ContentExpired, a vanished one ContentMissing.
func (c *Client) Fetch(ctx context.Context, content Content) ([]byte, error) {
	return c.fetchBlob(ctx, content, validJSONArray)
}

// fetchBlob GETs content's URI, retrying while validate refuses the body.
func (c *Client) fetchBlob(ctx context.Context, content Content, validate func([]byte) error) ([]byte, error) {
	op := "fetching content " + content.ContentID
	if content.ContentURI == "" {
		return nil, &fault.Error{Kind: fault.Config, Op: op, Message: "the content has no URI"}
	}
	resp, err := c.do(ctx, op, http.MethodGet, content.ContentURI, validate)
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// FetchRecords is Fetch for a caller that wants the blob's records: the
// body is checked by splitting it into its elements (auditrec.ParseBlob)
// instead of a separate validation pass, so a backfill reads each body once
// (issue 12, "parse once"). A body that does not split (not an array,
// truncated, trailing garbage) is retried and reported exactly as Fetch
// reports it. The records share memory with body.
func (c *Client) FetchRecords(ctx context.Context, content Content) (body []byte, records []json.RawMessage, err error) {
	split := func(b []byte) error {
		var err error
		records, err = auditrec.ParseBlob(b)
		return err
	}
	body, err = c.fetchBlob(ctx, content, split)
	if err != nil {
		return nil, nil, err
	}
	return body, records, nil
}
