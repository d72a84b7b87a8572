package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// trickyUsers are UPNs whose words the word index splits and folds: a
// quote, dots and hyphens, a guest's #EXT# form, one user that is a
// prefix of another, a case variant (a different UserId to the exact
// filter), non-ASCII words, ids without any word or without an '@', and
// the empty id. The first is common, the others rare.
var trickyUsers = []string{
	"mira.okafor@northwind-lab.onmicrosoft.com",
	"o'brien@x.com",
	"O'Brien@X.com",
	"a.b-c@sub.x.co",
	"a.b@sub.x.co",
	"jane_contoso.com#EXT#@northwind-lab.onmicrosoft.com",
	"ann@x.com",
	"ann@x.com.au",
	"jürgen.groß@x.de",
	"@@",
	`NT AUTHORITY\SYSTEM (w3wp)`,
	"",
}

// userEvents are genEvents with trickyUsers as users: half the rows the
// common user's, the rest spread over the rare ones; some rows name
// another user in their object id (the word index matches any field).
func userEvents(n int) []Event {
	return spreadValues(genEvents(n, t0, "u-"), trickyUsers, func(e *Event, u string) { e.UserID = u }, 7, "mailbox of ")
}

// TestUserFilterReturnsExactlyTheUsersRows: with no index on the user,
// Filter.User still returns exactly that UserId's rows (case-sensitive,
// never a user whose id contains the same words), in feed order, alone and
// with every other filter, through keyset pages and offsets, from Query,
// Count and ForEach, whichever plan the store picks.
func TestUserFilterReturnsExactlyTheUsersRows(t *testing.T) {
	evs := userEvents(900)
	var filters []Filter
	for _, u := range trickyUsers[:len(trickyUsers)-1] { // "" is no filter
		filters = append(filters, withEveryOtherFilter(Filter{User: u}, func(g *Filter) { g.Operation = "UserLoginFailed" }, "x.com")...)
	}
	checkEveryPlan(t, evs, filters)
}

// TestUserWalkOverEmptyAndDenseRuns: a user whose rows are all older than
// a long stretch of the feed is found by the rowid-range walk, which reads
// the empty stretch in growing runs of blocks and re-reads block by block
// the run where the user's rows are dense; pages, keyset pages and counts
// match the rows themselves.
func TestUserWalkOverEmptyAndDenseRuns(t *testing.T) {
	ctx := context.Background()
	evs := genEvents(4400, t0, "w-")
	for i := range evs {
		evs[i].UserID = "recent.user@x.com"
		if i >= 2200 { // the older half: the user walked for
			evs[i].UserID = "old.user@x.com"
		}
	}
	s, _ := openTest(t, Options{})
	s.rareMatches, s.blockShift = 0, 5
	commitAll(t, s, evs, 100)
	for _, f := range []Filter{
		{User: "old.user@x.com", Limit: 200},
		{User: "old.user@x.com", Limit: 200, Offset: 1500},
		{User: "old.user@x.com", Limit: 50, Result: "failure"},
		{User: "old.user@x.com", Limit: 200, Before: &Position{CreationTime: evs[3000].CreationTime, ID: evs[3000].ID}},
		{User: "recent.user@x.com", Limit: 200, Until: evs[2100].CreationTime},
	} {
		want := expect(evs, f)
		if f.Before != nil { // expect leaves keyset paging to its callers
			want = slices.DeleteFunc(want, func(e Event) bool {
				return e.CreationTime.After(f.Before.CreationTime) || e.CreationTime.Equal(f.Before.CreationTime) && e.ID >= f.Before.ID
			})
		}
		got, err := s.Query(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		w := want[min(f.Offset, len(want)):min(f.Offset+f.Limit, len(want))]
		if len(w) == 0 || !slices.Equal(ids(got), ids(w)) {
			t.Errorf("%+v: %d rows, want %d\n got %v\nwant %v", f, len(got), len(w), head(ids(got)), head(ids(w)))
		}
		if n, err := s.Count(ctx, f); err != nil || n != int64(len(want)) {
			t.Errorf("%+v: Count = %d, %v; want %d", f, n, err, len(want))
		}
	}
}

// TestUserMatch: the word-index query of a user holds only words the
// tokenizer keeps whole (ASCII letters and digits), preferring the part
// before the '@', longest first.
func TestUserMatch(t *testing.T) {
	tests := []struct{ user, want string }{
		{"Mira.Okafor@northwind-lab.onmicrosoft.com", `"okafor" AND "mira"`},
		{"o'brien@x.com", `"brien" AND "o"`},
		{"jane_contoso.com#EXT#@x.onmicrosoft.com", `"contoso" AND "jane" AND "com" AND "ext"`},
		{"a.a@x.com", `"a"`},
		{"@x.com", `"com" AND "x"`},
		{"jürgen.groß@x.de", `"de" AND "x"`},
		{`NT AUTHORITY\SYSTEM (w3wp)`, `"authority" AND "system" AND "w3wp" AND "nt"`},
		{"@@", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := userMatch(tt.user); got != tt.want {
			t.Errorf("userMatch(%q) = %s, want %s", tt.user, got, tt.want)
		}
	}
}

// TestUserFilterPlansScanNoTable: a user filter's statements read the
// word index's candidates by rowid (no full scan of the events, no index
// on the user), and the schema has no index on user_id.
func TestUserFilterPlansScanNoTable(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	commitAll(t, s, userEvents(900), 60)
	rows, err := s.r.QueryContext(ctx, `SELECT il.name, ii.name FROM pragma_index_list('events') AS il, pragma_index_info(il.name) AS ii`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var index, col string
		if err := rows.Scan(&index, &col); err != nil {
			t.Fatal(err)
		}
		if col == "user_id" {
			t.Errorf("index %s still holds user_id", index)
		}
	}
	rows.Close()
	assertWordIndexPlans(t, s, "user", "events_user", []Filter{{User: "o'brien@x.com"},
		{User: "a.b-c@sub.x.co", Result: "failure"}, {User: "ann@x.com", Workloads: []string{"Exchange"}}})
}

// oldUserDomainsSQL is what UserDomains ran before schema 7: the domains
// user_domains must reproduce.
const oldUserDomainsSQL = `
	SELECT DISTINCT lower(substr(user_id, instr(user_id, '@') + 1)) AS d FROM (
		SELECT DISTINCT user_id FROM events WHERE user_id LIKE '%_@_%' AND operation <> 'UserLoginFailed'
			AND workload IN ('Exchange', 'AzureActiveDirectory')
		UNION SELECT user_id FROM users WHERE user_id LIKE '%_@_%'
	) WHERE d <> '' ORDER BY d`

func oldUserDomains(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.r.Query(oldUserDomainsSQL)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// TestUserDomainsWithoutReadingEvents: UserDomains answers what the scan
// of the events did (Exchange and Entra records, failed sign-ins and
// SharePoint left out, odd ids included) from the table the writer keeps,
// and its statement reads no event.
func TestUserDomainsWithoutReadingEvents(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	evs := genEvents(60, t0, "")
	odd := []string{"Ana@Sub.X.COM", "a@", "@b.com", "x@y@z.org", "guest_other.com#EXT#@Tenant.onmicrosoft.com",
		"q@Ünïcode.example", "no-at-sign", "", "@@", "a@b", "SharePoint.guest@elsewhere.com", "failed@typed-by-anyone.com"}
	for i := range evs {
		evs[i].UserID = odd[i%len(odd)]
		switch evs[i].UserID {
		case "SharePoint.guest@elsewhere.com":
			evs[i].Workload, evs[i].Operation = "SharePoint", "FileDownloaded"
		case "failed@typed-by-anyone.com":
			evs[i].Workload, evs[i].Operation = "AzureActiveDirectory", "UserLoginFailed"
		default:
			evs[i].Workload, evs[i].Operation = []string{"Exchange", "AzureActiveDirectory"}[i%2], "UserLoggedIn"
		}
	}
	commitAll(t, s, evs, 7)
	commitAll(t, s, evs, 13) // duplicates: nothing new
	if err := s.SetUserNames(ctx, map[string]string{"Graph.User@Named.Example": "Graph User"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserDomains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := oldUserDomains(t, s)
	if !slices.Equal(got, want) {
		t.Errorf("UserDomains = %q, want %q", got, want)
	}
	if !slices.Contains(got, "sub.x.com") || slices.Contains(got, "elsewhere.com") || slices.Contains(got, "typed-by-anyone.com") {
		t.Errorf("UserDomains = %q", got)
	}
	plan := queryPlan(t, s, `EXPLAIN QUERY PLAN `+userDomainsSQL)
	if strings.Contains(plan, "events") {
		t.Errorf("UserDomains reads the events:\n%s", plan)
	}
}

// TestSchema7DropsTheUserIndex: a store written before schema 7 upgrades:
// events_user is gone, user_domains holds the domains the old scan found,
// and the user filter returns what it did.
func TestSchema7DropsTheUserIndex(t *testing.T) {
	ctx := context.Background()
	path, oldA, oldB := openSchema5Fixture(t)
	all := append(slices.Clone(oldA), oldB...)
	var wantDomains []string
	{
		s, err := OpenReadOnly(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantDomains = oldUserDomains(t, s)
		s.Close()
	}
	if len(wantDomains) == 0 {
		t.Fatal("the fixture has no user domain")
	}
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version, indexes int
	if err := s.r.QueryRow(`SELECT version FROM schema_version`).Scan(&version); err != nil || version != len(migrations()) || version < 7 {
		t.Fatalf("schema version %d (%v), want %d", version, err, len(migrations()))
	}
	if err := s.r.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'events_user'`).Scan(&indexes); err != nil || indexes != 0 {
		t.Errorf("events_user still there (%d, %v)", indexes, err)
	}
	got, err := s.UserDomains(ctx)
	if err != nil || !slices.Equal(got, wantDomains) {
		t.Errorf("UserDomains after the upgrade = %q, %v; want %q", got, err, wantDomains)
	}
	for _, u := range []string{"jonas.berg@northwind-lab.onmicrosoft.com", "Ana.Lima@Northwind-Lab.onmicrosoft.com", `NT AUTHORITY\SYSTEM (w3wp)`} {
		f := Filter{User: u, Limit: MaxLimit}
		page, err := s.Query(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if want := expect(all, f); len(want) == 0 || !slices.Equal(ids(page), ids(want)) {
			t.Errorf("user %q: %d rows, want %d", u, len(page), len(want))
		}
	}
}

// assertWordIndexPlans checks, for filters on a rare value of what (user or
// operation), that the first page is driven by the word index and that
// neither the page's nor the count's query plan scans the events table or
// uses oldIndex, the index the word index replaced.
func assertWordIndexPlans(t *testing.T, s *Store, what, oldIndex string, filters []Filter) {
	t.Helper()
	ctx := context.Background()
	for _, f := range filters {
		from, args, indexDriven, err := s.selectSQL(ctx, f, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !indexDriven {
			t.Errorf("%+v: a rare %s's page is not driven by the word index", f, what)
		}
		cfrom, c, err := s.everyMatch(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for query, q := range map[string]struct {
			sql  string
			args []any
		}{
			"page":  {`SELECT ` + eventColumns + from + feedOrder + ` LIMIT 200`, args},
			"count": {`SELECT count(*)` + cfrom + c.sql(), c.args},
		} {
			plan := queryPlan(t, s, `EXPLAIN QUERY PLAN `+q.sql, q.args...)
			for _, line := range strings.Split(plan, "\n") {
				if line == "SCAN e" || strings.HasPrefix(line, "SCAN e ") || strings.Contains(line, oldIndex) {
					t.Errorf("%+v: %s plan has %q:\n%s", f, query, line, plan)
				}
			}
		}
	}
}
