package store

import (
	"container/list"
	"sync"
)

// chunkCache keeps the most recently read decompressed chunks, up to a
// total of limit bytes, for every reader of a store: a feed page or an
// export visits the records of one chunk in runs, and decompressing the
// chunk again for each of its records would cost ~30× the work. Safe for
// concurrent use.
type chunkCache struct {
	mu    sync.Mutex
	limit int
	size  int
	order *list.List // front = most recently used; values are *cachedChunk
	byRef map[int64]*list.Element
	// hits and misses count lookups (tests and benchmarks read them).
	hits, misses int64
}

// cachedChunk is one decompressed chunk.
type cachedChunk struct {
	ref  int64
	data []byte
}

// newChunkCache returns a cache of at most limit bytes of chunks.
func newChunkCache(limit int) *chunkCache {
	return &chunkCache{limit: limit, order: list.New(), byRef: map[int64]*list.Element{}}
}

// get returns chunk ref's bytes when cached.
func (c *chunkCache) get(ref int64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byRef[ref]
	if !ok {
		c.misses++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(el)
	return el.Value.(*cachedChunk).data, true
}

// put caches chunk ref's bytes, evicting the least recently used chunks
// beyond the limit. A chunk bigger than the whole limit is not kept.
func (c *chunkCache) put(ref int64, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(data) > c.limit {
		return
	}
	if el, ok := c.byRef[ref]; ok { // another reader decompressed it meanwhile
		c.order.MoveToFront(el)
		return
	}
	c.byRef[ref] = c.order.PushFront(&cachedChunk{ref: ref, data: data})
	c.size += len(data)
	for c.size > c.limit {
		old := c.order.Back()
		cc := old.Value.(*cachedChunk)
		c.order.Remove(old)
		delete(c.byRef, cc.ref)
		c.size -= len(cc.data)
	}
}

// clear drops every cached chunk (an idle collector's memory release).
func (c *chunkCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byRef)
	c.size = 0
}

// stats returns the lookups that hit and missed so far.
func (c *chunkCache) stats() (hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}
