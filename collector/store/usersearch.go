package store

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Filter.User is answered from the word index (events_fts), like the text
// search, and re-checked exactly (e.user_id = ?): there is no index on
// user_id (schema 7 dropped events_user, which cost about half of the
// writer's CPU per record). The word index is detail=none, so a match
// cannot be restricted to the user_id column; it selects the rows holding
// the user's words anywhere, a superset of the user's rows.

// searched reports whether f has a part the word index answers: free text
// or a user.
func (f Filter) searched() bool {
	return strings.TrimSpace(f.Text) != "" || f.User != ""
}

// searchOf is the word-index part of f: Filter.Text's terms, ANDed with
// the query that finds Filter.User's rows (userQuery). Only the text terms
// have GLOB checks; the user's exact check is baseClause's. pc caches the
// user's probes (nil caches nothing).
func (s *Store) searchOf(ctx context.Context, f Filter, pc probeCache) (textSearch, userQuery, error) {
	var ts textSearch
	if strings.TrimSpace(f.Text) != "" {
		ts = parseText(f.Text)
	}
	uq, err := s.userQuery(ctx, f.User, pc)
	if err != nil {
		return textSearch{}, userQuery{}, err
	}
	ts.exact = andMatch(ts.exact, uq.match)
	ts.full = andMatch(ts.full, uq.match)
	return ts, uq, nil
}

// userQuery is how the word index finds a user's rows.
type userQuery struct {
	// match is an FTS5 query every row of the user matches: the user's
	// rarest word when it is in at most rareMatches rows (then its
	// postings are few, and reading them is cheap), else all the user's
	// words ANDed (each is common; ANDed they select about the user's
	// rows, and FTS5 answers a rowid range of them cheaply). "" = the user
	// has no word to look up.
	match string
	// rows is how many rows the rarest word is in, capped at
	// rareMatches+1.
	rows int
}

// userQuery probes the word index for user's words (longest first: the
// likelier to be rare, so the later probes stop sooner) and picks the
// rarest. A probe reads at most rareMatches+1 postings (~0.5 ms).
func (s *Store) userQuery(ctx context.Context, user string, pc probeCache) (userQuery, error) {
	words := userWords(user)
	if len(words) == 0 {
		return userQuery{}, nil
	}
	limit := s.rareMatches + 1
	best := userQuery{rows: limit}
	for _, w := range words {
		match := `"` + w + `"`
		key := "\x00rows " + match
		n, err := strconv.Atoi(pc[key])
		if err != nil {
			if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?)`,
				match, best.rows).Scan(&n); err != nil {
				return userQuery{}, wrap("searching a user's words", err)
			}
			if n < best.rows && pc != nil { // a count capped below the truth is not cached
				pc[key] = strconv.Itoa(n)
			}
		}
		if n < best.rows {
			best = userQuery{match: match, rows: n}
		}
	}
	if best.rows == limit {
		best.match = userMatch(user)
	}
	return best, nil
}

// userPage answers a page of one user's events (Filter.User without
// Filter.Text) from the word index: when the user's rarest word is rare,
// its rows are looked up at once; otherwise the user's rows are walked
// through rowid ranges of the index, search block by search block, newest
// first (rangedPage). ok is false when the user has no word to look up or
// the block walk is switched off (the feed-order plans then answer).
func (s *Store) userPage(ctx context.Context, f Filter, limit, offset int, pc probeCache) (page []Event, ok bool, err error) {
	ts, uq, err := s.searchOf(ctx, f, pc)
	if err != nil || uq.match == "" {
		return nil, false, err
	}
	switch {
	case uq.rows <= s.rareMatches:
		q, args, err := s.pageSQL(ctx, f, limit, offset, false, pc)
		if err != nil {
			return nil, false, err
		}
		page = make([]Event, 0, min(limit, 256))
		if err := s.eachEvent(ctx, q, args, nil, func(e Event) error { page = append(page, e); return nil }); err != nil {
			return nil, false, wrap("reading a user's events", err)
		}
		return page, true, nil
	case !s.blockWalk:
		return nil, false, nil
	}
	page, err = s.rangedPage(ctx, f, ts, limit, offset)
	return page, err == nil, err
}

// rangedPage is the block walk for a match too common to collect whole
// (and, unlike the word-index candidates of blockPage, as quick for a user
// whose rows are all old: the empty stretch is read in growing runs):
// the search blocks are visited newest first (seq_blocks), those that
// cannot hold a row in f's time bounds skipped, and their candidates read
// from the word index as rowid ranges (rangedBlocks).
func (s *Store) rangedPage(ctx context.Context, f Filter, ts textSearch, limit, offset int) ([]Event, error) {
	hi, lo := int64(math.MaxInt64), int64(math.MinInt64)
	if f.Before != nil {
		hi = ms(f.Before.CreationTime)
	}
	if !f.Until.IsZero() {
		hi = min(hi, ms(f.Until)-1)
	}
	if !f.Since.IsZero() {
		lo = ms(f.Since)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT block, max_ct FROM seq_blocks WHERE min_ct <= ? AND max_ct >= ? ORDER BY max_ct DESC`, hi, lo)
	if err != nil {
		return nil, wrap("searching a user's events", err)
	}
	var blocks []blockSpan
	for rows.Next() {
		var b blockSpan
		if err := rows.Scan(&b.block, &b.maxCT); err != nil {
			rows.Close()
			return nil, wrap("searching a user's events", err)
		}
		blocks = append(blocks, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("searching a user's events", err)
	}
	match := ts.exact
	if match == "" {
		match = ts.full
	}
	return s.walkBlocks(ctx, f, ts, limit, offset, s.rangedBlocks(ctx, match, blocks))
}

// blockSpan is a search block and the newest creation time it holds.
type blockSpan struct{ block, maxCT int64 }

// Runs of blocks read by one word-index query (rangedBlocks): a run grows
// (doubling, up to maxRun blocks) while the runs before it held fewer than
// sparseRun candidates, and a run that turns out to hold more than denseRun
// is read again block by block, so that a few blocks' candidates are
// checked at a time where the match is dense.
const (
	maxRun    = 64
	sparseRun = 64
	denseRun  = 1024
)

// rangedBlocks returns the walk's source of candidates for match over
// blocks (newest first): each call reads one run of blocks that are
// neighbours in the ingest sequence (consecutive in blocks, numbers
// stepping by one the same way) as one rowid range of the word index. Where the
// match is absent, as in the newer blocks for a user whose records are all
// old, the runs grow, so the walk costs tens of index reads rather than
// one per block.
func (s *Store) rangedBlocks(ctx context.Context, match string, blocks []blockSpan) func() (searchBlock, bool, error) {
	size := 1
	return func() (searchBlock, bool, error) {
		for len(blocks) > 0 {
			n := 1
			if size > 1 && len(blocks) > 1 {
				if step := blocks[1].block - blocks[0].block; step == 1 || step == -1 {
					for n < size && n < len(blocks) && blocks[n].block-blocks[n-1].block == step {
						n++
					}
				}
			}
			first, last := min(blocks[0].block, blocks[n-1].block), max(blocks[0].block, blocks[n-1].block)
			var sb searchBlock
			var found int
			if err := s.r.QueryRowContext(ctx, `SELECT json_group_array(rowid), count(*) FROM events_fts WHERE events_fts MATCH ? AND rowid BETWEEN ? AND ?`,
				match, first<<s.blockShift, (last+1)<<s.blockShift-1).Scan(&sb.seqs, &found); err != nil {
				return searchBlock{}, false, wrap("searching a user's events", err)
			}
			if n > 1 && found > denseRun {
				size = 1 // read these blocks one by one
				continue
			}
			sb.maxCT = blocks[0].maxCT
			blocks = blocks[n:]
			if found < sparseRun {
				size = min(size*2, maxRun)
			}
			return sb, true, nil
		}
		return searchBlock{}, false, nil
	}
}

// andMatch joins two FTS5 queries with AND; "" is no query.
func andMatch(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " AND " + b
}

// userMatch returns an FTS5 query that every row of user matches: its
// words, ANDed, as whole-word tokens ("" when it has none).
func userMatch(user string) string {
	words := userWords(user)
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	return strings.Join(quoted, " AND ")
}

// userWords returns the words of user the word index is searched for,
// longest first, each once: those of the part before the last '@' when it
// has any (the domain's words are in nearly every row), otherwise all of
// its words. Only words of ASCII letters and digits are used: the
// tokenizer splits those exactly as isWordRune does on every SQLite
// version, so a word can never become a phrase (which a detail=none index
// refuses). None when user has no such word: the caller then checks the
// rows one by one.
func userWords(user string) []string {
	if user == "" {
		return nil
	}
	local := user
	if at := strings.LastIndexByte(user, '@'); at >= 0 {
		local = user[:at]
	}
	words := asciiWords(local)
	if len(words) == 0 {
		words = asciiWords(user)
	}
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// withoutUser returns f without its user condition.
func withoutUser(f Filter) Filter {
	f.User = ""
	return f
}

// asciiWords splits s into words (runs of isWordRune) and returns those
// made of ASCII letters and digits only, lower-cased.
func asciiWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		if strings.IndexFunc(w, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
			continue
		}
		out = append(out, asciiLower(w))
	}
	return out
}
