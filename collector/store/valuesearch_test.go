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
	evs := genEvents(n, t0, "op-")
	for i := range evs {
		op := trickyOperations[0]
		if i%2 == 1 {
			op = trickyOperations[1+(i/2)%(len(trickyOperations)-1)]
		}
		evs[i].Operation = op
		if i%9 == 0 {
			evs[i].ObjectID = "rule " + trickyOperations[1+(i/9)%(len(trickyOperations)-1)]
		}
	}
	return evs
}

// TestOperationFilterReturnsExactlyTheOperationsRows: Filter.Operation
// returns exactly that operation's rows (expect; case-sensitive, so
// "new-inboxrule" has none), for rare and common operations, alone, with a user and with
// every other filter, through keyset pages and offsets, whichever plan
// the store picks: what any plan without events_operation must keep.
func TestOperationFilterReturnsExactlyTheOperationsRows(t *testing.T) {
	evs := operationEvents(900)
	var filters []Filter
	for _, op := range append(slices.Clone(trickyOperations), "new-inboxrule", "NEW-INBOXRULE") {
		filters = append(filters,
			Filter{Operation: op},
			Filter{Operation: op, Workloads: []string{"Exchange"}},
			Filter{Operation: op, Workloads: []string{"Exchange", "AzureActiveDirectory"}},
			Filter{Operation: op, Result: "failure"},
			Filter{Operation: op, User: "mira.okafor@northwind-lab.onmicrosoft.com"},
			Filter{Operation: op, ContentTypes: []string{"Audit.Exchange"}},
			Filter{Operation: op, Since: t0.Add(-3 * time.Hour), Until: t0.Add(-time.Hour)},
			Filter{Operation: op, Text: "salaries"},
			Filter{Operation: op, Text: "inboxrule"},
		)
	}
	checkEveryPlan(t, evs, filters)
}
