package detect

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// burst is n wrong-password sign-ins of one user from ip, from start, gap
// apart (ids prefixed by tag).
func burst(tag, u, ip string, start time.Time, n int, gap time.Duration) [][]byte {
	out := make([][]byte, n)
	for i := range n {
		out[i] = signIn(fmt.Sprintf("%s-%02d", tag, i), u, ip, start.Add(time.Duration(i)*gap), "50126")
	}
	return out
}

// chainCases are record sets for a correlation fed by another one: the
// brute force (20 wrong passwords of one user within 10 minutes) feeds
// "Password guessed after a brute force" (then a success within 30
// minutes). Each set's findings must not depend on the order its records
// arrive in: the brute force is seen in pieces before all its records have
// arrived, and a piece must not count as a burst of its own.
func chainCases() []orderCase {
	const ip = "102.89.4.7"
	u := user(1)
	// The 20th failure completes the burst at 6:20; the user signs in at
	// 9:30, and one more failure (still within the burst's 10 minutes of
	// its first) comes at 9:50.
	afterSuccess := slices.Concat(burst("bf", u, ip, t0, 20, 20*time.Second),
		[][]byte{signIn("ok", u, ip, t0.Add(9*time.Minute+30*time.Second), ""),
			signIn("bf-late", u, ip, t0.Add(9*time.Minute+50*time.Second), "50126")})
	// A burst completed at 6:20, the success at 8:00, and a second burst
	// from 8:10 whose windows reach back into the first.
	secondBurst := slices.Concat(burst("a", u, ip, t0, 20, 20*time.Second),
		[][]byte{signIn("ok", u, ip, t0.Add(8*time.Minute), "")},
		burst("b", u, ip, t0.Add(8*time.Minute+10*time.Second), 20, 20*time.Second))
	// 40 failures over 13 minutes (windows from each of the first 21 hold
	// 20) and a success 27:30 after the last: only the later part of the
	// burst is within the 30 minutes.
	longBurst := slices.Concat(burst("lb", u, ip, t0, 40, 20*time.Second),
		[][]byte{signIn("ok", u, ip, t0.Add(40*time.Minute+30*time.Second), "")})
	// Two users, each with a burst and a success, interleaved in time; one
	// success comes too late (31 minutes after its burst).
	other := user(2)
	twoUsers := slices.Concat(burst("u1", u, ip, t0, 22, 15*time.Second),
		burst("u2", other, "102.89.4.8", t0.Add(2*time.Minute), 21, 25*time.Second),
		[][]byte{signIn("u1-ok", u, ip, t0.Add(12*time.Minute), ""),
			signIn("u2-ok", other, "102.89.4.8", t0.Add(2*time.Minute+20*25*time.Second+31*time.Minute), "")})
	// A locked account hammered: 200 failures in 10 minutes, a success in
	// the middle of them and one after.
	hammered := slices.Concat(burst("lk", u, ip, t0, 200, 3*time.Second),
		[][]byte{signIn("ok-mid", u, ip, t0.Add(5*time.Minute), ""), signIn("ok-end", u, ip, t0.Add(20*time.Minute), "")})
	return []orderCase{
		{name: "a failure after the success, within the burst", raws: afterSuccess, rule: ruleBruteSuccess, want: 1,
			late: []int{0, 1, 2}},
		{name: "a second burst right after the success", raws: secondBurst, rule: ruleBruteSuccess, want: 1,
			late: []int{0, 5, 19}},
		{name: "a long burst, the success late in the window", raws: longBurst, rule: ruleBruteSuccess, want: 1,
			late: []int{39, 38, 2}},
		{name: "two users interleaved", raws: twoUsers, rule: ruleBruteSuccess, want: 1, late: []int{21, 22}},
		{name: "a hammered account", raws: hammered, rule: ruleBruteSuccess, want: 1, late: []int{0, 199, 200}},
	}
}

// TestChainedFindingsDoNotDependOnArrivalOrder: a correlation fed by
// another one (brute force, then a successful sign-in) gives the same
// findings — count, key, first and last seen, every evidence record — for
// the same records in time order, reversed, shuffled, with late records
// last.
func TestChainedFindingsDoNotDependOnArrivalOrder(t *testing.T) {
	sameFindingsInAnyOrder(t, chainCases())
}

// TestChainedFindingsSurviveARestartInAnyOrder: the same, with the engine
// restarted half-way through a shuffled feed (it re-reads the stored
// records as the app does at start).
func TestChainedFindingsSurviveARestartInAnyOrder(t *testing.T) {
	sameFindingsAcrossARestart(t, chainCases())
}
