package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"time"
)

// Group commit: the collector fetches several blobs at once and each fetcher
// calls CommitBlob. Calls that arrive while a transaction is being written
// wait and are then written together in the next transaction, so one
// COMMIT (one WAL sync, one FTS5 flush, one counter update) serves several
// blobs. Every call still returns only after its blob is durably committed,
// and a transaction holds whole blobs only, so a crash at any instant loses
// whole uncommitted blobs, none of which any caller was told were stored:
// exactly-once is unchanged.

// maxGroupEvents and maxGroupBlobs bound one group transaction. In a
// backfill the collector's buffer budget (collector.Options.BufferBytes)
// bounds a group first: every blob it holds is already in memory. Bigger
// groups write fewer WAL frames per record: the record-Id index is keyed on
// random GUIDs, so a transaction of n records dirties nearly n of its
// leaves, and each dirtied page is one WAL frame per transaction however
// many of its records changed (issue 12: 64 → 256 blobs cut the 200-user
// drain's CPU by about a fifth).
const (
	maxGroupEvents = 8192
	maxGroupBlobs  = 256
)

// eventColumnsInsert lists the columns a commit writes, in bind order.
const eventColumnsInsert = `id, blob, workload, operation, user_id,
	client_ip, result, result_status, object_id, record_type, creation_time, raw`

// eventInsertColumns is how many columns eventColumnsInsert lists.
const eventInsertColumns = 12

// insertChunk is how many events one INSERT statement carries: fewer
// statements means fewer Go/SQLite round trips (12 parameters each, far
// below SQLite's limit).
const insertChunk = 64

// insertSQL returns a multi-row insert of n events that skips records
// already stored, by record Id and CreationTime (events_time, the only
// UNIQUE key a row can collide on: seq is left to AUTOINCREMENT).
//
// OR IGNORE rather than an ON CONFLICT clause: with the NOT NULL and CHECK
// constraints left to abort, SQLite copied every page a multi-row statement
// touched to a statement journal first, so that it could undo that one
// statement (~9 % of the writer's CPU, issue 12). Under OR IGNORE a row
// breaking them would be skipped silently instead, so insertEvents refuses
// such an event before the statement runs: the blob's transaction fails as
// it did.
func insertSQL(n int) string {
	row := "(" + placeholders(eventInsertColumns) + ")"
	return "INSERT OR IGNORE INTO events (" + eventColumnsInsert + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// Committed describes one group transaction after it committed: the blobs
// it stored and the range of ingest sequences of the events it inserted
// (every event with FromSeq < seq <= ToSeq; numbers in the range may be
// unused; empty when FromSeq == ToSeq).
type Committed struct {
	Blobs    []Blob
	FromSeq  int64
	ToSeq    int64
	Inserted int
}

// commitReq is one CommitBlob call.
type commitReq struct {
	ctx  context.Context
	blob Blob
	evs  []Event
	// packed is the events' records compressed in chunks (by the caller);
	// raws, set in each transaction by writeChunks, is what each event's
	// row stores: where its record lies in the chunks.
	packed packedBlob
	raws   [][]byte
	cur    *Cursor
	// tally is what its events add to the summaries when all are new.
	tally tally
	taken bool // a transaction holds it: the caller must wait for done
	// rawBytes is the size of its events' records (JSON): what the
	// caller's buffer holds for it until it commits.
	rawBytes int64

	inserted int
	err      error
	done     chan struct{}
}

// committer queues CommitBlob calls; whoever finds no transaction running
// writes the queue (the leader) until it is empty.
type committer struct {
	mu      sync.Mutex
	queue   []*commitReq
	leading bool
	// lastEnd is when the previous group transaction ended (monotonic).
	lastEnd time.Time
	// lastBlobs is how many blobs the previous group transaction held.
	lastBlobs int
	// arrival, when not nil, is closed by the next CommitBlob call (or
	// CommitQueuedNow).
	arrival chan struct{}
	// hurry is set by CommitQueuedNow: no more blobs can arrive until
	// queued ones commit, so the next linger ends at once.
	hurry bool
	// groupBytes, when above 0, ends a backlog's linger once the queued
	// blobs hold that many bytes of records (SetGroupBytes).
	groupBytes int64
}

// While blobs stream in (a group ended less than groupLinger ago), the
// leader waits up to groupLinger for lingerBlobs blobs (Store.linger and
// Store.lingerBlobs; tests change them) before it starts a
// transaction: each transaction costs a fixed amount (the WAL frames of
// every page it dirtied: index and counter pages the next one dirties
// again), so with the simulator's ~5-record blobs groups of ~7 spent most
// of the drain rewriting the same pages. Callers already wait for their
// commit, and the collector keeps downloading meanwhile (its buffer
// budget), so the wait costs a fetcher nothing. A blob arriving after a
// quiet spell is written at once, and a leader with nothing queued does not
// wait (the next arrival leads and waits for its followers). The wait is on the monotonic clock: it is
// a latency, never a time stored or shown.
const (
	groupLinger = 4 * time.Millisecond
	lingerBlobs = 64
)

// In a backlog (the previous group held at least backlogBlobs blobs: a
// backfill's fetchers deliver faster than one transaction commits) the
// leader waits up to backlogLinger instead, for a group of maxGroupBlobs
// blobs or maxGroupEvents events. A transaction dirties about one leaf of
// each user's, operation's and workload's index range per time region its
// records fall in, however few records land there (issue 12, round 6: in a
// 200-user drain the events_user index was 55 % of the WAL's frames, ~28
// rewrites of each of its pages), so those frames fall in proportion to the
// number of transactions. Groups of ~600 records (the 4 ms linger) became
// ~3,000 (bounded by the collector's buffer budget), with 45 % fewer WAL
// writes. A live poll's few blobs, the first window of each content type
// included, still commit within groupLinger.
const (
	backlogBlobs  = 16
	backlogLinger = 100 * time.Millisecond
)

// lingerPlan returns how long after the previous group transaction, which
// held lastBlobs blobs, the leader may wait, and for how many queued blobs.
func (s *Store) lingerPlan(lastBlobs int) (time.Duration, int) {
	if lastBlobs >= s.backlogBlobs {
		return s.backlogLinger, maxGroupBlobs
	}
	return s.lingerFor, s.lingerBlobs
}

// linger waits, while blobs stream in, for a fuller group (see groupLinger
// and backlogLinger).
func (s *Store) linger() {
	defer trace.StartRegion(context.Background(), "store: linger for a fuller group").End()
	g := &s.group
	var timer *time.Timer
	for {
		g.mu.Lock()
		wait, gather := s.lingerPlan(g.lastBlobs)
		busy := !g.lastEnd.IsZero() && time.Since(g.lastEnd) < wait
		if !busy || g.hurry || len(g.queue) == 0 || len(g.queue) >= gather || queuedEvents(g.queue) >= maxGroupEvents ||
			(g.groupBytes > 0 && queuedBytes(g.queue) >= g.groupBytes) {
			g.mu.Unlock()
			return
		}
		if timer == nil {
			timer = time.NewTimer(wait - time.Since(g.lastEnd))
			defer timer.Stop()
		}
		arrival := make(chan struct{})
		g.arrival = arrival
		g.mu.Unlock()
		select {
		case <-arrival:
		case <-timer.C:
			return
		}
	}
}

// CommitQueuedNow tells the group commit that its callers can deliver no
// more blobs until queued ones commit — the collector's buffer budget is
// full — so a leader waiting for a fuller group starts its transaction now
// instead of at the end of its linger. In a backlog the budget, not
// maxGroupBlobs, bounds a group: each linger used to run out its whole
// backlogLinger with the group already as full as it could get (issue 12,
// round 8: 9.2 s of a 21-s drain's writer time).
func (s *Store) CommitQueuedNow() {
	g := &s.group
	g.mu.Lock()
	g.hurry = true
	if g.arrival != nil {
		close(g.arrival)
		g.arrival = nil
	}
	g.mu.Unlock()
}

// SetGroupBytes sets how many bytes of records (the JSON of the blobs'
// events) a backlog's group need gather before its transaction starts,
// without waiting for CommitQueuedNow; 0 (the default) waits for it. The
// collector sets half its buffer budget: a group that waited until the
// budget was full held all of it through its transaction, so no fetcher
// could hand over a blob until it committed, and the fetchers and the
// writer took turns instead of overlapping (issue 12, round 10: in a
// 200-user drain's trace the writer lingered 37 % of the wall while
// fetchers waited for buffer space 35 % of it). With half, the other half
// fills during the transaction and is the next group.
func (s *Store) SetGroupBytes(n int64) {
	g := &s.group
	g.mu.Lock()
	g.groupBytes = max(n, 0)
	if g.arrival != nil { // a linger re-checks with the new size
		close(g.arrival)
		g.arrival = nil
	}
	g.mu.Unlock()
}

// queuedBytes sums the records' bytes of the queued requests.
func queuedBytes(queue []*commitReq) int64 {
	var n int64
	for _, r := range queue {
		n += r.rawBytes
	}
	return n
}

// queuedEvents counts the events of the queued requests.
func queuedEvents(queue []*commitReq) int {
	n := 0
	for _, r := range queue {
		n += len(r.evs)
	}
	return n
}

// CommitBlob stores the events of one blob atomically: new events are
// inserted (an event whose record Id and CreationTime are already stored is
// skipped and not counted: a duplicate delivery carries both unchanged), the blob is recorded as seen, removed from the dead letters, and,
// when cur is not nil, the cursor of cur.ContentType is advanced to cur.Next
// (never moved backwards; use SetCursor to rewind). A crash or error at any
// point leaves either all of it or none of it. Events with an empty
// ContentType or ContentID take the blob's.
//
// Concurrent calls are group-committed: several blobs share one
// transaction. CommitBlob returns once its blob's transaction committed.
// When a group transaction fails, each of its blobs is retried alone, so
// one bad blob never fails another.
func (s *Store) CommitBlob(ctx context.Context, b Blob, evs []Event, cur *Cursor) (int, error) {
	if b.ContentID == "" {
		return 0, errors.New("committing blob: empty content id")
	}
	op := "committing blob " + b.ContentID
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	packed, err := s.pack(ctx, b, evs)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	r := &commitReq{ctx: ctx, blob: b, evs: evs, packed: packed, cur: cur, done: make(chan struct{})}
	r.tally = tallyOf(r)
	for i := range evs {
		r.rawBytes += int64(len(evs[i].Raw))
	}
	g := &s.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	if g.arrival != nil {
		close(g.arrival)
		g.arrival = nil
	}
	lead := !g.leading
	if lead {
		g.leading = true
	}
	g.mu.Unlock()
	if lead {
		s.lead()
	}
	waiting := trace.StartRegion(ctx, "store: wait for the group commit")
	defer waiting.End()
	select {
	case <-r.done:
	case <-ctx.Done():
		g.mu.Lock()
		if !r.taken {
			for i, q := range g.queue {
				if q == r {
					g.queue = slices.Delete(g.queue, i, i+1) // clears the tail (see lead)
					break
				}
			}
			g.mu.Unlock()
			return 0, fmt.Errorf("%s: %w", op, ctx.Err())
		}
		g.mu.Unlock()
		<-r.done // in a transaction already: its outcome is the answer
	}
	if r.err != nil {
		return 0, r.err
	}
	return r.inserted, nil
}

// lead writes queued requests in group transactions until the queue is empty.
func (s *Store) lead() {
	g := &s.group
	for {
		s.linger()
		g.mu.Lock()
		if len(g.queue) == 0 {
			g.leading = false
			g.mu.Unlock()
			return
		}
		n, events := 0, 0
		for n < len(g.queue) && n < maxGroupBlobs && (n == 0 || events+len(g.queue[n].evs) <= maxGroupEvents) {
			events += len(g.queue[n].evs)
			g.queue[n].taken = true
			n++
		}
		g.hurry = false // what could not arrive is in this batch
		batch := append([]*commitReq(nil), g.queue[:n]...)
		// slices.Delete zeroes the vacated tail: a pointer left there kept the
		// request, its events and the downloaded body they share resident
		// (issue 12, TestGroupCommitterKeepsNoCommittedBlob).
		g.queue = slices.Delete(g.queue, 0, n)
		g.mu.Unlock()
		s.writeGroup(batch)
		g.mu.Lock()
		g.lastEnd = time.Now()
		g.lastBlobs = len(batch)
		g.mu.Unlock()
		for _, r := range batch {
			close(r.done)
		}
	}
}

// writeGroup commits batch in one transaction, or, when that fails and it
// holds several blobs, each blob in a transaction of its own.
func (s *Store) writeGroup(batch []*commitReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = fmt.Errorf("committing blob %s: %w", r.blob.ContentID, err)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	if err := s.commitTx(live); err == nil || len(live) == 1 {
		for _, r := range live {
			r.err = err
			if err != nil {
				r.inserted = 0
			}
		}
		return
	}
	s.log.Debug("group commit failed; committing its blobs one by one", "blobs", len(live))
	for _, r := range live {
		r.err = s.commitTx([]*commitReq{r})
		if r.err != nil {
			r.inserted = 0
		}
	}
}

// commitTx writes the requests in one transaction. The context of the
// first request governs it (cancelling another requester's context after
// its blob joined the transaction does not abort the others).
func (s *Store) commitTx(reqs []*commitReq) (err error) {
	ctx := reqs[0].ctx
	// A region of the execution trace (AUDITLIGHT_TRACE): the serial
	// writer's busy time, beside the fetchers' waits (issue 12).
	defer trace.StartRegion(ctx, "store: group transaction").End()
	op := "committing blob " + reqs[0].blob.ContentID
	if len(reqs) > 1 {
		op = fmt.Sprintf("committing %d blobs (%s, …)", len(reqs), reqs[0].blob.ContentID)
	}
	// Prepared before BEGIN: the writer pool has one connection, which the
	// transaction then holds.
	s.stmts.prepareNoted(ctx, s.w)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
				s.log.Warn("rollback failed", "op", op, "err", rbErr)
			}
		}
	}()
	now := ms(s.now())
	// Every row this transaction inserts gets a seq above the current
	// maximum (AUTOINCREMENT never reuses one), which identifies them below.
	var baseSeq int64
	if err := s.stmts.queryRow(ctx, tx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&baseSeq); err != nil {
		return wrap(op, err)
	}
	refs, err := s.blobRefs(ctx, tx, reqs)
	if err != nil {
		return wrap(op, err)
	}
	inserted := 0
	for i, r := range reqs {
		if i > 0 && s.betweenBlobs != nil {
			s.betweenBlobs()
		}
		if err := s.writeChunks(ctx, tx, r); err != nil {
			return wrap(op, err)
		}
		if r.inserted, err = s.insertEvents(ctx, tx, r, refs); err != nil {
			return wrap(op, err)
		}
		inserted += r.inserted
	}
	if err := s.recordBlobs(ctx, tx, reqs, now); err != nil {
		return wrap(op, err)
	}
	var topSeq int64
	if err := s.stmts.queryRow(ctx, tx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&topSeq); err != nil {
		return wrap(op, err)
	}
	if inserted > 0 {
		if err := s.recordDomains(ctx, tx, reqs); err != nil {
			return wrap(op, err)
		}
		if err := s.summarise(ctx, tx, reqs, baseSeq, topSeq, inserted); err != nil {
			return wrap(op, err)
		}
		// Last statement before COMMIT: one FTS5 flush per transaction (see schema).
		if _, err := s.stmts.exec(ctx, tx, `INSERT INTO events_fts (rowid, user_id, operation, client_ip, object_id)
			SELECT seq, user_id, operation, client_ip, object_id FROM events WHERE seq > ?`, baseSeq); err != nil {
			return wrap(op+": indexing text", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return wrap(op+": commit", err)
	}
	s.log.Debug("group committed", "blobs", len(reqs), "inserted", inserted)
	if s.afterCommit != nil {
		c := Committed{FromSeq: baseSeq, ToSeq: max(topSeq, baseSeq), Inserted: inserted, Blobs: make([]Blob, len(reqs))}
		for i, r := range reqs {
			c.Blobs[i] = r.blob
		}
		s.afterCommit(context.WithoutCancel(ctx), c)
	}
	return nil
}

// recordBlobs marks the group's blobs seen, clears their dead letters and
// moves their cursors: one statement per table for the whole group, in
// blob order, with the outcome of one statement per blob (a content id
// twice keeps the later blob's record count; counters and cursors take the
// newest; issue 12, round 10).
func (s *Store) recordBlobs(ctx context.Context, tx *sql.Tx, reqs []*commitReq, now int64) error {
	content := make([][5]any, len(reqs))
	ids := make([]string, len(reqs))
	lastContent := map[string]int64{}
	cursors := map[string]int64{}
	for i, r := range reqs {
		b := r.blob
		content[i] = [5]any{b.ContentID, b.ContentType, ms(b.Created), ms(b.Expiration), len(r.evs)}
		ids[i] = b.ContentID
		if lc, ok := lastContent[b.ContentType]; !ok || ms(b.Created) > lc {
			lastContent[b.ContentType] = ms(b.Created)
		}
		if r.cur != nil {
			if n, ok := cursors[r.cur.ContentType]; !ok || ms(r.cur.Next) > n {
				cursors[r.cur.ContentType] = ms(r.cur.Next)
			}
		}
	}
	types := make([][2]any, 0, len(lastContent))
	for ct, at := range lastContent {
		types = append(types, [2]any{ct, at})
	}
	curs := make([][2]any, 0, len(cursors))
	for ct, next := range cursors {
		curs = append(curs, [2]any{ct, next})
	}
	for _, st := range []struct {
		what, query string
		rows        any
		n           int
		withNow     bool
	}{
		{"recording content", `INSERT INTO content (content_id, content_type, created, expiration, fetched_at, records)
			SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, ?2, value ->> 4 FROM json_each(?1) WHERE true
			ON CONFLICT (content_id) DO UPDATE SET fetched_at = excluded.fetched_at, records = excluded.records`, content, len(content), true},
		{"updating counters", `INSERT INTO type_stats (content_type, total, last_record, last_content)
			SELECT value ->> 0, 0, 0, value ->> 1 FROM json_each(?1) WHERE true
			ON CONFLICT (content_type) DO UPDATE SET last_content = max(last_content, excluded.last_content)`, types, len(types), false},
		{"clearing dead letters", `DELETE FROM dead_letters WHERE content_id IN (SELECT value FROM json_each(?1))`, ids, len(ids), false},
		{"advancing cursors", `INSERT INTO cursors (content_type, next_start, updated_at)
			SELECT value ->> 0, value ->> 1, ?2 FROM json_each(?1) WHERE true
			ON CONFLICT (content_type) DO UPDATE SET next_start = max(next_start, excluded.next_start),
				updated_at = excluded.updated_at`, curs, len(curs), true},
	} {
		if st.n == 0 {
			continue
		}
		arg, err := json.Marshal(st.rows)
		if err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
		args := []any{string(arg)}
		if st.withNow {
			args = append(args, now)
		}
		if _, err := s.stmts.exec(ctx, tx, st.query, args...); err != nil {
			return fmt.Errorf("%s (%s, …): %w", st.what, reqs[0].blob.ContentID, err)
		}
	}
	return nil
}

// errIncompleteEvent is an event without a record Id or raw record: the
// events table's NOT NULL and CHECK constraints, which insertSQL's OR IGNORE
// would otherwise skip silently.
var errIncompleteEvent = errors.New("event without a record Id or raw record")

// insertEvents inserts r's events in multi-row statements and returns how
// many were new; refs holds the blobs.ref of their blobs (blobRefs).
func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, r *commitReq, refs map[blobKey]int64) (int, error) {
	b := r.blob
	inserted := 0
	args := make([]any, 0, eventInsertColumns*insertChunk)
	for start := 0; start < len(r.evs); start += insertChunk {
		part := r.evs[start:min(start+insertChunk, len(r.evs))]
		args = args[:0]
		for i := range part {
			e := &part[i]
			if e.ID == "" || len(r.raws[start+i]) == 0 {
				return 0, fmt.Errorf("inserting event %d of blob %s: %w", start+i, b.ContentID, errIncompleteEvent)
			}
			args = append(args, e.ID, refs[r.blobKey(e)], e.Workload, e.Operation, e.UserID, e.ClientIP, e.Result,
				e.ResultStatus, e.ObjectID, e.RecordType, ms(e.CreationTime), r.raws[start+i])
		}
		res, err := s.stmts.exec(ctx, tx, insertSQL(len(part)), args...)
		if err != nil {
			return 0, fmt.Errorf("inserting events %d-%d of blob %s: %w", start, start+len(part)-1, b.ContentID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("inserting events: %w", err)
		}
		inserted += int(n)
	}
	return inserted, nil
}
