package simulator

import (
	"net/http"
	"sort"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// GroundTruth returns the sorted unique Ids of every record in blobs that are
// available now (contentCreated <= now, not expired, not hidden by the
// first-data delay).
func (s *Sim) GroundTruth() []string { return s.groundTruth(-1) }

// GroundTruthSince is GroundTruth restricted to blobs made available at or
// after since: what a collector whose backfill starts at since must hold.
func (s *Sim) GroundTruthSince(since time.Time) []string { return s.groundTruthFrom(-1, since) }

// GroundTruthFor is GroundTruth restricted to one content type ("" = all).
func (s *Sim) GroundTruthFor(contentType string) []string {
	if contentType == "" {
		return s.groundTruth(-1)
	}
	i := auditgen.CTIndex(contentType)
	if i < 0 {
		return nil
	}
	return s.groundTruth(i)
}

func (s *Sim) groundTruth(only int) []string { return s.groundTruthFrom(only, time.Time{}) }

func (s *Sim) groundTruthFrom(only int, since time.Time) []string {
	s.mu.Lock()
	now := s.nowLocked()
	st := s.state.clone()
	s.mu.Unlock()
	var ids []string
	for c, ct := range auditgen.ContentTypeNames() {
		if only >= 0 && c != only {
			continue
		}
		from := visibleFrom(&st, ct)
		oldest := now.Add(-auditgen.Retention + time.Millisecond)
		if since.After(oldest) {
			oldest = since
		}
		s.tl.Listed(c, oldest, now.Add(time.Millisecond), now, -1, func(k int64) bool {
			if s.blobAvailable(c, k, now, from) {
				ids = s.gen.BlobIDs(ids, c, k)
			}
			return true
		})
	}
	return sortedUnique(ids)
}

// groundTruthJSON is the body of GET /_sim/ground-truth.
type groundTruthJSON struct {
	TenantID    string   `json:"tenantId"`
	ContentType string   `json:"contentType,omitempty"`
	Count       int      `json:"count"`
	IDs         []string `json:"ids"`
}

func (s *Sim) serveGroundTruth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	ct := r.URL.Query().Get("contentType")
	only := -1
	if ct != "" {
		if only = auditgen.CTIndex(ct); only < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unknown contentType " + ct})
			return
		}
	}
	ids := s.groundTruth(only)
	if ids == nil {
		ids = []string{}
	}
	writeJSON(w, http.StatusOK, groundTruthJSON{TenantID: s.w.Tenant.ID, ContentType: ct, Count: len(ids), IDs: ids})
}

func sortedUnique(ids []string) []string {
	sort.Strings(ids)
	out := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			out = append(out, id)
		}
	}
	return out
}
