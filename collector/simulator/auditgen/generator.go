package auditgen

import (
	"slices"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/detrand"
	"github.com/auditlight/auditlight/collector/simulator/faults"
	"github.com/auditlight/auditlight/collector/simulator/tenant"
)

// blobKey identifies a blob: content type index and blob index.
type blobKey struct {
	c int
	k int64
}

// extraRecord is a pre-rendered record injected into a specific blob
// (attack storyline).
type extraRecord struct {
	id   string
	json []byte
}

// Generator renders audit records and blobs. It is immutable after Start
// except for extras, which on-demand admin actions (adminaction.go) add to
// under extrasMu.
type Generator struct {
	seed     uint64
	tl       *Timeline
	w        *tenant.World
	tenantID string
	extrasMu sync.RWMutex
	extras   map[blobKey][]extraRecord
	lag      [NumContentTypes]time.Duration
	// Expected lists the findings the storyline must raise (set by AddAttack).
	Expected []ExpectedFinding
}

// extrasOf returns the injected records of blob (c, k).
func (g *Generator) extrasOf(c int, k int64) []extraRecord {
	g.extrasMu.RLock()
	defer g.extrasMu.RUnlock()
	return g.extras[blobKey{c, k}]
}

// NewGenerator renders the records of timeline tl for the people of w.
func NewGenerator(seed uint64, tl *Timeline, w *tenant.World) *Generator {
	return &Generator{
		seed:     seed,
		tl:       tl,
		w:        w,
		tenantID: w.Tenant.ID,
		extras:   map[blobKey][]extraRecord{},
		lag:      [NumContentTypes]time.Duration{2 * time.Minute, 6 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute},
	}
}

func (g *Generator) recordSeed(c int, k int64, j int) uint64 {
	return detrand.Hash(g.seed, 0x2ec0, uint64(c), uint64(k), uint64(j))
}

// recordID returns the Id of generated record j of blob (c, k) without rendering it.
func (g *Generator) recordID(c int, k int64, j int) string {
	r := detrand.New(g.recordSeed(c, k, j))
	return string(detrand.AppendGUID(make([]byte, 0, 36), r.Next(), r.Next()))
}

// isLate reports whether blob (c, k) carries records made available late.
func (g *Generator) isLate(c int, k int64, f *faults.Faults) bool {
	r := detrand.New(detrand.Hash(g.seed, 0x1a7e, uint64(c), uint64(k)))
	return r.Chance(f.LateBlobRate)
}

// Size is the number of records a blob holds, replays excluded.
func (g *Generator) Size(c int, k int64) int {
	return g.tl.count(c, k) + len(g.extrasOf(c, k))
}

// appendRecord renders generated record j of blob (c, k).
func (g *Generator) appendRecord(b []byte, c int, k int64, j int, f *faults.Faults) []byte {
	r := detrand.New(g.recordSeed(c, k, j))
	idHi, idLo := r.Next(), r.Next()
	created := g.tl.Created(c, k)
	t := created.Add(-g.lag[c] - r.Dur(g.tl.interval))
	if g.isLate(c, k, f) {
		lb := f.EffectiveLateBy()
		t = t.Add(-lb - r.Dur(lb))
	}
	switch c {
	case 0:
		return g.aadRecord(b, &r, t, idHi, idLo)
	case 1:
		return g.exchangeRecord(b, &r, t, idHi, idLo)
	case 2:
		return g.sharePointRecord(b, &r, t, idHi, idLo)
	case 3:
		return g.generalRecord(b, &r, t, idHi, idLo)
	default:
		return g.dlpRecord(b, &r, t, idHi, idLo)
	}
}

// replaySource picks the earlier blob record a blob replays, if any.
func (g *Generator) replaySource(c int, k int64, f *faults.Faults, visibleFrom time.Time) (int64, int, bool) {
	if isOnDemand(k) { // a blob published on request holds only its own record
		return 0, 0, false
	}
	r := detrand.New(detrand.Hash(g.seed, 0x2e91a4, uint64(c), uint64(k)))
	if !r.Chance(f.ReplayRate) {
		return 0, 0, false
	}
	k2 := k - 1 - int64(r.Intn(12))
	if k2 < 0 || g.tl.Created(c, k2).Before(visibleFrom) {
		return 0, 0, false
	}
	n := g.tl.count(c, k2)
	if n == 0 {
		return 0, 0, false
	}
	return k2, r.Intn(n), true
}

// AppendBlob renders blob (c, k) as a JSON array. visibleFrom is the earliest
// contentCreated the caller may see (replays never reach before it).
func (g *Generator) AppendBlob(b []byte, c int, k int64, f *faults.Faults, visibleFrom time.Time) []byte {
	b = append(b, '[')
	n := g.tl.count(c, k)
	for j := 0; j < n; j++ {
		if j > 0 {
			b = append(b, ',')
		}
		b = g.appendRecord(b, c, k, j, f)
	}
	first := n == 0
	for _, e := range g.extrasOf(c, k) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, e.json...)
	}
	if k2, j2, ok := g.replaySource(c, k, f, visibleFrom); ok && !first {
		b = append(b, ',')
		b = g.appendRecord(b, c, k2, j2, f)
	}
	return append(b, ']')
}

// BlobIDs appends the unique record Ids of blob (c, k) (replays excluded: they repeat earlier Ids).
func (g *Generator) BlobIDs(ids []string, c int, k int64) []string {
	n := g.tl.count(c, k)
	for j := 0; j < n; j++ {
		ids = append(ids, g.recordID(c, k, j))
	}
	for _, e := range g.extrasOf(c, k) {
		ids = append(ids, e.id)
	}
	return ids
}

// addExtra places a pre-rendered record in the first blob of content type c
// created at least lag after the record's time.
func (g *Generator) addExtra(c int, at time.Time, id string, rec []byte) {
	g.addExtraAt(c, g.tl.FirstAtOrAfter(c, at.Add(g.lag[c])), id, rec)
}

// addExtraAt places a pre-rendered record in blob (c, k).
func (g *Generator) addExtraAt(c int, k int64, id string, rec []byte) {
	key := blobKey{c, k}
	g.extrasMu.Lock()
	defer g.extrasMu.Unlock()
	// Copy on write: readers keep iterating the slice they were given.
	g.extras[key] = append(slices.Clip(g.extras[key]), extraRecord{id: id, json: rec})
}
