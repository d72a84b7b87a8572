// Package faults describes the untidiness the simulator adds on top of the
// documented service behaviour: throttling, server errors, slow, dripping and
// truncated answers, late, replayed and unreachable blobs, clock skew, short
// tokens and the per-tenant request budget.
package faults

import "time"

// Faults is the untidiness the simulator adds on top of the documented
// behaviour. Rates are probabilities in [0, 1], decided deterministically from
// the seed and the request sequence.
type Faults struct {
	// FirstDataDelay hides every blob created earlier than the first
	// subscription start of its content type plus this delay ("first blobs can
	// take up to 12 hours"). Zero means the seven-day backlog is available.
	FirstDataDelay time.Duration
	// LateBlobRate is the fraction of blobs whose records are much older than
	// the blob (made available late); LateBy is how much older (default 6h).
	LateBlobRate float64
	LateBy       time.Duration
	// ReplayRate is the fraction of blobs that repeat a record already served
	// in an earlier blob (same Id).
	ReplayRate float64
	// Rate429 answers HTTP 429 with Retry-After; RateAF429 answers HTTP 403
	// AF429; Rate500 and Rate503 answer server errors. Management API only.
	Rate429   float64
	RateAF429 float64
	Rate500   float64
	Rate503   float64
	// RetryAfter is the Retry-After value sent with throttling answers (default 2s;
	// negative = header omitted).
	RetryAfter time.Duration
	// SlowRate is the fraction of Management API answers delayed by SlowDelay.
	SlowRate  float64
	SlowDelay time.Duration
	// ForeignURIRate is the fraction of blobs (chosen per blob, so always the
	// same ones) whose listed contentUri points at another host; RedirectRate
	// the fraction whose GET answers 302 to another host. Neither blob can be
	// fetched by a client that keeps its token on the API host.
	ForeignURIRate float64
	RedirectRate   float64
	// DripRate is the fraction of 200 answers (content lists, blobs) that
	// send half the body, then stall for DripStall (default 1 minute) before
	// the rest: a slow-dripping proxy.
	DripRate  float64
	DripStall time.Duration
	// TruncateRate is the fraction of 200 answers (content lists, blobs) whose
	// JSON body is cut in half.
	TruncateRate float64
	// ClockSkew shifts the simulator's notion of now (Date header and every
	// time rule) relative to Config.Clock.
	ClockSkew time.Duration
	// TokenLifetime is the access-token lifetime (default 3599s).
	TokenLifetime time.Duration
	// RequestsPerMinute is the per-tenant Management API budget (default 2000);
	// beyond it requests get HTTP 403 AF429.
	RequestsPerMinute int
}

// Defaults of the fields whose zero value means "the service's usual".
const (
	defaultTokenLife  = 3599 * time.Second
	defaultBudget     = 2000
	defaultRetryAfter = 2 * time.Second
	defaultLateBy     = 6 * time.Hour
)

// EffectiveTokenLifetime is TokenLifetime, or 3599s when unset.
func (f Faults) EffectiveTokenLifetime() time.Duration {
	if f.TokenLifetime > 0 {
		return f.TokenLifetime
	}
	return defaultTokenLife
}

// EffectiveBudget is RequestsPerMinute, or 2000 when unset.
func (f Faults) EffectiveBudget() int {
	if f.RequestsPerMinute > 0 {
		return f.RequestsPerMinute
	}
	return defaultBudget
}

// EffectiveRetryAfter is RetryAfter, or 2s when unset (negative: no header).
func (f Faults) EffectiveRetryAfter() time.Duration {
	if f.RetryAfter == 0 {
		return defaultRetryAfter
	}
	return f.RetryAfter
}

// EffectiveLateBy is LateBy, or 6h when unset.
func (f Faults) EffectiveLateBy() time.Duration {
	if f.LateBy > 0 {
		return f.LateBy
	}
	return defaultLateBy
}

// Quota is the per-tenant request budget in fixed one-minute windows of the
// simulator's clock.
type Quota struct {
	window int64
	used   int
}

// Take counts one request and reports whether it is within budget, plus
// the time until the window resets.
func (q *Quota) Take(now time.Time, budget int) (bool, time.Duration) {
	w := now.Unix() / 60
	if w != q.window {
		q.window, q.used = w, 0
	}
	q.used++
	return q.used <= budget, time.Unix((w+1)*60, 0).Sub(now)
}
