package store

import (
	"context"
	"testing"
	"time"
)

// BenchmarkQueryOperation is the feed page and count of one operation's
// events (Filter.Operation, `auditlight events --operation`) and the
// detection test's OperationsSince on the fixture: a rare operation (30
// rows at 3 M) and a common one (a sixth of the rows); the first page, a
// page deep in the past (keyset, as the feed pages) and one at an offset;
// OperationsSince for the walkthrough's inbox-rule operations (common in
// the fixture) and its admin-role one (rare), since 10 minutes, an hour, a
// day and a week (target: <= 20 ms each at 3 M rows).
func BenchmarkQueryOperation(b *testing.B) {
	const rare = "Add member to role."
	const common = "New-InboxRule"
	inbox := []string{"New-InboxRule", "Set-InboxRule", "UpdateInboxRules"}
	deep := &Position{CreationTime: fixtureEnd.Add(-time.Duration(fixtureRows) * 300 * time.Millisecond), ID: "z"} // half-way back
	s := fixture(b)
	ctx := context.Background()
	page, count := pageRun(ctx, s), countRun(ctx, s)
	since := func(ops []string, d time.Duration) func() (int, error) {
		return func() (int, error) {
			n, _, err := s.OperationsSince(ctx, ops, fixtureEnd.Add(-d))
			return int(n), err
		}
	}
	runBenchCases(b, []benchCase{
		{"rare/first-page", page(Filter{Operation: rare})},
		{"rare/deep-page", page(Filter{Operation: rare, Before: deep})},
		{"rare/count", count(Filter{Operation: rare})},
		{"common/first-page", page(Filter{Operation: common})},
		{"common/deep-page", page(Filter{Operation: common, Before: deep})},
		{"common/offset-2000", page(Filter{Operation: common, Offset: 2000})},
		{"common/failures", page(Filter{Operation: common, Result: "failure"})},
		{"common/with-user", page(Filter{Operation: common, User: "user7.surname@northwind-lab.onmicrosoft.com"})},
		{"common/count", count(Filter{Operation: common})},
		{"since/inbox/10m", since(inbox, 10*time.Minute)},
		{"since/inbox/1h", since(inbox, time.Hour)},
		{"since/inbox/1d", since(inbox, 24*time.Hour)},
		{"since/inbox/7d", since(inbox, 7*24*time.Hour)},
		{"since/role/1h", since([]string{rare}, time.Hour)},
		{"since/role/1d", since([]string{rare}, 24*time.Hour)},
		{"since/role/7d", since([]string{rare}, 7*24*time.Hour)},
	})
}
