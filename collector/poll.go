package collector

import (
	"context"
	"errors"
	"fmt"
	"runtime/trace"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/store"
)

const maxWindow = 24 * time.Hour

// firstBackfillWindow caps the first window of a backfill (a poll that
// starts more than a window behind): its listing, fetches and commit are
// the first real poll, which turns the light green, so it stays small —
// with a 24-hour first window a large tenant showed "Connecting…" for
// minutes, and the demo for a seventh of its backfill (issue 12). The next
// window re-lists this hour within its overlap; those blobs are skipped as
// seen.
const firstBackfillWindow = time.Hour

// window is one listing request: [Start, End) on contentCreated. Cursor is
// where the content type's cursor moves once every blob in it is handled.
type window struct {
	Start, End time.Time
}

// nextWindow plans the listing after cursor at time now: at most 24 hours,
// never starting before floor (the 7-day limit), and re-listing overlap
// before the cursor so blobs made available late are still found (they are
// skipped by content id if already fetched). ok is false when the cursor has
// caught up with now.
func nextWindow(cursor, now, floor time.Time, overlap time.Duration) (w window, ok bool) {
	if !cursor.Before(now) {
		return window{}, false
	}
	start := cursor.Add(-overlap)
	if start.Before(floor) {
		start = floor
	}
	end := start.Add(maxWindow)
	if end.After(now) {
		end = now
	}
	if !end.After(cursor) { // the overlap swallowed the whole window
		end = cursor.Add(time.Second)
		if end.After(now) {
			end = now
		}
	}
	return window{Start: start.UTC().Truncate(time.Second), End: end.UTC().Truncate(time.Second)}, true
}

// pollType brings one content type up to date: due dead letters first, then
// window after window until the cursor reaches now (no sleeping in between:
// that is the backfill), committing the cursor after each window.
func (c *Collector) pollType(ctx context.Context, ct activity.ContentType) error {
	// A full disk is named as such (red, with the free space), wherever the
	// write failed; the poll loop retries and resumes once there is space.
	return c.storeFault(c.pollTypeOnce(ctx, ct))
}

func (c *Collector) pollTypeOnce(ctx context.Context, ct activity.ContentType) error {
	c.mu.Lock()
	c.types[ct].cycleStart = c.opt.Clock()
	c.mu.Unlock()
	if err := c.retryDeadLetters(ctx, ct); err != nil {
		return err
	}
	now := c.now()
	floor := c.floor(ct, now)
	cursor, err := c.loadCursor(ctx, ct, floor, now)
	if err != nil {
		return err
	}
	if cursor.Before(floor) { // not running for (nearly) 7 days: that content is gone
		c.contentHandled.Add(1)
		if err := c.st.AddGap(ctx, store.Gap{ContentType: string(ct), From: cursor, To: floor,
			Reason: "AuditLight was not running for 7 days; Microsoft no longer serves this content"}); err != nil {
			return fmt.Errorf("recording gap: %w", err)
		}
		c.log.Warn("recorded a gap: offline for 7 days", "contentType", ct, "from", cursor, "to", floor)
		cursor = floor
	}
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.waitUnpaused(ctx); err != nil {
			return err
		}
		now = c.now()
		floor = c.floor(ct, now)
		w, ok := nextWindow(cursor, now, floor, c.opt.Overlap)
		if !ok {
			c.caughtUp(ct, now)
			return nil
		}
		if limit := cursor.Add(firstBackfillWindow).UTC().Truncate(time.Second); first && now.Sub(cursor) > maxWindow && w.End.After(limit) {
			w.End = limit
		}
		if err := c.processWindow(ctx, ct, w); err != nil {
			if again, err := c.edgeRefused(ct, w, now, err); !again {
				return err
			}
			continue
		}
		if err := c.edgeAccepted(ctx, ct, w); err != nil {
			return err
		}
		cursor = w.End
		if err := c.st.SetCursor(ctx, store.Cursor{ContentType: string(ct), Next: cursor}); err != nil {
			return fmt.Errorf("saving cursor: %w", err)
		}
		c.advanced(ct, cursor, now)
		if !w.End.Before(now.Truncate(time.Second)) { // this window reached the present
			c.caughtUp(ct, now)
			return nil
		}
		c.publish(ctx)
		if err := c.holdBackfill(ctx); err != nil {
			return err
		}
	}
}

// holdBackfill waits, between two windows of a backfill, until
// Options.BackfillHold is closed or ctx ends.
func (c *Collector) holdBackfill(ctx context.Context) error {
	if c.opt.BackfillHold == nil {
		return nil
	}
	select {
	case <-c.opt.BackfillHold:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// loadCursor returns the stored cursor, or starts the backfill 7 days back.
func (c *Collector) loadCursor(ctx context.Context, ct activity.ContentType, floor, now time.Time) (time.Time, error) {
	curs, err := c.st.Cursors(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("loading cursors: %w", err)
	}
	cur, ok := curs[string(ct)]
	first := !ok || cur.Next.IsZero()
	if first {
		if err := c.backfillSlipped(ctx, ct, floor); err != nil {
			return time.Time{}, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	if first {
		ts.cursor = floor
		if ts.backfillFrom.IsZero() {
			ts.backfillFrom = floor
		}
		ts.backfilling = now.Sub(floor) > 2*c.opt.PollInterval
		return floor, nil
	}
	ts.cursor = cur.Next
	if ts.backfillFrom.IsZero() {
		ts.backfillFrom = cur.Next
	}
	ts.backfilling = now.Sub(cur.Next) > c.opt.Overlap
	return cur.Next, nil
}

// slipTolerance is how late a first backfill may start before the content
// it can no longer reach is recorded as a gap (the moments between planning
// and the first listing are not a slip).
const slipTolerance = time.Minute

// backfillSlipped records a gap when the first backfill of ct starts later
// than planned (the subscription start waited for a cool-down or failed, or
// a crash came in between): that content is past Microsoft's 7 days now.
func (c *Collector) backfillSlipped(ctx context.Context, ct activity.ContentType, floor time.Time) error {
	wanted := c.metaTime(ctx, metaBackfillFrom(ct))
	if wanted.IsZero() || floor.Sub(wanted) <= slipTolerance {
		return nil
	}
	c.log.Warn("the first backfill started late; recording a gap", "contentType", ct, "from", wanted, "to", floor)
	c.contentHandled.Add(1)
	if err := c.st.AddGap(ctx, store.Gap{ContentType: string(ct), From: wanted, To: floor,
		Reason: "the first backfill started late (the subscription could not be started sooner); Microsoft no longer serves this content"}); err != nil {
		return fmt.Errorf("recording gap: %w", err)
	}
	// Recorded once: the plan now starts where the backfill really starts.
	if err := c.st.SetMeta(ctx, metaBackfillFrom(ct), floor.UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("saving the backfill start: %w", err)
	}
	return nil
}

func (c *Collector) advanced(ct activity.ContentType, cursor, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	ts.cursor = cursor
	ts.lastSuccess = c.opt.Clock()
	c.lastPoll = ts.lastSuccess // a window listed and fetched: Microsoft answers
}

func (c *Collector) caughtUp(ct activity.ContentType, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts := c.types[ct]
	ts.backfilling = false
	ts.lastSuccess = c.opt.Clock()
	ts.cleanSince = ts.cycleStart
	ts.err = nil
	ts.failures = 0
}

// processWindow lists the window page by page and handles every blob not
// seen before. It returns an error only when the listing itself failed or a
// blob failed in a way only the admin can fix; blobs that fail transiently
// are dead-lettered so the window can still complete.
func (c *Collector) processWindow(ctx context.Context, ct activity.ContentType, w window) error {
	err := c.api.ListContent(ctx, ct, w.Start, w.End, func(page []activity.Content) error {
		ids := make([]string, len(page))
		for i, p := range page {
			ids[i] = p.ContentID
		}
		seen, err := c.st.SeenContent(ctx, ids)
		if err != nil {
			return fmt.Errorf("checking seen content: %w", err)
		}
		todo := make([]activity.Content, 0, len(page))
		for _, p := range page {
			if !seen[p.ContentID] {
				todo = append(todo, p)
				seen[p.ContentID] = true // the same id twice in one listing
			}
		}
		defer trace.StartRegion(ctx, "collector: a page's blobs, listed to stored").End()
		return c.fetchAll(ctx, ct, todo)
	})
	if err != nil {
		return fmt.Errorf("listing %s %s..%s: %w", ct, w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339), err)
	}
	return nil
}

// fetchAll downloads and commits blobs with bounded concurrency shared by all
// content types.
func (c *Collector) fetchAll(ctx context.Context, ct activity.ContentType, blobs []activity.Content) error {
	if len(blobs) == 0 {
		return nil
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, b := range blobs {
		slot := trace.StartRegion(ctx, "collector: wait for a download slot")
		select {
		case c.sem <- struct{}{}:
			slot.End()
		case <-ctx.Done():
			slot.End()
			wg.Wait()
			if first != nil {
				return first
			}
			return ctx.Err()
		}
		wg.Add(1)
		go func(b activity.Content) {
			defer wg.Done()
			var once sync.Once
			free := func() { once.Do(func() { <-c.sem }) }
			defer free()
			if err := c.handleBlob(ctx, b, 0, free); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}(b)
	}
	wg.Wait()
	return first
}

// handleBlob fetches one blob and commits it, or records why it could not be:
// expired or vanished content becomes a gap, transient trouble a dead letter.
// Only failures the admin must fix are returned. fetched is called once the
// blob is downloaded, parsed and counted in the buffer budget: the caller's
// download slot is free again while the blob waits for the store's group
// commit (the caller still waits for handleBlob before moving its cursor).
func (c *Collector) handleBlob(ctx context.Context, b activity.Content, attempts int, fetched func()) error {
	c.contentHandled.Add(1)
	blob := store.Blob{ContentType: string(b.ContentType), ContentID: b.ContentID, ContentURI: b.ContentURI,
		Created: b.Created, Expiration: b.Expiration}
	download := trace.StartRegion(ctx, "collector: download and parse")
	body, evs, err := c.fetchEvents(ctx, b)
	download.End()
	if err == nil {
		return c.storeBlob(ctx, blob, evs, int64(cap(body)), fetched)
	}
	if ctx.Err() != nil { // stopping: the blob stays unseen and is listed again next time
		return ctx.Err()
	}
	kind := fault.KindOf(err)
	switch {
	case kind == fault.Canceled || errors.Is(err, context.Canceled):
		return err
	case kind == fault.ContentExpired || kind == fault.ContentMissing ||
		(!b.Expiration.IsZero() && !c.now().Before(b.Expiration)):
		reason := "content expired before it could be fetched"
		if kind == fault.ContentMissing {
			reason = "Microsoft no longer has this content"
		}
		c.log.Warn("recording gap", "contentType", b.ContentType, "contentId", b.ContentID, "err", err)
		if gerr := c.st.AddGap(ctx, store.Gap{ContentType: string(b.ContentType), From: b.Created, To: b.Created, Reason: reason}); gerr != nil {
			return fmt.Errorf("recording gap: %w", gerr)
		}
		if _, cerr := c.st.CommitBlob(ctx, blob, nil, nil); cerr != nil {
			return fmt.Errorf("marking gap content seen: %w", cerr)
		}
		return nil
	case kind.NeedsAdmin() && !elsewhere(err):
		return err
	default:
		// Transient trouble, or this one blob is somewhere the token is never
		// sent (another host, a redirect): dead-letter it so the rest of its
		// content type goes on; it is retried and becomes a gap when it expires.
		wait := backoff(attempts+1, time.Minute, time.Hour)
		if ra := fault.RetryAfterOf(err); ra > wait {
			wait = ra // the server asked for longer: honour it
		}
		next := c.opt.Clock().Add(wait)
		c.log.Warn("blob failed; dead-lettered for a later retry", "contentType", b.ContentType, "contentId", b.ContentID, "err", err, "retryAt", next)
		if derr := c.st.AddDeadLetter(ctx, blob, err.Error(), next); derr != nil {
			return fmt.Errorf("dead-lettering blob: %w", derr)
		}
		return nil
	}
}

// elsewhere reports a blob that Microsoft listed on another host or
// redirected elsewhere: a problem of that blob, not of the settings.
func elsewhere(err error) bool {
	fe, ok := fault.As(err)
	return ok && (fe.Code == "FOREIGN_HOST" || fe.Code == "REDIRECT" || (fe.Status >= 300 && fe.Status < 400))
}

// storeBlob commits a downloaded blob's events, then evaluates detections
// on them. Its size — the capacity of its body's buffer, which is what
// stays resident (issue 12) — is counted in the buffer budget until it is
// stored, then in the detection budget until detection is done with it.
// Two budgets, not one held throughout: detection takes one blob at a
// time, and a committed group's blobs waiting for it kept the next group
// from downloading, so the writer sat idle after each commit (round 8).
func (c *Collector) storeBlob(ctx context.Context, blob store.Blob, evs []store.Event, size int64, fetched func()) error {
	if err := c.buffered.acquire(ctx, size); err != nil {
		return err
	}
	fetched()
	n, err := c.st.CommitBlob(ctx, blob, evs, nil)
	if err != nil {
		c.buffered.release(size)
		return fmt.Errorf("storing blob %s: %w", blob.ContentID, err)
	}
	ct := activity.ContentType(blob.ContentType)
	c.stored(ct, n)
	if n == 0 || c.opt.Detector == nil {
		c.buffered.release(size)
		return nil
	}
	err = c.detecting.acquire(ctx, size) // while detection lags, downloads wait
	c.buffered.release(size)
	if err != nil { // stopping: as when detection itself is cancelled, the records are stored
		return nil
	}
	defer c.detecting.release(size)
	c.detect(ctx, ct, evs)
	return nil
}

// retryDeadLetters re-fetches this content type's dead letters that are due.
func (c *Collector) retryDeadLetters(ctx context.Context, ct activity.ContentType) error {
	dls, err := c.st.DueDeadLetters(ctx, c.opt.Clock())
	if err != nil {
		return fmt.Errorf("loading dead letters: %w", err)
	}
	for _, d := range dls {
		if d.ContentType != string(ct) {
			continue
		}
		b := activity.Content{ContentType: ct, ContentID: d.ContentID, ContentURI: d.ContentURI, Created: d.Created, Expiration: d.Expiration}
		if err := c.handleBlob(ctx, b, d.Attempts, func() {}); err != nil {
			return err
		}
	}
	return nil
}

func (c *Collector) stored(ct activity.ContentType, n int) {
	if n == 0 {
		return
	}
	c.mu.Lock()
	if ts := c.types[ct]; ts.backfilling {
		ts.backfillRecords += int64(n)
	}
	c.mu.Unlock()
	c.storedTotal.Add(int64(n))
	if c.opt.OnStored != nil {
		c.opt.OnStored(n)
	}
}
