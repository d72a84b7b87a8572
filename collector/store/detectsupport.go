package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// OperationsSince counts the stored records whose operation is one of ops
// and whose CreationTime is at or after since, with the newest one's
// CreationTime (the detection test's "what has arrived so far"). The
// walkthrough's operations (DetectionTestOperations) are read from their
// partial index (events_detect_ops). There is no index on other
// operations (schema 8): a span since since of at most spanRows records
// (a test started minutes ago) is read from the feed index and checked
// row by row; a longer one takes the word index's candidates for ops
// (opsMatch) in the search blocks that hold records of the span, checked
// the same way.
func (s *Store) OperationsSince(ctx context.Context, ops []string, since time.Time) (n int64, newest time.Time, err error) {
	if len(ops) == 0 {
		return 0, time.Time{}, nil
	}
	if q, ok := detectOpsSQL(ops); ok {
		var last sql.NullInt64
		if err := s.r.QueryRowContext(ctx, q, ms(since)).Scan(&n, &last); err != nil {
			return 0, time.Time{}, wrap("counting records by operation", err)
		}
		return n, fromMS(last.Int64), nil
	}
	match := opsMatch(ops)
	short := match == ""
	if !short {
		var rows int
		if err := s.r.QueryRowContext(ctx, spanRowsSQL, ms(since), s.spanRows+1).Scan(&rows); err != nil {
			return 0, time.Time{}, wrap("counting records by operation", err)
		}
		short = rows <= s.spanRows
	}
	c := opsSince(ops, since)
	if short {
		var last sql.NullInt64
		if err := s.r.QueryRowContext(ctx, opsSpanSQL+c.sql(), c.args...).Scan(&n, &last); err != nil {
			return 0, time.Time{}, wrap("counting records by operation", err)
		}
		return n, fromMS(last.Int64), nil
	}
	spans, err := s.blockSpans(ctx, ms(since))
	if err != nil {
		return 0, time.Time{}, wrap("counting records by operation", err)
	}
	q := opsWordSQL + ` AND ` + strings.Join(c.conds, " AND ")
	var last int64
	for _, sp := range spans {
		var k, l int64
		if err := s.r.QueryRowContext(ctx, q, append([]any{match, sp[0], sp[1]}, c.args...)...).Scan(&k, &l); err != nil {
			return 0, time.Time{}, wrap("counting records by operation", err)
		}
		n += k
		last = max(last, l)
	}
	return n, fromMS(last), nil
}

// spanRowsSQL counts the records created at or after ?1, up to ?2.
const spanRowsSQL = `SELECT count(*) FROM (SELECT 1 FROM events INDEXED BY events_time WHERE creation_time >= ?1 LIMIT ?2)`

// opsSpanSQL is OperationsSince over a short span: the span's rows from
// the feed index, each checked (opsSince's WHERE follows).
const opsSpanSQL = `SELECT count(*), max(e.creation_time) FROM events AS e INDEXED BY events_time`

// opsWordSQL is OperationsSince over a long span, for one range of ingest
// sequences (match, lo, hi): the word index's candidates, each checked
// (AND opsSince's conditions follow).
const opsWordSQL = `SELECT count(*), coalesce(max(e.creation_time), 0) FROM events AS e NOT INDEXED
	WHERE e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid BETWEEN ? AND ?)`

// opsSince is the exact check of OperationsSince's records.
func opsSince(ops []string, since time.Time) clause {
	var c clause
	c.in("e.operation", ops)
	c.add("e.creation_time >= ?", ms(since))
	return c
}

// spanRows is how many records since the start of a detection test
// OperationsSince reads from the feed index before it turns to the word
// index (Store.spanRows defaults to this): ~10 ms of row checks.
const spanRows = 8192

// opsMatch returns an FTS5 query that every row of any of ops matches:
// each operation's longest word, ORed ("" when one of them has no word to
// look up). Single words, not each operation's words ANDed: FTS5 checks a
// rowid range's end only when an AND has matched, so an AND of words that
// never meet ("inboxrule" AND "set") reads their postings to the end.
func opsMatch(ops []string) string {
	var words []string
	for _, op := range ops {
		w := operationWords(op)
		if len(w) == 0 {
			return ""
		}
		if q := `"` + w[0] + `"`; !slices.Contains(words, q) {
			words = append(words, q)
		}
	}
	return strings.Join(words, " OR ")
}

// DetectionTestOperations are the operations the detection walkthrough
// (collector/walkthrough) waits for, whose rows the partial index
// events_detect_ops holds (schema 8): OperationsSince over any of them
// reads that index. A test waiting for another operation is answered
// without an index (correct, slower over long spans): extend the list
// with a new schema step that recreates the index.
func DetectionTestOperations() []string {
	return []string{"New-InboxRule", "Set-InboxRule", "UpdateInboxRules", "Add member to role."}
}

// detectOpsList is DetectionTestOperations as SQL string literals, the
// partial index's condition (none of them holds a quote).
const detectOpsList = `'New-InboxRule', 'Set-InboxRule', 'UpdateInboxRules', 'Add member to role.'`

// detectOpsSQL returns OperationsSince's statement over events_detect_ops
// (since is its one argument) when every one of ops is a detection test
// operation; ok is false otherwise. The operations are written as
// literals: the planner uses a partial index only when the statement's
// WHERE holds the index's condition, which it then checks for ops.
func detectOpsSQL(ops []string) (q string, ok bool) {
	lits := make([]string, 0, len(ops))
	for _, op := range ops {
		if !slices.Contains(DetectionTestOperations(), op) {
			return "", false
		}
		lits = append(lits, "'"+op+"'")
	}
	// The index's own condition comes first, as the planner's proof.
	return `SELECT count(*), max(creation_time) FROM events INDEXED BY events_detect_ops
		WHERE operation IN (` + detectOpsList + `) AND operation IN (` + strings.Join(lits, ", ") + `) AND creation_time >= ?`, true
}

// blockSpans returns the ingest-sequence ranges [lo, hi] of the search
// blocks that hold a record created at or after sinceMS, adjacent blocks
// merged, oldest first.
func (s *Store) blockSpans(ctx context.Context, sinceMS int64) ([][2]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT block FROM seq_blocks WHERE max_ct >= ? ORDER BY block`, sinceMS)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var spans [][2]int64
	for rows.Next() {
		var b int64
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		lo, hi := b<<s.blockShift, (b+1)<<s.blockShift-1
		if k := len(spans); k > 0 && spans[k-1][1]+1 == lo {
			spans[k-1][1] = hi
			continue
		}
		spans = append(spans, [2]int64{lo, hi})
	}
	return spans, rows.Err()
}

// UserCountries returns every user's sign-in countries recorded so far
// (lower-cased UPN → ISO country codes): the "new country" rule's history.
func (s *Store) UserCountries(ctx context.Context) (map[string][]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT user_key, country FROM user_countries ORDER BY user_key, first_seen`)
	if err != nil {
		return nil, wrap("reading sign-in countries", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var u, c string
		if err := rows.Scan(&u, &c); err != nil {
			return nil, wrap("reading sign-in countries", err)
		}
		out[u] = append(out[u], c)
	}
	return out, wrap("reading sign-in countries", rows.Err())
}

// AddUserCountry records that user signed in from country at t (first and
// last sighting are kept).
func (s *Store) AddUserCountry(ctx context.Context, user, country string, t time.Time) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO user_countries (user_key, country, first_seen, last_seen)
		VALUES (?, ?, ?, ?) ON CONFLICT (user_key, country) DO UPDATE SET
		first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`,
		strings.ToLower(user), strings.ToUpper(country), ms(t), ms(t))
	return wrap("recording sign-in country", err)
}

// UserDomains returns the domain parts of the UPNs seen in stored records
// of Exchange and Entra records and in the display-name cache, lower-cased:
// the tenant's own domains when Microsoft Graph cannot list them. Failed
// sign-ins are ignored (anyone can type any name), and so are SharePoint
// records (guests appear there under their own address). The records'
// domains are kept by the writer (user_domains), so this reads no event.
func (s *Store) UserDomains(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, userDomainsSQL)
	if err != nil {
		return nil, wrap("reading user domains", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, wrap("reading user domains", err)
		}
		out = append(out, d)
	}
	return out, wrap("reading user domains", rows.Err())
}

// userDomainsSQL is UserDomains' statement: the records' domains the writer
// keeps, and those of the display-name cache.
const userDomainsSQL = `
	SELECT d FROM (
		SELECT domain AS d FROM user_domains
		UNION SELECT lower(substr(user_id, instr(user_id, '@') + 1)) FROM users WHERE user_id LIKE '%_@_%'
	) WHERE d <> '' ORDER BY d`
