package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// searchPlans are the store's plans for a searched filter (text, user,
// operation), each forced by its tuning: the window, the word index's
// candidates looked up at once, the feed-order scan, the block walk over
// candidates, and the walk by rowid ranges of blocks.
var searchPlans = []struct {
	name         string
	rare, window int
	blockShift   int // 0: no block walk
}{
	{"window", rareMatches, textWindow, 0},
	{"small-window", rareMatches, 37, 0},
	{"index-driven", 1 << 30, 0, 0},
	{"scan-driven", 0, 0, 0},
	{"block-walk", rareMatches, 0, blockShift},
	{"ranged-blocks", 0, 0, 4},
	{"ranged-tiny-blocks", 0, 0, 1},
	{"rare-or-ranged", 40, 0, 3},
	{"window-then-small-blocks", rareMatches, 37, 4},
}

// checkEveryPlan stores evs and checks, under every search plan, that each
// filter returns exactly the rows expect finds (the exact user and
// operation, case-sensitive, never a value holding the same words), in
// feed order, from Query, Count and ForEach, through keyset pages and
// offsets. A filter on a user or an operation alone must have rows (but
// for a case variant of "New-InboxRule", which has none).
func checkEveryPlan(t *testing.T, evs []Event, filters []Filter) {
	t.Helper()
	for _, plan := range searchPlans {
		s, _ := openTest(t, Options{})
		s.rareMatches, s.textWindow = plan.rare, plan.window
		s.blockWalk, s.blockShift = plan.blockShift > 0, max(plan.blockShift, 1)
		commitAll(t, s, evs, 60)
		ctx := context.Background()
		for _, f := range filters {
			t.Run(fmt.Sprintf("%s/%q/%q/%+v", plan.name, f.User, f.Operation, f), func(t *testing.T) {
				want := expect(evs, f)
				bare := Filter{User: f.User, Operation: f.Operation}
				alone := fmt.Sprint(f) == fmt.Sprint(bare) && (f.User == "") != (f.Operation == "")
				if alone && len(want) == 0 && !strings.EqualFold(f.Operation, "new-inboxrule") {
					t.Fatalf("no rows of %q/%q in the fixture", f.User, f.Operation)
				}
				n, err := s.Count(ctx, f)
				if err != nil || n != int64(len(want)) {
					t.Errorf("Count = %d, %v; want %d", n, err, len(want))
				}
				var streamed []Event
				if err := s.ForEach(ctx, f, func(e Event) error { streamed = append(streamed, e); return nil }); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(streamed), ids(want)) {
					t.Errorf("ForEach streamed %d events, want %d\n got %v\nwant %v", len(streamed), len(want), head(ids(streamed)), head(ids(want)))
				}
				for _, e := range streamed {
					if f.User != "" && e.UserID != f.User || f.Operation != "" && e.Operation != f.Operation {
						t.Fatalf("ForEach returned a row of %q/%q", e.UserID, e.Operation)
					}
				}
				lf := f
				lf.Limit = 5
				var first []string
				if err := s.ForEach(ctx, lf, func(e Event) error { first = append(first, e.ID); return nil }); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(first, ids(want[:min(5, len(want))])) {
					t.Errorf("ForEach with Limit 5 = %v, want %v", first, ids(want[:min(5, len(want))]))
				}
				// Keyset pages of 7, as the feed scrolls.
				var paged []string
				pf := f
				pf.Limit = 7
				for range len(want)/7 + 2 {
					page, err := s.Query(ctx, pf)
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, ids(page)...)
					if len(page) < pf.Limit {
						break
					}
					pos := page[len(page)-1].Pos()
					pf.Before = &pos
				}
				if !slices.Equal(paged, ids(want)) {
					t.Errorf("keyset pages = %d events, want %d\n got %v\nwant %v", len(paged), len(want), head(paged), head(ids(want)))
				}
				for _, off := range []int{0, 3, len(want) / 2, len(want)} {
					of := f
					of.Limit, of.Offset = 11, off
					page, err := s.Query(ctx, of)
					if err != nil {
						t.Fatal(err)
					}
					w := want[min(off, len(want)):min(off+11, len(want))]
					if !slices.Equal(ids(page), ids(w)) {
						t.Errorf("offset %d: %v, want %v", off, ids(page), ids(w))
					}
				}
			})
		}
	}
}

// trickyOperations are operation names whose words the word index splits
// and folds: a common one, names sharing words ("New-InboxRule",
// "Set-InboxRule", "New-Mailbox"), one that is a prefix of another, one
// of several words with a full stop, and one without an ASCII word. The
// first is common, the others rare.
var trickyOperations = []string{
	"FileAccessed",
	"New-InboxRule",
	"Set-InboxRule",
	"New-Mailbox",
	"FileAccessedExtended",
	"Add member to role.",
	"Änderung",
}

// operationEvents are genEvents with trickyOperations as operations: half
// the rows the common operation's, the rest spread over the rare ones;
// some rows name another operation in their object id (the word index
// matches any field).
func operationEvents(n int) []Event {
	return spreadValues(genEvents(n, t0, "op-"), trickyOperations, func(e *Event, op string) { e.Operation = op }, 9, "rule ")
}

// spreadValues gives half of evs values[0] (the common value) and the rest
// the other values in turn, through set; every nth row's object id names
// one of the other values after mention, so the word index, which matches
// any field, finds rows that do not hold the value.
func spreadValues(evs []Event, values []string, set func(*Event, string), nth int, mention string) []Event {
	other := func(k int) string { return values[1+k%(len(values)-1)] }
	for i := range evs {
		v := values[0]
		if i%2 == 1 {
			v = other(i / 2)
		}
		set(&evs[i], v)
		if i%nth == 0 {
			evs[i].ObjectID = mention + other(i/nth)
		}
	}
	return evs
}

// withEveryOtherFilter is f (a user or an operation filter) alone and with
// each other filter in turn: one and two workloads, failures, cross (which
// sets the other searched value), a content type, a time span, a word no value
// holds and ownWord, a word of f's values.
func withEveryOtherFilter(f Filter, cross func(*Filter), ownWord string) []Filter {
	with := func(set func(*Filter)) Filter {
		g := f
		set(&g)
		return g
	}
	return []Filter{
		f,
		with(func(g *Filter) { g.Workloads = []string{"Exchange"} }),
		with(func(g *Filter) { g.Workloads = []string{"Exchange", "AzureActiveDirectory"} }),
		with(func(g *Filter) { g.Result = "failure" }),
		with(cross),
		with(func(g *Filter) { g.ContentTypes = []string{"Audit.Exchange"} }),
		with(func(g *Filter) { g.Since, g.Until = t0.Add(-3*time.Hour), t0.Add(-time.Hour) }),
		with(func(g *Filter) { g.Text = "salaries" }),
		with(func(g *Filter) { g.Text = ownWord }),
	}
}

// TestOperationFilterReturnsExactlyTheOperationsRows: with no index on the
// operation, Filter.Operation returns exactly what the indexed path did
// (expect: that operation's rows, case-sensitive, so "new-inboxrule" has
// none), for rare and common operations, alone, with a user and with
// every other filter, through keyset pages and offsets, whichever plan
// the store picks.
func TestOperationFilterReturnsExactlyTheOperationsRows(t *testing.T) {
	evs := operationEvents(900)
	var filters []Filter
	for _, op := range append(slices.Clone(trickyOperations), "new-inboxrule", "NEW-INBOXRULE") {
		filters = append(filters,
			withEveryOtherFilter(Filter{Operation: op}, func(g *Filter) { g.User = "mira.okafor@northwind-lab.onmicrosoft.com" }, "inboxrule")...)
	}
	checkEveryPlan(t, evs, filters)
}

// TestOperationFilterPlansUseNoOperationIndex: an operation filter's
// statements read the word index's candidates by rowid (no full scan of
// the events), and no index of the schema holds every row's operation
// (the detection test's partial index holds a few operations' rows).
func TestOperationFilterPlansUseNoOperationIndex(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	commitAll(t, s, operationEvents(900), 60)
	rows, err := s.r.QueryContext(ctx, `SELECT il.name, ii.name FROM pragma_index_list('events') AS il, pragma_index_info(il.name) AS ii
		WHERE NOT il.partial`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var index, col string
		if err := rows.Scan(&index, &col); err != nil {
			t.Fatal(err)
		}
		if col == "operation" {
			t.Errorf("index %s still holds operation", index)
		}
	}
	rows.Close()
	assertWordIndexPlans(t, s, "operation", "events_operation", []Filter{{Operation: "New-InboxRule"},
		{Operation: "Add member to role.", Result: "failure"}, {Operation: "Set-InboxRule", Workloads: []string{"Exchange"}}})
}

// TestOperationMatch: the word-index query of the detection test's
// operations ORs each one's longest ASCII word.
func TestOperationMatch(t *testing.T) {
	tests := []struct {
		ops  []string
		want string
	}{
		{[]string{"New-InboxRule"}, `"inboxrule"`},
		{[]string{"New-InboxRule", "Set-InboxRule", "UpdateInboxRules", "New-Mailbox"}, `"inboxrule" OR "updateinboxrules" OR "mailbox"`},
		{[]string{"Add member to role."}, `"member"`},
		{[]string{"FileAccessed", "Änderung"}, ""},
		{[]string{"--"}, ""},
	}
	for _, tt := range tests {
		if got := opsMatch(tt.ops); got != tt.want {
			t.Errorf("opsMatch(%q) = %s, want %s", tt.ops, got, tt.want)
		}
	}
}
