package store

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/auditlight/auditlight/collector/auditrec"
)

// DefaultLimit is the page size Query uses when Filter.Limit is not set.
const DefaultLimit = 200

// MaxLimit caps Filter.Limit for Query (use ForEach to stream more).
const MaxLimit = 10000

// Filter selects events for the feed, counts and exports. Zero fields do not
// filter. All conditions must hold.
type Filter struct {
	Workloads    []string  // any of these workloads
	ContentTypes []string  // any of these content types
	Result       string    // "success" or "failure"; any spelling auditrec.CanonicalResult knows ("Failed", "fail")
	Since, Until time.Time // Since <= CreationTime < Until
	// Text is free text over user, operation, client IP and object id,
	// case-insensitive. Every whitespace-separated term must occur in one of
	// those fields at the start of a word: "jonas", "berg", "203.0.113",
	// "inboxrule" and "salaries" all find their records; "onas" does not.
	Text      string
	Operation string // exact operation name
	User      string // exact UserId (UPN)
	// IDs keeps only these record Ids (a finding's evidence); nil = any
	// record, an empty non-nil slice = none. No index holds the Id alone
	// (the dedupe key is CreationTime + Id): give Since/Until too (a
	// finding's first and last seen) or every stored row is visited.
	IDs    []string
	Limit  int       // Query: 0 = DefaultLimit, capped at MaxLimit; ForEach: 0 = all
	Before *Position // keyset paging: only rows after this one in feed order
	Offset int       // rows to skip (prefer Before for paging)
	// WithoutRaw leaves Event.Raw nil: the records themselves are neither
	// read nor decompressed, only the columns. For a list that shows the
	// columns (the feed, a finding's evidence); Get reads one record.
	WithoutRaw bool
}

// clause is a SQL WHERE condition under construction.
type clause struct {
	conds []string
	args  []any
}

func (c *clause) add(cond string, args ...any) {
	c.conds = append(c.conds, cond)
	c.args = append(c.args, args...)
}

func (c *clause) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	c.add(col+" IN ("+placeholders(len(vals))+")", args...)
}

func (c *clause) sql() string {
	if len(c.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.conds, " AND ")
}

// baseClause turns every filter field except Text into SQL over alias e.
func baseClause(f Filter) clause {
	var c clause
	if len(f.Workloads) == 1 {
		c.add("e.workload = ?", f.Workloads[0])
	} else {
		c.in("e.workload", f.Workloads)
	}
	if len(f.ContentTypes) > 0 {
		args := make([]any, len(f.ContentTypes))
		for i, v := range f.ContentTypes {
			args[i] = v
		}
		c.add("e.blob IN (SELECT ref FROM blobs WHERE content_type IN ("+placeholders(len(args))+"))", args...)
	}
	if f.Result != "" {
		r, ok := auditrec.CanonicalResult(f.Result)
		if !ok {
			r = f.Result // an unknown word matches nothing rather than everything
		}
		c.add("e.result = ?", r)
	}
	if !f.Since.IsZero() {
		c.add("e.creation_time >= ?", f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		c.add("e.creation_time < ?", f.Until.UnixMilli())
	}
	if f.Operation != "" {
		c.add("e.operation = ?", f.Operation)
	}
	if f.User != "" {
		c.add("e.user_id = ?", f.User)
	}
	if f.IDs != nil {
		// One JSON argument, whatever the number of Ids (SQLite caps the
		// number of parameters).
		ids, _ := json.Marshal(f.IDs)
		c.add("e.id IN (SELECT value FROM json_each(?))", string(ids))
	}
	if f.Before != nil {
		t := ms(f.Before.CreationTime)
		// The first term is an index range; the second breaks ties by id.
		c.add("e.creation_time <= ? AND (e.creation_time < ? OR e.id < ?)", t, t, f.Before.ID)
	}
	return c
}

// haystack is the text every search term is checked against: the four
// searchable fields, ASCII lower-cased, each preceded by a space (a word
// boundary that no term contains, so a term never spans two fields).
const haystack = `(' ' || lower(e.user_id) || ' ' || lower(e.operation) || ' ' || lower(e.client_ip) || ' ' || lower(e.object_id))`

// textSearch is a parsed Filter.Text.
type textSearch struct {
	// exact is an FTS5 query of the whole-word tokens only: it streams, so a
	// LIMITed probe is cheap even for common words. "" = none.
	exact string
	// full adds the word-prefix tokens (at least minPrefix long): more
	// selective, but FTS5 materialises every posting of a prefix query.
	full  string
	globs []string // exact check: one GLOB pattern per term, against haystack
	likes []string // per term: a LIKE substring pattern (ESCAPE '\'), a cheap pre-check
}

// minPrefix is the shortest word prefix worth an FTS5 prefix query; shorter
// ones merge too many words (the scan plan handles them).
const minPrefix = 3

// parseText splits free text into terms. Word characters are letters and
// digits (as for the FTS5 unicode61 tokenizer); everything else separates
// words. The FTS5 queries only have to select a superset of the matches
// (GLOB decides).
func parseText(text string) textSearch {
	var ts textSearch
	var exact, full []string
	for _, term := range strings.Fields(text) {
		lowered := asciiLower(term)
		first := []rune(lowered)[0]
		pat := "*" + globEscape(lowered) + "*"
		if isWordRune(first) {
			// The term must start a word: preceded by a non-word character
			// (the haystack starts every field with a space).
			pat = "*[^a-z0-9\u0080-\U0010FFFF]" + globEscape(lowered) + "*"
		}
		ts.globs = append(ts.globs, pat)
		ts.likes = append(ts.likes, "%"+likeEscape(term)+"%")
		toks := strings.FieldsFunc(term, func(r rune) bool { return !isWordRune(r) })
		if len(toks) == 0 {
			continue
		}
		runes := []rune(term)
		lastIsPrefix := isWordRune(runes[len(runes)-1])
		quote := func(tok string) string { return `"` + strings.ReplaceAll(tok, `"`, `""`) + `"` }
		// Inner tokens are followed by a separator inside the term, so they
		// are whole words; only the last may be a word prefix.
		whole := toks
		if lastIsPrefix {
			whole = toks[:len(toks)-1]
		}
		for _, tok := range whole {
			exact = append(exact, quote(tok))
			full = append(full, quote(tok))
		}
		if lastIsPrefix && len([]rune(toks[len(toks)-1])) >= minPrefix {
			full = append(full, quote(toks[len(toks)-1])+"*")
		}
	}
	ts.exact = strings.Join(exact, " AND ")
	ts.full = strings.Join(full, " AND ")
	return ts
}

// isWordRune reports a word character the way FTS5's unicode61 tokenizer
// does by default: letters, numbers and private-use characters.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// asciiLower lower-cases ASCII letters only, like SQLite's lower().
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// likeEscape makes LIKE metacharacters literal (with ESCAPE '\').
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// globEscape makes GLOB metacharacters literal.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[':
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
