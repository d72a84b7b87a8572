package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rareMatches is the candidate count below which a text search is driven by
// the word index (look up each candidate); above it, matches are common
// enough that walking the feed index newest-first finds a page sooner.
const rareMatches = 10000 // Store.rareMatches defaults to this

// eventColumns are the columns scanEvent reads, the record (e.raw) among them.
const eventColumns = eventColumnsBefore + `e.raw` + eventColumnsAfter

// eventColumnsWithoutRaw are eventColumns with NULL for the record, so
// scanEvent leaves Event.Raw nil (Filter.WithoutRaw).
const eventColumnsWithoutRaw = eventColumnsBefore + `NULL` + eventColumnsAfter

const (
	eventColumnsBefore = `e.id, coalesce(b.content_type, ''), coalesce(b.content_id, ''), e.workload, e.operation, e.user_id, e.client_ip,
	e.result, e.result_status, e.object_id, e.record_type, e.creation_time, `
	eventColumnsAfter = `, coalesce(u.display_name, '')`
)

// columnsOf returns the columns a query for f selects.
func columnsOf(f Filter) string {
	if f.WithoutRaw {
		return eventColumnsWithoutRaw
	}
	return eventColumns
}

const eventFrom = ` FROM events AS e` + eventJoins

// eventJoins adds the blob (content id and type) and the user's display
// name to events AS e. LEFT JOINs keep the planner on events' indexes (and
// an event whose blob row is missing is still shown).
const eventJoins = ` LEFT JOIN blobs AS b ON b.ref = e.blob LEFT JOIN users AS u ON u.user_key = lower(e.user_id)`

const feedOrder = ` ORDER BY e.creation_time DESC, e.id DESC`

// scanner is what sql.Row and sql.Rows have in common.
type rowScanner interface{ Scan(dest ...any) error }

// scanEvent reads one event row; q (the read's transaction) reads its
// record's chunk when the cache does not hold it.
func (s *Store) scanEvent(ctx context.Context, q querier, r rowScanner, extra ...any) (Event, error) {
	var e Event
	var ctime int64
	var raw []byte
	dest := append([]any{&e.ID, &e.ContentType, &e.ContentID, &e.Workload, &e.Operation, &e.UserID, &e.ClientIP,
		&e.Result, &e.ResultStatus, &e.ObjectID, &e.RecordType, &ctime, &raw, &e.UserDisplay}, extra...)
	if err := r.Scan(dest...); err != nil {
		return Event{}, err
	}
	e.CreationTime = fromMS(ctime)
	if raw == nil { // not selected (Filter.WithoutRaw): the column is NOT NULL
		return e, nil
	}
	raw, err := s.recordJSON(ctx, q, raw)
	if err != nil {
		return Event{}, fmt.Errorf("record %s: %w", e.ID, err)
	}
	e.Raw = raw
	return e, nil
}

// selectSQL builds the query for f: the FROM/WHERE part plus its arguments.
// Text search fetches the word-index candidates by rowid when there are few
// (see rareMatches) and otherwise walks an index in feed order; either way
// GLOB keeps exactly the rows whose text matches. dense says matches are
// known to be common, so the costly prefix probe is skipped.
// indexDriven reports the candidate plan.
func (s *Store) selectSQL(ctx context.Context, f Filter, dense bool, pc probeCache) (from string, args []any, indexDriven bool, err error) {
	c := baseClause(f)
	from = eventFrom
	if f.searched() {
		ts, _, err := s.searchOf(ctx, f, pc)
		if err != nil {
			return "", nil, false, err
		}
		var cands string
		if ts.exact != "" {
			if cands, err = s.textCandidates(ctx, ts.exact, pc); err != nil {
				return "", nil, false, err
			}
		}
		if cands == "" && !dense && ts.full != "" && ts.full != ts.exact {
			if cands, err = s.textCandidates(ctx, ts.full, pc); err != nil {
				return "", nil, false, err
			}
		}
		if cands != "" {
			indexDriven = true
			from = ` FROM events AS e NOT INDEXED` + eventJoins
			c.add("e.seq IN (SELECT value FROM json_each(?))", cands)
		}
		addTextConds(&c, ts)
	}
	return from + c.sql(), c.args, indexDriven, nil
}

// textWindow is how many of the newest rows (after the other filters) a
// text search checks before it consults the word index.
const textWindow = 4000 // Store.textWindow defaults to this

// denseMatches is how many matches in the window mark a term as common.
const denseMatches = 10

// windowPage answers a text search from the newest textWindow rows of the
// feed when that is enough: common terms fill a page there within a few
// milliseconds. The window is a creation-time lower bound, so the walk
// stops as soon as the page is full. complete is false when the caller
// must search further; dense then says whether matches were common.
//
// The window is over the filters other than the user, whose rows are
// checked in it like a text term's: without an index on the user, a window
// of the user's own rows would have to scan the whole feed for a rare one.
func (s *Store) windowPage(ctx context.Context, f Filter, limit, offset int) (page []Event, complete, dense bool, err error) {
	c := baseClause(withoutUser(f))
	var boundary int64
	err = s.r.QueryRowContext(ctx, `SELECT e.creation_time FROM events AS e INDEXED BY `+orderedIndex(f)+c.sql()+feedOrder+` LIMIT 1 OFFSET ?`,
		append(append([]any{}, c.args...), s.textWindow)...).Scan(&boundary)
	whole := errors.Is(err, sql.ErrNoRows) // the window holds every row
	if err != nil && !whole {
		return nil, false, false, wrap("searching recent events", err)
	}
	if !whole {
		c.add("e.creation_time >= ?", boundary)
	}
	if f.User != "" {
		c.add("e.user_id = ?", f.User)
	}
	addTextConds(&c, parseText(f.Text))
	var all []Event
	if err := s.eachEvent(ctx, `SELECT `+columnsOf(f)+eventFrom+c.sql()+feedOrder+` LIMIT ?`, append(c.args, limit+offset), nil,
		func(e Event) error { all = append(all, e); return nil }); err != nil {
		return nil, false, false, wrap("searching recent events", err)
	}
	page = all[min(offset, len(all)):]
	return page, whole || len(all) == limit+offset, len(all) >= denseMatches, nil
}

// addTextConds adds the exact text match: per term, a cheap
// case-insensitive substring test (LIKE) on each field, then the
// word-start GLOB on the rows that pass it.
func addTextConds(c *clause, ts textSearch) {
	for i, g := range ts.globs {
		like := ts.likes[i]
		c.add(`(e.user_id LIKE ? ESCAPE '\' OR e.operation LIKE ? ESCAPE '\' OR e.client_ip LIKE ? ESCAPE '\' OR e.object_id LIKE ? ESCAPE '\') AND `+haystack+` GLOB ?`,
			like, like, like, like, g)
	}
}

// probeCache holds the word-index probes (textCandidates) of one Query: its
// plans ask the same probe up to twice, and a word-prefix probe
// materialises every posting of every word it starts. nil caches nothing.
type probeCache map[string]string

// textCandidates returns the rowids matching an FTS5 query as a JSON array,
// or "" when there are more than rareMatches (then scanning is faster).
func (s *Store) textCandidates(ctx context.Context, match string, pc probeCache) (string, error) {
	if c, ok := pc[match]; ok {
		return c, nil
	}
	c, err := s.probeText(ctx, match)
	if err == nil && pc != nil {
		pc[match] = c
	}
	return c, err
}

// probeText is textCandidates without the cache.
func (s *Store) probeText(ctx context.Context, match string) (string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?`, match, s.rareMatches+1)
	if err != nil {
		return "", wrap("searching text", err)
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteByte('[')
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", wrap("searching text", err)
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
		n++
	}
	if err := rows.Err(); err != nil {
		return "", wrap("searching text", err)
	}
	if n > s.rareMatches {
		return "", nil
	}
	b.WriteByte(']')
	return b.String(), nil
}

// Query returns one page of events matching f, newest first (creation time,
// then id, descending), with UserDisplay filled from the users cache.
func (s *Store) Query(ctx context.Context, f Filter) ([]Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(f.Offset, 0)
	dense := false
	pc := probeCache{}
	if f.User != "" && strings.TrimSpace(f.Text) == "" {
		page, ok, err := s.userPage(ctx, f, limit, offset, pc)
		if err != nil {
			return nil, fmt.Errorf("querying events: %w", err)
		}
		if ok {
			return page, nil
		}
	}
	if f.searched() && len(f.Workloads) <= 1 {
		page, complete, d, err := s.windowPage(ctx, f, limit, offset)
		if err != nil {
			return nil, fmt.Errorf("querying events: %w", err)
		}
		if complete {
			return page, nil
		}
		dense = d
	}
	// Matches common in the newest rows (dense) are found sooner by the
	// feed-order scan; the block walk is for rare or old matches.
	if f.searched() && s.blockWalk && !dense && !s.rareText(ctx, f, pc) {
		page, ok, err := s.blockPage(ctx, f, limit, offset, pc)
		if err != nil {
			return nil, fmt.Errorf("querying events: %w", err)
		}
		if ok {
			return page, nil
		}
	}
	q, args, err := s.pageSQL(ctx, f, limit, offset, dense, pc)
	if err != nil {
		return nil, fmt.Errorf("querying events: %w", err)
	}
	out := make([]Event, 0, min(limit, 256))
	if err := s.eachEvent(ctx, q, args, nil, func(e Event) error { out = append(out, e); return nil }); err != nil {
		return nil, wrap("querying events", err)
	}
	return out, nil
}

// pageSQL builds the statement for one feed page. With several workloads
// it merges one newest-first walk of the (workload, creation_time) index
// per workload (UNION ALL, each limited), because "workload IN (...)"
// cannot be read from any index in feed order and would sort every row of
// those workloads.
func (s *Store) pageSQL(ctx context.Context, f Filter, limit, offset int, dense bool, pc probeCache) (string, []any, error) {
	if len(f.Workloads) > 1 {
		var branches []string
		var args []any
		for _, w := range f.Workloads {
			one := f
			one.Workloads = []string{w}
			from, a, indexDriven, err := s.selectSQL(ctx, one, dense, pc)
			if err != nil {
				return "", nil, err
			}
			if indexDriven { // a rare text term: one lookup is better than many
				break
			}
			branches = append(branches, `SELECT * FROM (SELECT `+columnsOf(f)+from+feedOrder+` LIMIT ?)`)
			args = append(append(args, a...), limit+offset)
		}
		if len(branches) == len(f.Workloads) {
			q := `SELECT * FROM (` + strings.Join(branches, " UNION ALL ") + `) ORDER BY creation_time DESC, id DESC LIMIT ? OFFSET ?`
			return q, append(args, limit, offset), nil
		}
	}
	from, args, _, err := s.selectSQL(ctx, f, dense, pc)
	if err != nil {
		return "", nil, err
	}
	return `SELECT ` + columnsOf(f) + from + feedOrder + ` LIMIT ? OFFSET ?`, append(args, limit, offset), nil
}

// Count returns how many events match f. Limit and Offset are ignored;
// Before is honoured.
func (s *Store) Count(ctx context.Context, f Filter) (int64, error) {
	if len(f.Workloads) == 0 && len(f.ContentTypes) == 0 && f.Result == "" && f.Since.IsZero() && f.Until.IsZero() &&
		strings.TrimSpace(f.Text) == "" && f.Operation == "" && f.User == "" && f.Before == nil && f.IDs == nil {
		return s.Total(ctx)
	}
	from, c, err := s.everyMatch(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("counting events: %w", err)
	}
	var n int64
	if err := s.r.QueryRowContext(ctx, `SELECT count(*)`+from+c.sql(), c.args...).Scan(&n); err != nil {
		return 0, wrap("counting events", err)
	}
	return n, nil
}

// everyMatch returns the FROM and WHERE parts selecting every event that
// matches f, for a statement that visits them all (a count, a whole
// export): a searched filter's rows are chosen by the word index whenever
// it can, since its candidates are never more than all rows. There is no
// feed order to keep: with one, the caller sorts.
func (s *Store) everyMatch(ctx context.Context, f Filter) (from string, c clause, err error) {
	c = baseClause(f)
	from = ` FROM events AS e`
	if !f.searched() {
		return from, c, nil
	}
	ts, _, err := s.searchOf(ctx, f, nil)
	if err != nil {
		return "", clause{}, err
	}
	match := ts.full
	if ts.exact != "" {
		if cands, err := s.textCandidates(ctx, ts.exact, nil); err != nil {
			return "", clause{}, err
		} else if cands != "" || ts.full == ts.exact {
			match = ts.exact
		}
	}
	if match != "" {
		from = ` FROM events AS e NOT INDEXED`
		c.add("e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", match)
	}
	addTextConds(&c, ts)
	return from, c, nil
}

// ForEach calls fn for every event matching f, newest first, streaming from
// one consistent snapshot (for export). f.Limit > 0 caps the number of
// events. An error from fn stops the iteration and is returned.
func (s *Store) ForEach(ctx context.Context, f Filter, fn func(Event) error) error {
	if f.searched() && f.Limit > 0 && f.Limit <= MaxLimit {
		// A page of a text search or of a user's events (events --search,
		// --user): Query's plans find it without walking the whole feed.
		page, err := s.Query(ctx, f)
		if err != nil {
			return fmt.Errorf("exporting events: %w", err)
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	from, args, indexDriven, err := s.selectSQL(ctx, f, false, nil)
	if err != nil {
		return fmt.Errorf("exporting events: %w", err)
	}
	if f.User != "" && !indexDriven && userMatch(f.User) != "" {
		// Every row of a user with many: the word index's candidates,
		// sorted, rather than a walk of the whole feed (no index holds
		// the user's rows in feed order).
		var c clause
		if from, c, err = s.everyMatch(ctx, f); err != nil {
			return fmt.Errorf("exporting events: %w", err)
		}
		from += eventJoins + c.sql()
		args = c.args
	}
	q := `SELECT ` + columnsOf(f) + from + feedOrder
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(f.Offset, 0))
	}
	var fnErr error
	err = s.eachEvent(ctx, q, args, nil, func(e Event) error {
		fnErr = fn(e)
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return wrap("exporting events", err)
}

// Get returns the event with record Id id and CreationTime at (its
// dedupe key, one lookup in events_time), or an error wrapping ErrNotFound.
// There is no index on the Id alone: a caller that knows only a time span
// filters Query with Filter.IDs and Since/Until.
func (s *Store) Get(ctx context.Context, id string, at time.Time) (Event, error) {
	var found []Event
	err := s.eachEvent(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.creation_time = ? AND e.id = ?`, []any{ms(at), id}, nil,
		func(e Event) error { found = append(found, e); return nil })
	if err != nil {
		return Event{}, wrap("getting event "+id, err)
	}
	if len(found) == 0 {
		return Event{}, fmt.Errorf("getting event %s: %w", id, ErrNotFound)
	}
	return found[0], nil
}

// IngestSeq returns the current ingest sequence: pass it to NewestSince to
// get only what arrives from now on.
func (s *Store) IngestSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&seq); err != nil {
		return 0, wrap("reading ingest sequence", err)
	}
	return seq, nil
}

// NewestSince returns up to limit events stored after ingest sequence
// afterIngestSeq, most recently stored first, and the sequence to pass next
// time (afterIngestSeq itself when nothing new arrived). When more than limit
// arrived, the older surplus is skipped: a live feed wants the newest.
func (s *Store) NewestSince(ctx context.Context, afterIngestSeq int64, limit int) ([]Event, int64, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	next := afterIngestSeq
	var out []Event
	var seq int64
	err := s.eachEvent(ctx, `SELECT `+eventColumns+`, e.seq`+eventFrom+` WHERE e.seq > ? ORDER BY e.seq DESC LIMIT ?`,
		[]any{afterIngestSeq, min(limit, MaxLimit)}, []any{&seq}, func(e Event) error {
			next = max(next, seq)
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, afterIngestSeq, wrap("reading new events", err)
	}
	return out, next, nil
}

// orderedIndex names the index that reads f's rows in feed order: the
// planner, left alone, may scan and sort the whole table for a filter
// without an index of its own (result, content type, user), which at
// millions of rows takes seconds where walking the feed index takes
// milliseconds.
func orderedIndex(f Filter) string {
	switch {
	case len(f.Workloads) == 1:
		return "events_workload"
	case f.Operation != "":
		return "events_operation"
	}
	return "events_time"
}
