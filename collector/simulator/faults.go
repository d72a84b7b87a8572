package simulator

import (
	"net/http"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

const zeroGUID = "00000000-0000-0000-0000-000000000000"

// throttled writes the documented AF429 answer: HTTP 403.
func throttled(w http.ResponseWriter, r *http.Request, publisher string, retryAfter time.Duration) {
	if publisher == "" {
		publisher = zeroGUID
	}
	if retryAfter > 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(retryAfter))
	}
	afError(w, http.StatusForbidden, "AF429", "Too many requests. Method="+r.Method+", PublisherId="+publisher)
}

// admit applies the request budget and the random fault mix. It returns false
// when it already answered the request.
func (s *Sim) admit(w http.ResponseWriter, r *http.Request, c *apiCall) bool {
	f := c.st.Faults
	s.mu.Lock()
	ok, reset := s.quota.Take(c.now, f.EffectiveBudget())
	s.mu.Unlock()
	if !ok {
		ra := time.Duration(0)
		if f.RetryAfter > 0 {
			ra = reset
		}
		throttled(w, r, c.publisher, ra)
		return false
	}
	rr := detrand.New(detrand.Hash(uint64(s.cfg.Seed), 0xfa017, s.seq.Add(1)))
	switch {
	case rr.Chance(f.Rate429):
		if ra := f.EffectiveRetryAfter(); ra > 0 {
			w.Header().Set("Retry-After", retryAfterSeconds(ra))
		}
		pub := c.publisher
		if pub == "" {
			pub = zeroGUID
		}
		afError(w, http.StatusTooManyRequests, "AF429", "Too many requests. Method="+r.Method+", PublisherId="+pub)
		return false
	case rr.Chance(f.RateAF429):
		ra := time.Duration(0)
		if f.RetryAfter > 0 {
			ra = f.RetryAfter
		}
		throttled(w, r, c.publisher, ra)
		return false
	case rr.Chance(f.Rate500):
		afError(w, http.StatusInternalServerError, "AF50000", "An internal error occurred. Retry the request.")
		return false
	case rr.Chance(f.Rate503):
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<HTML><HEAD><TITLE>Service Unavailable</TITLE></HEAD><BODY><h2>Service Unavailable</h2><hr><p>HTTP Error 503. The service is unavailable.</p></BODY></HTML>"))
		return false
	}
	if rr.Chance(f.SlowRate) && f.SlowDelay > 0 {
		t := time.NewTimer(f.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

// truncate reports whether this 200 answer's body is to be cut in half.
func (s *Sim) truncate(f Faults) bool {
	rr := detrand.New(detrand.Hash(uint64(s.cfg.Seed), 0x7c47, s.seq.Add(1)))
	return rr.Chance(f.TruncateRate)
}

// writeBody writes a 200 JSON body with the body faults: a stall halfway
// (DripRate), else maybe cut in half (TruncateRate).
func (s *Sim) writeBody(w http.ResponseWriter, r *http.Request, body []byte, f Faults) {
	rr := detrand.New(detrand.Hash(uint64(s.cfg.Seed), 0xd419, s.seq.Add(1)))
	if !rr.Chance(f.DripRate) || len(body) < 2 {
		s.writeMaybeTruncated(w, body, f)
		return
	}
	stall := f.DripStall
	if stall <= 0 {
		stall = time.Minute
	}
	s.stats.add(func(st *Stats) { st.Drips++ })
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	t := time.NewTimer(stall)
	defer t.Stop()
	select {
	case <-t.C:
		_, _ = w.Write(body[len(body)/2:])
	case <-r.Context().Done():
	}
}

// writeMaybeTruncated writes a 200 JSON body, cut in half when the truncation fault fires.
func (s *Sim) writeMaybeTruncated(w http.ResponseWriter, body []byte, f Faults) {
	if s.truncate(f) && len(body) > 2 {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
