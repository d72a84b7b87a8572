package ui

import (
	"context"
	"time"
)

// coalesce reads src until ctx ends or src closes and calls flush with the
// merged value at most once per interval: the first value after a quiet
// period is flushed at once, later ones are merged and flushed when the
// interval has passed. A pending value is flushed when src closes.
func coalesce[T any](ctx context.Context, src <-chan T, interval time.Duration, merge func(acc, v T) T, flush func(T)) {
	var (
		acc     T
		pending bool
		timerC  <-chan time.Time
		last    time.Time
	)
	send := func() {
		flush(acc)
		var zero T
		acc, pending, last = zero, false, time.Now()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case v, ok := <-src:
			if !ok {
				if pending {
					send()
				}
				return
			}
			if pending {
				acc = merge(acc, v)
			} else {
				acc, pending = v, true
			}
			if timerC != nil {
				continue
			}
			if wait := interval - time.Since(last); wait > 0 {
				timerC = time.After(wait)
				continue
			}
			send()
		case <-timerC:
			timerC = nil
			if pending {
				send()
			}
		}
	}
}
