package app

import (
	"slices"
	"testing"
)

// TestBackfillReleasedBehindTheFirstStatus: when Fyne's loop starts, the
// window's first status (queued before the loop ran) is applied before the
// backfill hold is released, so the 7-day backfill does not compete with
// the green reaching the tray and the window (issue 12).
func TestBackfillReleasedBehindTheFirstStatus(t *testing.T) {
	var queue []func()
	do := func(f func()) { queue = append(queue, f) } // fyne.Do: in order, on the loop
	var ran []string
	do(func() { ran = append(ran, "first status") }) // the presenter, before the loop ran
	afterQueued(do, func() { ran = append(ran, "backfill released") })
	if len(ran) != 0 {
		t.Fatalf("%v ran before the loop ran the queue", ran)
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		f()
	}
	if want := []string{"first status", "backfill released"}; !slices.Equal(ran, want) {
		t.Fatalf("loop ran %v, want %v", ran, want)
	}
	afterQueued(do, nil) // a GUI without a hold
	if len(queue) != 0 {
		t.Fatal("a nil windowUp was queued")
	}
}
