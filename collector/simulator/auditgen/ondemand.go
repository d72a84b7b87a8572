package auditgen

import (
	"sort"
	"sync"
	"time"
)

// onDemandBase is the first blob index of on-demand blobs. The fixed
// timeline reaches index ~2,016 per content type over the 7 days it serves
// (and ~10^6 in a century), so the two ranges never meet; contentIds and
// nextPage tokens carry the index, so an on-demand blob is addressed exactly
// like a timeline blob.
const onDemandBase int64 = 1 << 40

// OnDemandLatency is how long after its record's time an on-demand blob is
// made available: a few seconds, instead of Microsoft's usual hour, so the
// demo's "Test my detections" can be watched end to end in about a minute.
const OnDemandLatency = 2 * time.Second

// isOnDemand reports whether blob index k is an on-demand blob.
func isOnDemand(k int64) bool { return k >= onDemandBase }

// onDemandBlob is a blob published outside the fixed timeline.
type onDemandBlob struct {
	k       int64
	created time.Time // contentCreated, millisecond precision
}

// onDemand holds the blobs published on request (admin actions), per
// content type in order of availability (contentCreated, then index). It is
// safe for concurrent use.
type onDemand struct {
	mu    sync.RWMutex
	next  int64
	blobs [NumContentTypes][]onDemandBlob
}

// reserve returns a fresh on-demand blob index (not yet listed).
func (o *onDemand) reserve() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	k := onDemandBase + o.next
	o.next++
	return k
}

// publish lists blob k of content type c as created at created. Fill the
// blob (Generator.addExtraAt) before publishing it.
func (o *onDemand) publish(c int, k int64, created time.Time) {
	b := onDemandBlob{k: k, created: created.UTC().Truncate(time.Millisecond)}
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.blobs[c]
	i := sort.Search(len(s), func(i int) bool { return onDemandLess(b, s[i]) })
	s = append(s, onDemandBlob{})
	copy(s[i+1:], s[i:])
	s[i] = b
	o.blobs[c] = s
}

func onDemandLess(a, b onDemandBlob) bool {
	if !a.created.Equal(b.created) {
		return a.created.Before(b.created)
	}
	return a.k < b.k
}

// Created returns the contentCreated of on-demand blob (c, k); ok is false
// for an index that was never published.
func (o *onDemand) Created(c int, k int64) (time.Time, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, b := range o.blobs[c] {
		if b.k == k {
			return b.created, true
		}
	}
	return time.Time{}, false
}

// between returns a copy of the on-demand blobs of content type c created in
// [from, to), in order of availability.
func (o *onDemand) between(c int, from, to time.Time) []onDemandBlob {
	o.mu.RLock()
	defer o.mu.RUnlock()
	s := o.blobs[c]
	lo := sort.Search(len(s), func(i int) bool { return !s[i].created.Before(from) })
	hi := sort.Search(len(s), func(i int) bool { return !s[i].created.Before(to) })
	if lo >= hi {
		return nil
	}
	return append([]onDemandBlob(nil), s[lo:hi]...)
}

// Listed calls yield with the index of every blob of content type c created
// in [start, end) and at or before now, timeline and on-demand blobs merged
// in order of availability (contentCreated; a timeline blob first on a tie).
// resume >= 0 starts at that blob (a nextPage token), resume < 0 at start.
// yield returns false to stop.
func (tl *Timeline) Listed(c int, start, end, now time.Time, resume int64, yield func(k int64) bool) {
	tk := tl.FirstAtOrAfter(c, start)
	ods := tl.od.between(c, start, end)
	oi := 0
	if resume >= 0 {
		at := tl.Created(c, resume)
		if isOnDemand(resume) {
			tk = tl.FirstAtOrAfter(c, at.Add(time.Millisecond)) // timeline blobs of that instant came before it
			for oi < len(ods) && ods[oi].k != resume {
				oi++
			}
		} else {
			tk = resume
			for oi < len(ods) && ods[oi].created.Before(at) {
				oi++
			}
		}
	}
	last := tl.LastAtOrBefore(c, now)
	for {
		tOK := tk <= last && tl.Created(c, tk).Before(end)
		oOK := oi < len(ods) && !ods[oi].created.After(now)
		var k int64
		switch {
		case tOK && (!oOK || !ods[oi].created.Before(tl.Created(c, tk))):
			k = tk
			tk++
		case oOK:
			k = ods[oi].k
			oi++
		default:
			return
		}
		if !yield(k) {
			return
		}
	}
}
