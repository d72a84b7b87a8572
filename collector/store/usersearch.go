package store

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Filter.User and Filter.Operation, the exact column values, are answered
// from the word index (events_fts), like the text search, and re-checked
// exactly (e.user_id = ?, e.operation = ?): there is no index on user_id
// (schema 7 dropped events_user, which cost about half of the writer's CPU
// per record) nor on every row's operation (schema 8 dropped
// events_operation). The word index is detail=none, so a match cannot be
// restricted to a column; it selects the rows holding the values' words
// anywhere, a superset of the rows holding the values.

// searched reports whether f has a part the word index answers: free text,
// a user or an operation.
func (f Filter) searched() bool {
	return strings.TrimSpace(f.Text) != "" || f.hasValue()
}

// hasValue reports whether f asks for an exact user or operation.
func (f Filter) hasValue() bool {
	return f.User != "" || f.Operation != ""
}

// searchOf is the word-index part of f: Filter.Text's terms, ANDed with
// the query that finds the rows of Filter.User and Filter.Operation
// (valueQuery). Only the text terms have GLOB checks; the values' exact
// checks are baseClause's. pc caches the values' probes (nil caches
// nothing).
func (s *Store) searchOf(ctx context.Context, f Filter, pc probeCache) (textSearch, valueQuery, error) {
	var ts textSearch
	if strings.TrimSpace(f.Text) != "" {
		ts = parseText(f.Text)
	}
	uq, err := s.valueQuery(ctx, f, pc)
	if err != nil {
		return textSearch{}, valueQuery{}, err
	}
	ts.exact = andMatch(ts.exact, uq.match)
	ts.full = andMatch(ts.full, uq.match)
	return ts, uq, nil
}

// valueQuery is how the word index finds the rows of a filter's exact
// values (user, operation).
type valueQuery struct {
	// match is an FTS5 query every row holding the values matches: their
	// rarest word when it is in at most rareMatches rows (then its
	// postings are few, and reading them is cheap), else all the words of
	// one value, the user's if it has any, ANDed (each is common; ANDed
	// they select about that value's rows, and FTS5 answers a rowid range
	// of them cheaply). Not the two values' words together: FTS5 checks a
	// rowid range's end only when an AND has matched, so the words of a
	// user and an operation that never meet would be read to their end
	// (57 s for a common user's common operation at 3 M rows). "" = the
	// values have no word to look up.
	match string
	// rows is how many rows the rarest word is in, capped at
	// rareMatches+1.
	rows int
}

// valueQuery probes the word index for the words of f's user and
// operation (valueWords: longest first, the likelier to be rare, so the
// later probes stop sooner) and picks the rarest. A probe reads at most
// rareMatches+1 postings (~0.5 ms).
func (s *Store) valueQuery(ctx context.Context, f Filter, pc probeCache) (valueQuery, error) {
	words := valueWords(f)
	if len(words) == 0 {
		return valueQuery{}, nil
	}
	limit := s.rareMatches + 1
	best := valueQuery{rows: limit}
	for _, w := range words {
		match := `"` + w + `"`
		key := "\x00rows " + match
		n, err := strconv.Atoi(pc[key])
		if err != nil {
			if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?)`,
				match, best.rows).Scan(&n); err != nil {
				return valueQuery{}, wrap("searching a user's or an operation's words", err)
			}
			if n < best.rows && pc != nil { // a count capped below the truth is not cached
				pc[key] = strconv.Itoa(n)
			}
		}
		if n < best.rows {
			best = valueQuery{match: match, rows: n}
		}
	}
	if best.rows == limit {
		best.match = userMatch(f.User)
		if best.match == "" {
			best.match = wordsMatch(operationWords(f.Operation))
		}
	}
	return best, nil
}

// valuePage answers a page of the events of a user or an operation (or
// both; Filter.User or Filter.Operation without Filter.Text) from the word
// index: when the values' rarest word is rare, its rows are looked up at
// once; otherwise the newest window of the feed is tried (windowPage), then
// the values' rows are walked through rowid ranges of the index, search
// block by search block, newest first (rangedPage). ok is false when the
// values have no word to look up or the block walk is switched off (the
// feed-order plans then answer).
func (s *Store) valuePage(ctx context.Context, f Filter, limit, offset int, pc probeCache) (page []Event, ok bool, err error) {
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
			return nil, false, wrap("reading a user's or an operation's events", err)
		}
		return page, true, nil
	case !s.blockWalk:
		return nil, false, nil
	}
	// Every word is common, so the values may well be: the newest window
	// of the feed (after the other filters) often holds the page, for a
	// few milliseconds' row checks.
	page, complete, _, err := s.windowPage(ctx, f, limit, offset)
	if err != nil || complete {
		return page, err == nil, err
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
	return wordsMatch(userWords(user))
}

// valueMatch returns an FTS5 query that every row holding f's user and
// operation matches ("" when they have no word).
func valueMatch(f Filter) string {
	return wordsMatch(valueWords(f))
}

// wordsMatch ANDs words (whole-word tokens) into an FTS5 query.
func wordsMatch(words []string) string {
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

// valueWords returns the words of f's user (userWords) and operation
// (operationWords) the word index is searched for, longest first, each
// once.
func valueWords(f Filter) []string {
	words := userWords(f.User)
	for _, w := range operationWords(f.Operation) {
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
	return words
}

// operationWords returns the words of an operation name the word index is
// searched for ("New-InboxRule": inboxrule, new), longest first, each once:
// those made of ASCII letters and digits (see userWords). None when it has
// no such word.
func operationWords(op string) []string {
	var out []string
	for _, w := range asciiWords(op) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// withoutValues returns f without its user and operation conditions.
func withoutValues(f Filter) Filter {
	f.User, f.Operation = "", ""
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
