package detect

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

// orderCase is a set of records whose findings must not depend on the
// order they arrive in.
type orderCase struct {
	name string
	raws [][]byte
	// rule and want: how many findings of rule the set gives.
	rule string
	want int
	// late lists records (indexes into raws) that one order delivers last,
	// after everything else: a blob Microsoft publishes hours late.
	late []int
}

// failures is n failed sign-ins of distinct users from ip, from start, gap
// apart (ids prefixed by tag).
func failures(tag, ip string, start time.Time, n int, gap time.Duration) [][]byte {
	out := make([][]byte, n)
	for i := range n {
		out[i] = signIn(fmt.Sprintf("%s-%d", tag, i), user(i), ip, start.Add(time.Duration(i)*gap), "50126")
	}
	return out
}

func orderCases() []orderCase {
	const ip = "95.165.12.77"
	noise := func(n int) [][]byte { // failed sign-ins of one user from other IPs over 6 hours
		out := make([][]byte, n)
		for i := range n {
			out[i] = signIn(fmt.Sprintf("noise-%d", i), user(1), fmt.Sprintf("81.2.3.%d", i%7),
				t0.Add(time.Duration(i)*6*time.Hour/time.Duration(n)), "50126")
		}
		return out
	}
	spray := failures("sp", ip, t0, 14, 30*time.Second)
	edge := failures("edge", ip, t0, 9, time.Minute) // 0..8 min
	edge = append(edge,
		signIn("edge-at", user(9), ip, t0.Add(10*time.Minute), "50126"),                    // exactly one timespan after the first
		signIn("edge-past", user(10), ip, t0.Add(10*time.Minute+time.Second), "50126"),     // one second past it
		signIn("edge-after", user(11), ip, t0.Add(10*time.Minute+30*time.Second), "50126")) // opens a later window
	nearMiss := append(failures("nm", ip, t0, 9, 30*time.Second),
		signIn("nm-again", user(0), ip, t0.Add(6*time.Minute), "50126"),                 // a repeat user: still 9 distinct
		signIn("nm-late", user(12), ip, t0.Add(10*time.Minute+31*time.Second), "50126")) // the 10th, one second too late for the window from nm-1
	// Two sprays 20 minutes apart (more than the rule's 10 min merge
	// window), and one between them that comes within the window of both.
	bridged := slices.Concat(
		failures("a", ip, t0, 10, 30*time.Second),                     // 0 .. 4.5 min
		failures("b", ip, t0.Add(25*time.Minute), 10, 30*time.Second), // 25 .. 29.5 min
		failures("c", ip, t0.Add(12*time.Minute), 10, 20*time.Second)) // 12 .. 15 min
	twoSprays := slices.Concat(
		failures("a", ip, t0, 10, 30*time.Second),
		failures("b", ip, t0.Add(25*time.Minute), 10, 30*time.Second))
	lateSpray := slices.Concat(failures("ls", ip, t0.Add(time.Hour), 12, 40*time.Second), noise(60))
	dups := slices.Concat(spray, spray[:5], spray[9:])
	// brute force (20 failures of one user in 10 min) then a success.
	brute := make([][]byte, 0, 27)
	for i := range 26 {
		brute = append(brute, signIn(fmt.Sprintf("bf-%d", i), user(1), "95.1.1.1", t0.Add(time.Duration(i)*20*time.Second), "50126"))
	}
	brute = append(brute, signIn("bf-ok", user(1), "95.1.1.1", t0.Add(10*time.Minute), ""))
	return []orderCase{
		{name: "spray", raws: spray, rule: ruleSpray, want: 1},
		{name: "near-miss spray", raws: nearMiss, rule: ruleSpray, want: 0},
		{name: "exact threshold at a window edge", raws: edge, rule: ruleSpray, want: 1},
		{name: "two sprays apart", raws: twoSprays, rule: ruleSpray, want: 2},
		{name: "a spray bridging two findings", raws: bridged, rule: ruleSpray, want: 1},
		{name: "late out-of-order arrival hours later", raws: lateSpray, rule: ruleSpray, want: 1, late: []int{0, 5, 11}},
		{name: "duplicates", raws: dups, rule: ruleSpray, want: 1},
		{name: "brute force then success", raws: brute, rule: ruleBruteSuccess, want: 1},
	}
}

// canonicalFindings lists the findings as a user compares them: rule, key,
// first and last seen, count and every evidence record (sorted).
func canonicalFindings(t testing.TB, st *store.Store) []string {
	t.Helper()
	ctx := context.Background()
	fs, err := st.Findings(ctx, finding.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		full, err := st.Finding(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev := slices.Clone(full.Evidence)
		slices.Sort(ev)
		out = append(out, fmt.Sprintf("%s %q %s..%s count %d evidence %d %s", f.RuleTitle, f.Key,
			f.FirstSeen.Format(time.TimeOnly), f.LastSeen.Format(time.TimeOnly), f.Count, f.EvidenceCount,
			strings.Join(ev, ",")))
	}
	slices.Sort(out)
	return out
}

// feedInBlobs processes raws in order, in blobs of 1 to 8 records (as the
// collector hands the engine one blob at a time).
func feedInBlobs(h *harness, raws [][]byte, rng *rand.Rand) {
	for len(raws) > 0 {
		n := min(1+rng.IntN(8), len(raws))
		h.process(true, raws[:n]...)
		raws = raws[n:]
	}
}

// TestFindingsDoNotDependOnArrivalOrder feeds each record set in many
// orders (sorted, reversed, shuffled with fixed seeds, late records last)
// and across a restart, and wants the same findings every time.
func TestFindingsDoNotDependOnArrivalOrder(t *testing.T) {
	sameFindingsInAnyOrder(t, orderCases())
}

// sameFindingsInAnyOrder feeds each case's records in time order, reversed,
// in 12 seeded shuffles and with its late records last, and wants the
// findings of time order from each.
func sameFindingsInAnyOrder(t *testing.T, cases []orderCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref := newHarness(t, "")
			feedInBlobs(ref, tc.raws, rand.New(rand.NewPCG(1, 1)))
			want := canonicalFindings(t, ref.st)
			if got := len(ref.byRule(tc.rule)); got != tc.want {
				t.Fatalf("in time order: %d findings of the rule, want %d:\n%s", got, tc.want, strings.Join(want, "\n"))
			}
			orders := map[string][][]byte{"reversed": slices.Clone(tc.raws)}
			slices.Reverse(orders["reversed"])
			for seed := range uint64(12) {
				o := slices.Clone(tc.raws)
				rand.New(rand.NewPCG(seed, 7)).Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
				orders[fmt.Sprintf("shuffle %d", seed)] = o
			}
			if len(tc.late) > 0 {
				var early, late [][]byte
				for i, r := range tc.raws {
					if slices.Contains(tc.late, i) {
						late = append(late, r)
					} else {
						early = append(early, r)
					}
				}
				orders["late records last"] = slices.Concat(early, late)
			}
			for name, o := range orders {
				h := newHarness(t, "")
				feedInBlobs(h, o, rand.New(rand.NewPCG(uint64(len(name)), 3)))
				if got := canonicalFindings(t, h.st); !slices.Equal(got, want) {
					t.Errorf("%s: findings differ from time order:\n got: %s\nwant: %s", name,
						strings.Join(got, "\n      "), strings.Join(want, "\n      "))
				}
			}
		})
	}
}

// TestFindingsSurviveARestartInAnyOrder stops the engine half-way through a
// shuffled feed; the next one re-reads what was stored (as the app does at
// start) and gets the rest. The findings are those of one uninterrupted
// feed in time order.
func TestFindingsSurviveARestartInAnyOrder(t *testing.T) {
	sameFindingsAcrossARestart(t, orderCases())
}

// sameFindingsAcrossARestart feeds half of each case's records in 4 seeded
// shuffles, starts a new engine on the same store that re-reads the stored
// records, feeds it the rest, and wants the findings of one uninterrupted
// feed in time order.
func sameFindingsAcrossARestart(t *testing.T, cases []orderCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref := newHarness(t, "")
			feedInBlobs(ref, tc.raws, rand.New(rand.NewPCG(1, 1)))
			want := canonicalFindings(t, ref.st)
			for seed := range uint64(4) {
				o := slices.Clone(tc.raws)
				rand.New(rand.NewPCG(seed, 11)).Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
				h := newHarness(t, "")
				half := len(o) / 2
				feedInBlobs(h, o[:half], rand.New(rand.NewPCG(seed, 5)))
				next, err := New(context.Background(), Options{Store: h.st, Locate: fakeLocator})
				if err != nil {
					t.Fatal(err)
				}
				next.SetTenantDomains([]string{tenantDomain, "northwind.example"})
				h.eng = next
				// The restart's warm-up: the stored records, oldest first.
				var stored []store.Event
				if err := h.st.ForEach(context.Background(), store.Filter{}, func(ev store.Event) error {
					stored = append(stored, ev)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				slices.Reverse(stored)
				if err := next.Process(context.Background(), stored, true); err != nil {
					t.Fatal(err)
				}
				feedInBlobs(h, o[half:], rand.New(rand.NewPCG(seed, 6)))
				if got := canonicalFindings(t, h.st); !slices.Equal(got, want) {
					t.Errorf("seed %d: findings differ from an uninterrupted feed:\n got: %s\nwant: %s", seed,
						strings.Join(got, "\n      "), strings.Join(want, "\n      "))
				}
			}
		})
	}
}
