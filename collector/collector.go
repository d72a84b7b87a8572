// Package collector is AuditLight's engine: it keeps the tenant's Office 365
// Management Activity API subscriptions, walks each content type's listing
// windows from a cursor on contentCreated, fetches every blob once, stores
// every record once, and publishes the health of it all.
//
// Exactly-once rests on three rules: a blob's records and its content id are
// committed in one transaction; a window's cursor only advances after every
// blob listed in it is committed, dead-lettered (retried later) or recorded as
// a gap; and records are deduplicated on their Id, content on its content id.
// A crash at any instant therefore re-lists at most one window, whose blobs
// are skipped as already seen.
package collector

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"

	"github.com/auditlight/auditlight/internal/ctxsleep"
)

// API is the part of the Management Activity API the collector uses;
// *activity.Client implements it.
type API interface {
	Subscriptions(ctx context.Context) ([]activity.Subscription, error)
	Start(ctx context.Context, ct activity.ContentType) (activity.Subscription, error)
	ListContent(ctx context.Context, ct activity.ContentType, start, end time.Time, page func([]activity.Content) error) error
	Fetch(ctx context.Context, c activity.Content) ([]byte, error)
	Skew() time.Duration
}

// RecordFetcher is an API that also splits a downloaded blob into its
// records while checking it (*activity.Client does): the collector then
// reads each body once instead of validating and splitting it separately.
type RecordFetcher interface {
	FetchRecords(ctx context.Context, c activity.Content) (body []byte, records []json.RawMessage, err error)
}

// Enricher maps user ids (UPNs) to display names, e.g. from Microsoft Graph.
type Enricher interface {
	UserNames(ctx context.Context) (map[string]string, error)
}

// Options configure a Collector. API and Store are required.
type Options struct {
	API          API
	Store        *store.Store
	ContentTypes []activity.ContentType // default: all five
	PollInterval time.Duration          // default 1 minute
	Overlap      time.Duration          // re-list overlap that catches late blobs, default 2 hours
	MaxLookback  time.Duration          // default DefaultMaxLookback: as close to the API's 7-day limit as is safe
	FetchWorkers int                    // concurrent blob downloads across all content types, default 8
	// BufferBytes bounds the downloaded blobs waiting to be stored (their
	// body sizes); default 4 MiB. Fetchers keep downloading while earlier
	// blobs wait for the store's group commit, up to this many bytes.
	BufferBytes   int64
	StartCooldown time.Duration // between subscription starts of one content type, default 15 minutes
	EnrichEvery   time.Duration // default 24 hours
	PurgeEvery    time.Duration // default 6 hours
	CheckEvery    time.Duration // how often Run re-checks the store file for damage; default DefaultCheckEvery
	Enricher      Enricher      // optional; a failure never stops collection
	SecretExpiry  time.Time     // shown in the status and turns it amber/red
	Thresholds    health.Thresholds
	Clock         func() time.Time
	Sleep         func(ctx context.Context, d time.Duration) error // injectable wait; nil = timer
	Logger        *slog.Logger
	OnStored      func(n int) // called after records were stored (n new rows); must not block
	Detector      Detector    // optional: evaluates each committed blob's records (detection rules)

	// AuditPendingSince is when the admin said audit logging was just
	// switched on ("Save and keep trying"); see health.Inputs.
	AuditPendingSince time.Time

	// BackfillHold, when set, holds each content type's backfill after its
	// first window (listed, fetched, committed and published: the first
	// real poll, and the status it earns) until the channel is closed. The
	// GUI closes it once its window is up, so the rest of a 7-day backfill
	// does not take the cores the window's start needs (issue 12). Polls
	// that are not a backfill never wait; nil holds nothing.
	BackfillHold <-chan struct{}
}

// DefaultMaxLookback is how far back the first backfill starts: Microsoft
// lists content made available up to 7 days ago, and "now" is Microsoft's
// time (the local clock corrected by the skew measured from the API's Date
// header), so the backfill starts at Microsoft's limit itself; content older
// than that has expired (contentExpiration = created + 7 days). When
// Microsoft refuses a start that close, edge.go moves it forward and records
// the refused seconds as a gap. It used to be 7 days − 5 minutes, then − 1
// minute, which skipped the oldest blobs without a gap.
const DefaultMaxLookback = 7 * 24 * time.Hour

// DefaultBufferBytes is Options.BufferBytes's default: room for hundreds of
// ordinary blobs (a few KB to a few hundred KB each) so group commits are
// large, and a small part of the 150 MB footprint target (issue 12).
const DefaultBufferBytes = 4 << 20

// Collector runs the collection. Create it with New; it is safe for
// concurrent use.
type Collector struct {
	opt Options
	api API
	st  *store.Store
	log *slog.Logger
	bc  *health.Broadcaster
	sem chan struct{}
	// buffered counts the bytes of blobs downloaded but not yet stored.
	buffered *byteBudget
	// detecting counts the bytes of stored blobs waiting for, or in, the
	// detection engine (which takes one blob at a time).
	detecting *byteBudget

	mu           sync.Mutex
	wakeCh       chan struct{}
	resubscribe  bool
	paused       bool
	resume       chan struct{}
	types        map[activity.ContentType]*typeState
	global       error
	damaged      error // the store check found damage: outranks every other error until a new collector starts
	lastPoll     time.Time
	subscribedAt time.Time
	storedTotal  atomic.Int64 // records stored by this collector (idle memory release)
	// contentHandled counts new blobs handled (stored, dead-lettered or
	// gapped) and gaps recorded: a poll that moves it has news (quietpoll.go).
	contentHandled atomic.Int64
	idle           *idleRelease
	release        func(context.Context) // releaseMemory; tests count the calls
	broadcast      func(health.Status)   // bc.Publish; tests count the calls
}

// New validates the options and returns a Collector.
func New(opt Options) (*Collector, error) {
	if opt.API == nil || opt.Store == nil {
		return nil, errors.New("collector: API and Store are required")
	}
	if len(opt.ContentTypes) == 0 {
		opt.ContentTypes = activity.AllContentTypes()
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = time.Minute
	}
	if opt.Overlap < 0 {
		opt.Overlap = 0
	} else if opt.Overlap == 0 {
		opt.Overlap = 2 * time.Hour
	}
	if opt.MaxLookback <= 0 {
		opt.MaxLookback = DefaultMaxLookback
	}
	if opt.FetchWorkers <= 0 {
		opt.FetchWorkers = 8
	}
	if opt.BufferBytes <= 0 {
		opt.BufferBytes = DefaultBufferBytes
	}
	if opt.StartCooldown <= 0 {
		opt.StartCooldown = 15 * time.Minute
	}
	if opt.EnrichEvery <= 0 {
		opt.EnrichEvery = 24 * time.Hour
	}
	if opt.PurgeEvery <= 0 {
		opt.PurgeEvery = 6 * time.Hour
	}
	if opt.CheckEvery <= 0 {
		opt.CheckEvery = DefaultCheckEvery
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = ctxsleep.Sleep
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Thresholds.PollInterval == 0 {
		opt.Thresholds.PollInterval = opt.PollInterval
	}
	// A backlog's group commit starts once half the buffer is queued, so
	// fetchers fill the other half while it is written (store.SetGroupBytes).
	opt.Store.SetGroupBytes(opt.BufferBytes / 2)
	c := &Collector{
		opt:       opt,
		api:       opt.API,
		st:        opt.Store,
		log:       opt.Logger,
		bc:        health.NewBroadcaster(),
		sem:       make(chan struct{}, opt.FetchWorkers),
		buffered:  newByteBudget(opt.BufferBytes, opt.Store.CommitQueuedNow, "buffer space"),
		detecting: newByteBudget(opt.BufferBytes, nil, "detection space"),
		wakeCh:    make(chan struct{}),
		resume:    make(chan struct{}),
		types:     map[activity.ContentType]*typeState{},
		idle:      newIdleRelease(),
	}
	c.release = c.releaseMemory
	c.broadcast = c.bc.Publish
	for _, ct := range opt.ContentTypes {
		c.types[ct] = &typeState{ct: ct}
	}
	return c, nil
}

// Subscribe returns the status channel (latest-value semantics) and a cancel
// function. The current status is delivered at once.
func (c *Collector) Subscribe() (<-chan health.Status, func()) { return c.bc.Subscribe() }

// Status returns the latest published status.
func (c *Collector) Status() (health.Status, bool) { return c.bc.Latest() }

// Pause stops collection after the blobs in flight are committed.
func (c *Collector) Pause() {
	c.mu.Lock()
	if !c.paused {
		c.paused = true
		c.resume = make(chan struct{})
	}
	c.mu.Unlock()
	c.publish(context.Background())
}

// Resume continues a paused collection.
func (c *Collector) Resume() {
	c.mu.Lock()
	if c.paused {
		c.paused = false
		close(c.resume)
	}
	c.mu.Unlock()
	c.RetryNow()
}

// SetSecretExpiry updates the client secret's expiry shown in the status
// (for example once it was read from Microsoft Graph).
func (c *Collector) SetSecretExpiry(t time.Time) {
	c.mu.Lock()
	c.opt.SecretExpiry = t
	c.mu.Unlock()
	c.publish(context.Background())
}

// Paused reports whether collection is paused.
func (c *Collector) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// RetryNow cuts the current wait short: every content type polls at once,
// and a disabled subscription gets one more start request (subject to the
// cool-down) — the admin asked for it, so it is not a silent loop.
func (c *Collector) RetryNow() {
	c.mu.Lock()
	close(c.wakeCh)
	c.wakeCh = make(chan struct{})
	c.resubscribe = true
	for _, ts := range c.types {
		if fault.KindOf(ts.err) == fault.SubscriptionDisabled {
			ts.subscribed = false // let the loop re-subscribe it now
		}
	}
	c.mu.Unlock()
}

// now is the server's notion of the current time: the local clock corrected
// by the skew measured from the API's Date headers.
func (c *Collector) now() time.Time {
	return c.opt.Clock().Add(c.api.Skew()).UTC()
}

// waitUnpaused blocks while collection is paused.
func (c *Collector) waitUnpaused(ctx context.Context) error {
	for {
		c.mu.Lock()
		paused, ch := c.paused, c.resume
		c.mu.Unlock()
		if !paused {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}
