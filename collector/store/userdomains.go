package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// user_domains (schema 7) holds the domain part of every UPN seen in a
// stored Exchange or Entra record other than a failed sign-in: what
// UserDomains reads, which was a scan of the events (a covering scan of
// events_user before schema 7 dropped that index, a table scan without it).
// The writer adds a group's domains in its transaction, from the tallies
// the fetchers made (tallyOf), in one statement that changes nothing once
// the tenant's few domains are known. A domain stays when Purge removes
// the records it came from: it is still one of the tenant's domains.

// userDomain returns the domain e's user adds to user_domains, if any: the
// Go form of the SQL that schema 7 fills the table with (and UserDomains
// ran before): workload Exchange or AzureActiveDirectory, operation not
// UserLoginFailed, user_id LIKE '%_@_%', the text after the first '@',
// ASCII lower-cased, not empty.
func userDomain(e *Event) (string, bool) {
	if e.Workload != "Exchange" && e.Workload != "AzureActiveDirectory" || e.Operation == "UserLoginFailed" {
		return "", false
	}
	u := e.UserID
	// LIKE '%_@_%': an '@' with a character before it and one after it.
	if len(u) < 3 || strings.IndexByte(u[1:len(u)-1], '@') < 0 {
		return "", false
	}
	d := asciiLower(u[strings.IndexByte(u, '@')+1:])
	return d, d != ""
}

// recordDomains adds the domains of reqs' events to user_domains.
func (s *Store) recordDomains(ctx context.Context, tx *sql.Tx, reqs []*commitReq) error {
	var domains []string
	for _, r := range reqs {
		if r.tally.types == nil { // a request not made by CommitBlob
			r.tally = tallyOf(r)
		}
		domains = append(domains, r.tally.domains...)
	}
	if len(domains) == 0 {
		return nil
	}
	arg, err := json.Marshal(domains)
	if err != nil {
		return fmt.Errorf("recording user domains: %w", err)
	}
	if _, err := s.stmts.exec(ctx, tx, `INSERT OR IGNORE INTO user_domains (domain) SELECT value FROM json_each(?)`, string(arg)); err != nil {
		return fmt.Errorf("recording user domains: %w", err)
	}
	return nil
}
