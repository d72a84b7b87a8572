package simulator

import (
	"sync"
)

// Request kinds counted by Stats.
const (
	KindOpenID         = "openid-configuration"
	KindToken          = "token"
	KindSubscriptions  = "subscriptions/list"
	KindStart          = "subscriptions/start"
	KindStop           = "subscriptions/stop"
	KindContent        = "subscriptions/content"
	KindBlob           = "blob"
	KindGraphUsers     = "graph/users"
	KindGraphApp       = "graph/application"
	KindGroundTruth    = "ground-truth"
	KindUnknownRequest = "unknown"
)

// Stats is a snapshot of what clients asked for.
type Stats struct {
	// Requests counts requests by kind (Kind* constants).
	Requests map[string]int
	// ManagementRequests counts every Management Activity API request.
	ManagementRequests int
	// MissingPublisherIdentifier counts Management API requests without a
	// PublisherIdentifier query parameter (any case).
	MissingPublisherIdentifier int
	// BlobFetches counts GETs per contentId (successful or not).
	BlobFetches map[string]int
	// Status counts Management API responses by HTTP status.
	Status map[int]int
	// RecordsServed counts records in blobs served with status 200.
	RecordsServed int
	// Drips counts 200 answers that stalled halfway (Faults.DripRate).
	Drips int
}

type stats struct {
	mu sync.Mutex
	s  Stats
}

func (st *stats) add(fn func(*Stats)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.s.Requests == nil {
		st.s.Requests = map[string]int{}
		st.s.BlobFetches = map[string]int{}
		st.s.Status = map[int]int{}
	}
	fn(&st.s)
}

// Stats returns a copy of the request counters.
func (s *Sim) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := s.stats.s
	out.Requests = copyMap(s.stats.s.Requests)
	out.BlobFetches = copyMap(s.stats.s.BlobFetches)
	out.Status = copyMap(s.stats.s.Status)
	return out
}

// ResetStats clears the request counters.
func (s *Sim) ResetStats() {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	s.stats.s = Stats{}
}

func copyMap[K comparable](m map[K]int) map[K]int {
	out := make(map[K]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
