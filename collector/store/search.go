package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// blockShift is log2 of the ingest sequence numbers per search block
// (table seq_blocks; the schema's migration uses the same 12).
const blockShift = 12

// maxBlockCandidates caps the word-index candidates the block walk takes;
// a term matching more rows than that is common and the feed-order scan
// finds its newest matches sooner.
const maxBlockCandidates = 50_000

// searchKey is a matching row's place in the feed.
type searchKey struct {
	seq int64
	ct  int64
	id  string
}

// newer reports whether a comes before b in the feed (newest first).
func (a searchKey) newer(b searchKey) bool {
	if a.ct != b.ct {
		return a.ct > b.ct
	}
	return a.id > b.id
}

// blockPage answers a text search from the word index: the candidates
// (rows holding every word of the search) are grouped by search block and
// the blocks visited newest first (by the newest creation time they hold);
// each block's candidates are checked exactly (GLOB and the other filters).
// The walk stops as soon as the page is full and no unvisited block can
// hold a row newer than the page's oldest, so a search costs about the
// blocks its newest matches live in, whether they are recent or old. ok is
// false when the search has no word to look up or too many candidates; the
// caller then uses the feed-order plans.
func (s *Store) blockPage(ctx context.Context, f Filter, limit, offset int, pc probeCache) (page []Event, ok bool, err error) {
	ts, _, err := s.searchOf(ctx, f, pc)
	if err != nil {
		return nil, false, err
	}
	// Whole words stream from the index; a word prefix (the last word
	// typed) materialises every posting of every word it starts, so it is
	// used only when there is no whole word. GLOB re-checks either way.
	match := ts.exact
	if match == "" {
		match = ts.full
	}
	if match == "" {
		return nil, false, nil
	}
	blocks, err := s.candidateBlocks(ctx, match)
	if err != nil || blocks == nil {
		return nil, false, err
	}
	next := func() (searchBlock, bool, error) {
		if len(blocks) == 0 {
			return searchBlock{}, false, nil
		}
		b := blocks[0]
		blocks = blocks[1:]
		return b, true, nil
	}
	page, err = s.walkBlocks(ctx, f, ts, limit, offset, next)
	return page, err == nil, err
}

// walkBlocks returns the page at offset of the rows matching f (ts: its
// text checks) among the candidates of the blocks next returns, newest
// first: it stops when the page is full and the next block can hold no
// newer row than the page's oldest (or next has no more).
func (s *Store) walkBlocks(ctx context.Context, f Filter, ts textSearch, limit, offset int,
	next func() (searchBlock, bool, error)) ([]Event, error) {
	need := limit + offset
	var best []searchKey // sorted newest first, at most need
	c := baseClause(f)
	addTextConds(&c, ts)
	q := `SELECT e.seq, e.creation_time, e.id FROM events AS e NOT INDEXED WHERE e.seq IN (SELECT value FROM json_each(?))`
	if len(c.conds) > 0 {
		q += ` AND ` + strings.Join(c.conds, " AND ")
	}
	for {
		b, more, err := next()
		if err != nil {
			return nil, err
		}
		if !more || len(best) >= need && b.maxCT < best[need-1].ct {
			break
		}
		if b.seqs == "[]" {
			continue
		}
		rows, err := s.r.QueryContext(ctx, q, append([]any{b.seqs}, c.args...)...)
		if err != nil {
			return nil, wrap("searching text", err)
		}
		for rows.Next() {
			var k searchKey
			if err := rows.Scan(&k.seq, &k.ct, &k.id); err != nil {
				rows.Close()
				return nil, wrap("searching text", err)
			}
			best = append(best, k)
		}
		if err := rows.Close(); err != nil {
			return nil, wrap("searching text", err)
		}
		if err := rows.Err(); err != nil {
			return nil, wrap("searching text", err)
		}
		slices.SortFunc(best, func(a, b searchKey) int {
			if a.newer(b) {
				return -1
			}
			if b.newer(a) {
				return 1
			}
			return 0
		})
		best = best[:min(len(best), need)]
	}
	if offset >= len(best) {
		return []Event{}, nil
	}
	seqs := make([]int64, 0, len(best)-offset)
	for _, k := range best[offset:] {
		seqs = append(seqs, k.seq)
	}
	list, _ := json.Marshal(seqs)
	page := make([]Event, 0, len(seqs))
	if err := s.eachEvent(ctx, `SELECT `+columnsOf(f)+` FROM events AS e NOT INDEXED`+eventJoins+`
		WHERE e.seq IN (SELECT value FROM json_each(?))`+feedOrder, []any{string(list)}, nil,
		func(e Event) error { page = append(page, e); return nil }); err != nil {
		return nil, wrap("searching text", err)
	}
	return page, nil
}

// searchBlock is one search block's word-index candidates.
type searchBlock struct {
	maxCT int64
	seqs  string // JSON array of candidate seqs
}

// candidateBlocks returns the blocks holding candidates of the FTS5 query
// match, newest first; nil when there are more than maxBlockCandidates.
func (s *Store) candidateBlocks(ctx context.Context, match string) ([]searchBlock, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT coalesce(b.max_ct, 9223372036854775807), c.seqs, c.n FROM (
			SELECT rowid >> ?1 AS block, json_group_array(rowid) AS seqs, count(*) AS n
			FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ?2 LIMIT ?3)
			GROUP BY block
		) AS c LEFT JOIN seq_blocks AS b ON b.block = c.block
		ORDER BY 1 DESC`, s.blockShift, match, maxBlockCandidates+1)
	if err != nil {
		return nil, wrap("searching text", err)
	}
	defer rows.Close()
	out := []searchBlock{}
	total := 0
	for rows.Next() {
		var b searchBlock
		var n int
		if err := rows.Scan(&b.maxCT, &b.seqs, &n); err != nil {
			return nil, wrap("searching text", err)
		}
		total += n
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("searching text", err)
	}
	if total > maxBlockCandidates {
		return nil, nil
	}
	return out, nil
}

// rareText reports whether the word index finds few candidates for f
// (at most rareMatches, with the same probes as the candidate plan): then
// looking them all up is the quickest plan and the block walk is not
// needed. A failed probe says false (the block walk then decides).
func (s *Store) rareText(ctx context.Context, f Filter, pc probeCache) bool {
	ts, _, err := s.searchOf(ctx, f, pc)
	if err != nil {
		return false
	}
	for _, q := range []string{ts.exact, ts.full} {
		if q == "" {
			continue
		}
		if cands, err := s.textCandidates(ctx, q, pc); err == nil && cands != "" {
			return true
		}
	}
	return false
}
