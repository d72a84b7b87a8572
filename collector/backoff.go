package collector

import (
	"math/rand/v2"
	"time"
)

// backoff returns an exponential delay with full jitter for the n-th
// consecutive failure (n ≥ 1): a random duration in [base·2^(n-1)/2, base·2^(n-1)],
// capped at max.
func backoff(n int, base, max time.Duration) time.Duration {
	if n < 1 {
		n = 1
	}
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}
