package simulator

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// timeline maps blob indices to contentCreated times and record counts. Blob
// k of content type c is created at base + k*interval + offset(c) + jitter;
// indices from onDemandBase on are the blobs published on request (od). It
// is immutable after construction apart from od, and safe for concurrent use.
type timeline struct {
	od       *onDemand
	seed     uint64
	base     time.Time
	interval time.Duration
	jitter   time.Duration
	cts      [numContentTypes]ctInfo
	perBlob  [numContentTypes]float64 // mean records per blob at weight 1
	weights  [7][24]float64           // weekday x hour activity, mean 1
}

func newTimeline(seed uint64, start time.Time, interval time.Duration, users, perUserDay int) *timeline {
	tl := &timeline{
		seed:     seed,
		base:     start.UTC().Truncate(interval).Add(-retention),
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

func (tl *timeline) offset(c int) time.Duration { return tl.interval * time.Duration(c) / 8 }

// created returns the contentCreated of blob (c, k), millisecond precision.
func (tl *timeline) created(c int, k int64) time.Time {
	if isOnDemand(k) {
		t, _ := tl.od.created(c, k) // zero for an unknown index: its contentId never matches
		return t
	}
	j := time.Duration(detrand.Hash(tl.seed, 0xc4ea7ed, uint64(c), uint64(k)) % uint64(tl.jitter+1))
	return tl.base.Add(time.Duration(k)*tl.interval + tl.offset(c) + j).Truncate(time.Millisecond)
}

// floorIndex returns floor((t - base - offset(c)) / interval).
func (tl *timeline) floorIndex(c int, t time.Time) int64 {
	d := t.Sub(tl.base) - tl.offset(c)
	k := int64(d / tl.interval)
	if d < 0 && d%tl.interval != 0 {
		k--
	}
	return k
}

// firstAtOrAfter returns the smallest timeline k whose created time is >= t.
func (tl *timeline) firstAtOrAfter(c int, t time.Time) int64 {
	k := tl.floorIndex(c, t)
	if tl.created(c, k).Before(t) {
		k++
	}
	return max(k, 0)
}

// lastAtOrBefore returns the largest timeline k whose created time is <= t (may be -1).
func (tl *timeline) lastAtOrBefore(c int, t time.Time) int64 {
	k := tl.floorIndex(c, t)
	if tl.created(c, k).After(t) {
		k--
	}
	return max(k, -1)
}

// count returns the number of generated (non-extra) records of blob (c, k)
// (none in an on-demand blob: it holds only its extras).
func (tl *timeline) count(c int, k int64) int {
	if k < 0 || isOnDemand(k) {
		return 0
	}
	t := tl.created(c, k)
	w := tl.weights[int(t.Weekday())][t.Hour()]
	r := detrand.New(detrand.Hash(tl.seed, 0xc0a7, uint64(c), uint64(k)))
	mean := tl.perBlob[c] * w * (0.6 + 0.8*r.Float())
	return int(math.Floor(mean + r.Float()))
}

// contentID renders the opaque contentId of blob (c, k).
func (tl *timeline) contentID(c int, k int64) string {
	ts := tl.created(c, k).UTC().Format("20060102150405.000")
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

// contentIDError tells why a contentId was refused.
type contentIDError int

const (
	contentIDOK        contentIDError = iota
	contentIDMalformed                // AF20052
	contentIDUnknown                  // AF20050
)

// parseContentID resolves a contentId to (c, k).
func (tl *timeline) parseContentID(id string) (int, int64, contentIDError) {
	parts := strings.Split(id, "$")
	if len(parts) != 5 || len(parts[0]) < 23 || len(parts[1]) != 23 || !allDigits(parts[0]) || !allDigits(parts[1]) {
		return 0, 0, contentIDMalformed
	}
	c := -1
	for i, ct := range tl.cts {
		if ct.idPart == parts[2] {
			c = i
		}
	}
	if c < 0 || tl.cts[c].idName != parts[3] {
		return 0, 0, contentIDMalformed
	}
	k, err := strconv.ParseInt(parts[0][17:], 10, 64)
	if err != nil {
		return 0, 0, contentIDMalformed
	}
	if tl.contentID(c, k) != id {
		return c, k, contentIDUnknown
	}
	return c, k, contentIDOK
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
