package store

import (
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
// Filter.User's words (userMatch). Only the text terms have GLOB checks;
// the user's exact check is baseClause's.
func searchOf(f Filter) textSearch {
	var ts textSearch
	if strings.TrimSpace(f.Text) != "" {
		ts = parseText(f.Text)
	}
	if u := userMatch(f.User); u != "" {
		ts.exact = andMatch(ts.exact, u)
		ts.full = andMatch(ts.full, u)
	}
	return ts
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
// words, ANDed, as whole-word tokens. The words of the part before the
// '@' are used when it has any (the domain's words are in nearly every
// row, and make the index read more postings without selecting fewer
// rows); otherwise all of its words. Only words of ASCII letters and
// digits are used: the tokenizer splits those exactly as isWordRune does
// on every SQLite version, so a word can never become a phrase (which a
// detail=none index refuses). "" when user has no such word: the caller
// then checks the rows one by one.
func userMatch(user string) string {
	if user == "" {
		return ""
	}
	local := user
	if at := strings.LastIndexByte(user, '@'); at >= 0 {
		local = user[:at]
	}
	words := asciiWords(local)
	if len(words) == 0 {
		words = asciiWords(user)
	}
	quoted := make([]string, 0, len(words))
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] {
			continue
		}
		seen[w] = true
		quoted = append(quoted, `"`+w+`"`)
	}
	return strings.Join(quoted, " AND ")
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

// withoutUser returns f without its user condition.
func withoutUser(f Filter) Filter {
	f.User = ""
	return f
}
