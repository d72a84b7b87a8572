package simulator

import (
	"net/http"
	"net/url"
	"time"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
	"github.com/auditlight/auditlight/collector/simulator/detrand"
)

// visibleFrom is the earliest contentCreated clients can see for content
// type ct: the FirstDataDelay fault hides everything created before the first
// subscription start plus the delay.
func visibleFrom(st *State, ct string) time.Time {
	d := st.Faults.FirstDataDelay
	if d <= 0 {
		return time.Time{}
	}
	sub, ok := st.Subscriptions[ct]
	if !ok || sub.FirstStart.IsZero() {
		return time.Unix(1<<40, 0)
	}
	return sub.FirstStart.Add(d)
}

// blobAvailable reports whether blob (c, k) exists and is available at now.
func (s *Sim) blobAvailable(c int, k int64, now, from time.Time) bool {
	if k < 0 {
		return false
	}
	created := s.tl.Created(c, k)
	return !created.After(now) && !created.Before(from) && s.gen.Size(c, k) > 0
}

func (s *Sim) listContent(w http.ResponseWriter, r *http.Request, c *apiCall) {
	i, ok := contentTypeParam(w, r, c)
	if !ok {
		return
	}
	ct := auditgen.ContentTypeNames()[i]
	if !subscriptionGate(w, c, ct) {
		return
	}
	rawStart, hasStart := queryParam(r, "startTime")
	rawEnd, hasEnd := queryParam(r, "endTime")
	var start, end time.Time
	switch {
	case hasStart != hasEnd:
		afError(w, http.StatusBadRequest, "AF20055", windowRules)
		return
	case !hasStart:
		end = c.now
		start = end.Add(-24 * time.Hour)
	default:
		var ok1, ok2 bool
		start, ok1 = parseAPITime(rawStart)
		end, ok2 = parseAPITime(rawEnd)
		if !ok1 || !ok2 {
			bad := "startTime"
			if ok1 {
				bad = "endTime"
			}
			afError(w, http.StatusBadRequest, "AF20002", "Invalid parameter type: "+bad+". Expected type: datetime.")
			return
		}
		if !checkWindow(start, end, c.now) {
			afError(w, http.StatusBadRequest, "AF20055", windowRules)
			return
		}
	}
	from := visibleFrom(&c.st, ct)
	resume := int64(-1)
	if np, ok := queryParam(r, "nextPage"); ok {
		var valid bool
		resume, valid = s.tl.ParseNextPage(i, np, start, end)
		if !valid {
			afError(w, http.StatusBadRequest, "AF20031", "Invalid nextPage Input: "+np+".")
			return
		}
	}
	b := make([]byte, 0, 256*min(s.cfg.PageSize, 64))
	b = append(b, '[')
	n := 0
	next := int64(-1)
	s.tl.Listed(i, start, end, c.now, resume, func(k int64) bool {
		if !s.blobAvailable(i, k, c.now, from) {
			return true
		}
		if n == s.cfg.PageSize {
			next = k
			return false
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = s.appendContentItem(b, i, k, c.tenant, s.tl.Created(i, k), blobFault(uint64(s.cfg.Seed), 0xf0e1, i, k, c.st.Faults.ForeignURIRate))
		n++
		return true
	})
	b = append(b, ']')
	if next >= 0 {
		q := url.Values{}
		q.Set("contentType", ct)
		if hasStart {
			q.Set("startTime", rawStart)
			q.Set("endTime", rawEnd)
		}
		q.Set("nextPage", s.tl.PageToken(i, next))
		// Stored under the exact documented spelling so it goes on the wire as
		// "NextPageUri" (Go would canonicalise Set to "Nextpageuri").
		w.Header()["NextPageUri"] = []string{s.url + "/api/v1.0/" + c.tenant + "/activity/feed/subscriptions/content?" + q.Encode()}
	}
	s.writeBody(w, r, b, c.st.Faults)
}

// appendContentItem renders one content descriptor.
func (s *Sim) appendContentItem(b []byte, c int, k int64, tenant string, created time.Time, foreign bool) []byte {
	id := s.tl.ContentID(c, k)
	b = append(b, `{"contentType":"`...)
	b = append(b, s.tl.ContentType(c)...)
	b = append(b, `","contentId":"`...)
	b = append(b, id...)
	b = append(b, `","contentUri":"`...)
	if foreign {
		b = append(b, foreignOrigin...)
	} else {
		b = append(b, s.url...)
	}
	b = append(b, "/api/v1.0/"...)
	b = append(b, tenant...)
	b = append(b, "/activity/feed/audit/"...)
	b = append(b, id...)
	b = append(b, `","contentCreated":"`...)
	b = created.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	b = append(b, `","contentExpiration":"`...)
	b = created.Add(auditgen.Retention).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	return append(b, `"}`...)
}

// foreignOrigin is where the ForeignURIRate and RedirectRate faults point:
// a host that never resolves (.invalid), so nothing can be sent there.
const foreignOrigin = "https://blobs.foreign.invalid"

// blobFault decides a per-blob fault: the same blob always gets the same answer.
func blobFault(seed, salt uint64, c int, k int64, rate float64) bool {
	if rate <= 0 {
		return false
	}
	r := detrand.New(detrand.Hash(seed, salt, uint64(c), uint64(k)))
	return r.Chance(rate)
}
