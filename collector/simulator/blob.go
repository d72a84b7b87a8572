package simulator

import (
	"bytes"
	"net/http"
	"net/url"
	"sync"

	"github.com/auditlight/auditlight/collector/simulator/auditgen"
)

// blobBuffers recycles blob rendering buffers.
type blobBuffers struct{ pool sync.Pool }

func (b *blobBuffers) get() *bytes.Buffer {
	if v, ok := b.pool.Get().(*bytes.Buffer); ok {
		v.Reset()
		return v
	}
	return bytes.NewBuffer(make([]byte, 0, 64<<10))
}

func (b *blobBuffers) put(v *bytes.Buffer) {
	if v.Cap() <= 8<<20 {
		b.pool.Put(v)
	}
}

func (s *Sim) serveBlob(w http.ResponseWriter, r *http.Request, c *apiCall, rawID string) {
	id, err := url.PathUnescape(rawID)
	if err != nil {
		id = rawID
	}
	s.stats.add(func(st *Stats) { st.BlobFetches[id]++ })
	i, k, perr := s.tl.ParseContentID(id)
	switch perr {
	case auditgen.ContentIDMalformed:
		afError(w, http.StatusBadRequest, "AF20052", "Content ID "+id+" in the URL is invalid.")
		return
	case auditgen.ContentIDUnknown:
		afError(w, http.StatusNotFound, "AF20050", "The specified content ("+id+") doesn't exist.")
		return
	}
	ct := s.tl.ContentType(i)
	if ct == ContentDLP && !c.hasRole(RoleActivityFeedReadDlp) {
		permissionError(w, c.roles, RoleActivityFeedReadDlp)
		return
	}
	from := visibleFrom(&c.st, ct)
	if !s.blobAvailable(i, k, c.now, from) {
		afError(w, http.StatusNotFound, "AF20050", "The specified content ("+id+") doesn't exist.")
		return
	}
	if !s.tl.Created(i, k).Add(auditgen.Retention).After(c.now) {
		afError(w, http.StatusBadRequest, "AF20051", "Content requested with the key "+id+" has already expired. Content older than 7 days cannot be retrieved.")
		return
	}
	if blobFault(uint64(s.cfg.Seed), 0x3d1e, i, k, c.st.Faults.RedirectRate) {
		w.Header().Set("Location", foreignOrigin+r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
		return
	}
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	body := s.gen.AppendBlob(buf.Bytes(), i, k, &c.st.Faults, from)
	n := s.gen.Size(i, k)
	s.stats.add(func(st *Stats) { st.RecordsServed += n })
	s.writeBody(w, r, body, c.st.Faults)
	if cap(body) > buf.Cap() {
		*buf = *bytes.NewBuffer(body[:0])
	}
}
