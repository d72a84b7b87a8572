package auditgen

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// Retention is how long the service keeps a blob: contentExpiration is
// contentCreated plus seven days, and nothing older can be listed or fetched.
const Retention = 7 * 24 * time.Hour

// Timeline maps blob indices to contentCreated times and record counts. Blob
// k of content type c is created at base + k*interval + offset(c) + jitter;
// indices from onDemandBase on are the blobs published on request (od). It
// is immutable after construction apart from od, and safe for concurrent use.
type Timeline struct {
	od       *onDemand
	seed     uint64
	base     time.Time
	interval time.Duration
	jitter   time.Duration
	cts      [NumContentTypes]ctInfo
	perBlob  [NumContentTypes]float64 // mean records per blob at weight 1
	weights  [7][24]float64           // weekday x hour activity, mean 1
}

// NewTimeline lays out the blobs of the retention window ending at start:
// interval apart per content type, sized for users people making perUserDay
// records a day on a weekday/office-hours curve.
func NewTimeline(seed uint64, start time.Time, interval time.Duration, users, perUserDay int) *Timeline {
	tl := &Timeline{
		seed:     seed,
		base:     start.UTC().Truncate(interval).Add(-Retention),
		interval: interval,
		jitter:   min(interval/4, 30*time.Second),
		cts:      contentTypeTable(),
		od:       &onDemand{},
	}
	perDay := float64(users * perUserDay)
	blobsPerDay := float64(24*time.Hour) / float64(interval)
	for i, ct := range tl.cts {
		tl.perBlob[i] = perDay * ct.share / blobsPerDay
	}
	sum := 0.0
	for d := 0; d < 7; d++ {
		for h := 0; h < 24; h++ {
			w := 0.15
			switch {
			case h >= 8 && h < 18:
				w = 2.2
			case h >= 6 && h < 8, h >= 18 && h < 22:
				w = 0.8
			}
			if d == int(time.Saturday) || d == int(time.Sunday) {
				w *= 0.25
			}
			tl.weights[d][h] = w
			sum += w
		}
	}
	mean := sum / (7 * 24)
	for d := range tl.weights {
		for h := range tl.weights[d] {
			tl.weights[d][h] /= mean
		}
	}
	return tl
}

func (tl *Timeline) offset(c int) time.Duration { return tl.interval * time.Duration(c) / 8 }

// Created returns the contentCreated of blob (c, k), millisecond precision.
func (tl *Timeline) Created(c int, k int64) time.Time {
	if isOnDemand(k) {
		t, _ := tl.od.Created(c, k) // zero for an unknown index: its contentId never matches
		return t
	}
	j := time.Duration(detrand.Hash(tl.seed, 0xc4ea7ed, uint64(c), uint64(k)) % uint64(tl.jitter+1))
	return tl.base.Add(time.Duration(k)*tl.interval + tl.offset(c) + j).Truncate(time.Millisecond)
}

// floorIndex returns floor((t - base - offset(c)) / interval).
func (tl *Timeline) floorIndex(c int, t time.Time) int64 {
	d := t.Sub(tl.base) - tl.offset(c)
	k := int64(d / tl.interval)
	if d < 0 && d%tl.interval != 0 {
		k--
	}
	return k
}

// FirstAtOrAfter returns the smallest timeline k whose created time is >= t.
func (tl *Timeline) FirstAtOrAfter(c int, t time.Time) int64 {
	k := tl.floorIndex(c, t)
	if tl.Created(c, k).Before(t) {
		k++
	}
	return max(k, 0)
}

// LastAtOrBefore returns the largest timeline k whose created time is <= t (may be -1).
func (tl *Timeline) LastAtOrBefore(c int, t time.Time) int64 {
	k := tl.floorIndex(c, t)
	if tl.Created(c, k).After(t) {
		k--
	}
	return max(k, -1)
}

// count returns the number of generated (non-extra) records of blob (c, k)
// (none in an on-demand blob: it holds only its extras).
func (tl *Timeline) count(c int, k int64) int {
	if k < 0 || isOnDemand(k) {
		return 0
	}
	t := tl.Created(c, k)
	w := tl.weights[int(t.Weekday())][t.Hour()]
	r := detrand.New(detrand.Hash(tl.seed, 0xc0a7, uint64(c), uint64(k)))
	mean := tl.perBlob[c] * w * (0.6 + 0.8*r.Float())
	return int(math.Floor(mean + r.Float()))
}

// ContentID renders the opaque contentId of blob (c, k).
func (tl *Timeline) ContentID(c int, k int64) string {
	ts := tl.Created(c, k).UTC().Format("20060102150405.000")
	ts = strings.Replace(ts, ".", "", 1)
	chk := detrand.Hash(tl.seed, 0xc4ec, uint64(c), uint64(k)) % 1000000
	var b strings.Builder
	b.Grow(100)
	b.WriteString(ts)
	b.WriteString(pad(strconv.FormatInt(k, 10), 6))
	b.WriteByte('$')
	b.WriteString(ts)
	b.WriteString(pad(strconv.FormatUint(chk, 10), 6))
	b.WriteByte('$')
	b.WriteString(tl.cts[c].idPart)
	b.WriteByte('$')
	b.WriteString(tl.cts[c].idName)
	b.WriteByte('$')
	b.WriteString(tl.cts[c].region)
	return b.String()
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// ContentIDError tells why a contentId was refused.
type ContentIDError int

const (
	ContentIDOK        ContentIDError = iota
	ContentIDMalformed                // AF20052
	ContentIDUnknown                  // AF20050
)

// ParseContentID resolves a contentId to (c, k).
func (tl *Timeline) ParseContentID(id string) (int, int64, ContentIDError) {
	parts := strings.Split(id, "$")
	if len(parts) != 5 || len(parts[0]) < 23 || len(parts[1]) != 23 || !allDigits(parts[0]) || !allDigits(parts[1]) {
		return 0, 0, ContentIDMalformed
	}
	c := -1
	for i, ct := range tl.cts {
		if ct.idPart == parts[2] {
			c = i
		}
	}
	if c < 0 || tl.cts[c].idName != parts[3] {
		return 0, 0, ContentIDMalformed
	}
	k, err := strconv.ParseInt(parts[0][17:], 10, 64)
	if err != nil {
		return 0, 0, ContentIDMalformed
	}
	if tl.ContentID(c, k) != id {
		return c, k, ContentIDUnknown
	}
	return c, k, ContentIDOK
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// PageToken is the opaque nextPage value: the timestamp and index of the next blob.
func (tl *Timeline) PageToken(c int, k int64) string {
	id := tl.ContentID(c, k)
	return id[:strings.IndexByte(id, '$')]
}

// ParseNextPage resolves a nextPage token to a blob index inside [start, end).
func (tl *Timeline) ParseNextPage(c int, tok string, start, end time.Time) (int64, bool) {
	if len(tok) < 23 || !allDigits(tok) {
		return 0, false
	}
	k, err := strconv.ParseInt(tok[17:], 10, 64)
	if err != nil || k < 0 || tl.PageToken(c, k) != tok {
		return 0, false
	}
	created := tl.Created(c, k)
	if created.Before(start) || !created.Before(end) {
		return 0, false
	}
	return k, true
}

// ContentType is the name of content type c ("Audit.Exchange").
func (tl *Timeline) ContentType(c int) string { return tl.cts[c].name }
