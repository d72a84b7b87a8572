package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// OperationsSince counts the stored records whose operation is one of ops
// and whose CreationTime is at or after since, with the newest one's
// CreationTime (the detection test's "what has arrived so far").
func (s *Store) OperationsSince(ctx context.Context, ops []string, since time.Time) (n int64, newest time.Time, err error) {
	if len(ops) == 0 {
		return 0, time.Time{}, nil
	}
	args := make([]any, 0, len(ops)+1)
	for _, op := range ops {
		args = append(args, op)
	}
	args = append(args, ms(since))
	var last sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT count(*), max(creation_time) FROM events
		WHERE operation IN (`+placeholders(len(ops))+`) AND creation_time >= ?`, args...).Scan(&n, &last)
	if err != nil {
		return 0, time.Time{}, wrap("counting records by operation", err)
	}
	return n, fromMS(last.Int64), nil
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
